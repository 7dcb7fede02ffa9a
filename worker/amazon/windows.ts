/** Date windows for the SP-API list operations: at most 7 days each, no further back than 6 months. */

export const MAX_WINDOW_DAYS = 7;
export const HISTORY_MONTHS = 6;
const DAY = 86_400_000;

/** Format an instant like `like`: with "Z" when `like` has a zone, else Amazon's sandbox style without. */
function formatLike(ms: number, like: string): string {
  const iso = new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  return /(?:Z|[+-]\d{2}:?\d{2})$/.test(like) ? iso : iso.slice(0, -1);
}

function parseInstant(s: string): number {
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}Z`;
  return Date.parse(zoned);
}

export interface Window {
  after: string;
  before: string;
}

export interface WindowPlan {
  windows: Window[];
  /** Set when the range reached further back than Amazon keeps (6 months): the range was cut. */
  cappedAt?: string;
}

/** Split [after, before) into ≤ 7-day windows, cut at now − 6 months. Invalid or empty ranges give none. */
export function dateWindows(
  after: string,
  before: string,
  now: number,
  maxDays = MAX_WINDOW_DAYS,
): WindowPlan {
  let from = parseInstant(after);
  const to = parseInstant(before);
  if (Number.isNaN(from) || Number.isNaN(to) || to <= from) return { windows: [] };
  const earliest = new Date(now);
  earliest.setUTCMonth(earliest.getUTCMonth() - HISTORY_MONTHS);
  const plan: WindowPlan = { windows: [] };
  if (from < earliest.getTime()) {
    from = earliest.getTime();
    plan.cappedAt = formatLike(from, after);
    if (to <= from) return plan;
  }
  for (let start = from; start < to; start += maxDays * DAY) {
    const end = Math.min(to, start + maxDays * DAY);
    plan.windows.push({ after: formatLike(start, after), before: formatLike(end, before) });
  }
  return plan;
}

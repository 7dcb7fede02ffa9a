/** Xero date conventions: MS-JSON `/Date(ms+0000)/` out, `YYYY-MM-DD` (or MS-JSON) in. */

export const DAY_MS = 86_400_000;

export const msDate = (ms: number): string => `/Date(${ms}+0000)/`;

/** ISO 8601 without milliseconds, as Xero's *UTCString fields. */
export const isoUtc = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "");

export const startOfDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** Parse an input date to the UTC midnight of that day; null when not a date. */
export function parseDate(v: unknown): number | null {
  if (typeof v !== "string") return null;
  const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(v);
  if (ms) return startOfDay(Number(ms[1]));
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+Z?)?$/.exec(v);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(t) ? null : t;
}

/** Parse an HTTP If-Modified-Since / ISO timestamp to ms. */
export function parseTimestamp(v: string | undefined): number | null {
  if (!v) return null;
  const t = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(v) || v.includes(",") ? v : `${v}Z`);
  return Number.isNaN(t) ? null : t;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `dd-MMM-yyyy`, the format of dates inside lock-date messages, e.g. 31-Jan-2026. */
export function lockDateText(ms: number): string {
  const d = new Date(ms);
  const dd = String(d.getUTCDate()).padStart(2, "0");
  return `${dd}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()}`;
}

/**
 * Lock dates decide the earliest day VCX may date a document. Both locks apply on and before their date;
 * EndOfYearLockDate binds everyone, PeriodLockDate everyone but an Adviser connection.
 */
import type { OrgSnapshot } from "./model";

/** YYYY-MM-DD plus `days` (UTC calendar arithmetic, no time zones). */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}

/** The last locked day for this connection, if any. */
export function effectiveLockDate(
  org: Pick<OrgSnapshot, "periodLockDate" | "endOfYearLockDate" | "isAdviser">,
): string | undefined {
  const dates = [org.endOfYearLockDate, org.isAdviser ? undefined : org.periodLockDate].filter(
    (d): d is string => d !== undefined,
  );
  return dates.sort().at(-1);
}

export function isLocked(
  org: Pick<OrgSnapshot, "periodLockDate" | "endOfYearLockDate" | "isAdviser">,
  date: string,
): boolean {
  const lock = effectiveLockDate(org);
  return lock !== undefined && date <= lock;
}

export interface Dating {
  /** The date documents carry. */
  date: string;
  /** Present when the wanted date was locked: the sentence to put in narrations. */
  note?: string;
}

/** The wanted date, or the first open day after the lock with a note saying why. */
export function datingFor(
  org: Pick<OrgSnapshot, "periodLockDate" | "endOfYearLockDate" | "isAdviser">,
  wanted: string,
): Dating {
  const lock = effectiveLockDate(org);
  if (lock === undefined || wanted > lock) return { date: wanted };
  const date = addDays(lock, 1);
  return { date, note: `Amazon payment dated ${wanted}; period locked (to ${lock}), dated ${date}` };
}

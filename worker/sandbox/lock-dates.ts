import { lockDateText } from "./dates";
import type { Org } from "./records";

/**
 * Lock dates apply on and before the date. EndOfYearLockDate blocks everyone; PeriodLockDate blocks
 * connections not made by an adviser. Returns the Xero message, or null when the date is open.
 */
export function lockDateError(org: Org, adviser: boolean, date: number): string | null {
  if (org.endOfYearLockDate !== undefined && date <= org.endOfYearLockDate) {
    return `The document date cannot be before the end of year lock date, currently set at ${lockDateText(org.endOfYearLockDate)}`;
  }
  if (!adviser && org.periodLockDate !== undefined && date <= org.periodLockDate) {
    return `The document date cannot be before the period lock date, currently set at ${lockDateText(org.periodLockDate)}`;
  }
  return null;
}

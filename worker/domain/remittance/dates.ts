import { type Cell, isoDay } from "./grid";
import type { DateOrder } from "./model";

/**
 * Dates as Vendor Central files carry them: text in the marketplace's order (MM/DD/YYYY in US/CA/MX/BR,
 * DD/MM/YYYY elsewhere), ISO text, month names, Excel serial numbers (as numbers or text) or Date objects.
 *
 * Numeric day/month text cannot be read without knowing the order, so reading is two-step: `readDate`
 * returns either a finished date or the parts awaiting an order, and `resolveDateOrder` decides the order
 * from an explicit option or from the dates in the file, refusing to guess when the file is ambiguous.
 */
export type DateRead =
  | { kind: "date"; iso: string }
  | { kind: "numeric"; first: number; second: number; year: number }
  | { kind: "empty" }
  | { kind: "invalid"; reason: string };

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
};

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const NUMERIC =
  /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?$/;
const DAY_MONTH_NAME = /^(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s,-]+(\d{4}|\d{2})$/;
const MONTH_NAME_DAY = /^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SERIAL_TEXT = /^\d{5}(?:\.\d+)?$/;

/** Excel serial day numbers VCX accepts: 1990-01-01 … 2099-12-31. */
const SERIAL_MIN = 32874;
const SERIAL_MAX = 73050;
const DAY_MS = 86_400_000;
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

export function isoDate(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return undefined;
  const dim = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > dim) return undefined;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function fullYear(y: string): number {
  const n = Number(y);
  return y.length === 2 ? 2000 + n : n;
}

function fromSerial(serial: number): DateRead {
  if (serial < SERIAL_MIN || serial > SERIAL_MAX) {
    return {
      kind: "invalid",
      reason: "is a number outside the range of Excel dates VCX accepts (1990–2099)",
    };
  }
  const d = new Date(EXCEL_EPOCH_MS + Math.floor(serial) * DAY_MS);
  return { kind: "date", iso: d.toISOString().slice(0, 10) };
}

export function readDate(cell: Cell): DateRead {
  if (cell === null || cell === undefined) return { kind: "empty" };
  if (typeof cell === "number")
    return Number.isFinite(cell) ? fromSerial(cell) : { kind: "invalid", reason: "is not a date" };
  if (typeof cell === "boolean") return { kind: "invalid", reason: "is not a date" };
  if (cell instanceof Date) {
    // Midnight in any timezone within ±12h lands on the intended calendar day after adding 12h in UTC.
    const iso = isoDay(new Date(cell.getTime() + DAY_MS / 2));
    return iso
      ? finish(isoDate(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8))))
      : { kind: "invalid", reason: "is not a date" };
  }
  const s = cell.trim();
  if (s === "") return { kind: "empty" };
  let m = NUMERIC.exec(s);
  if (m) {
    const first = Number(m[1]);
    const second = Number(m[2]);
    const year = fullYear(m[3] ?? "");
    if ((first > 12 && second > 12) || first === 0 || second === 0)
      return { kind: "invalid", reason: "is not a date" };
    return { kind: "numeric", first, second, year };
  }
  m = ISO.exec(s);
  if (m) return finish(isoDate(Number(m[1]), Number(m[2]), Number(m[3])));
  m = DAY_MONTH_NAME.exec(s);
  if (m) return finish(named(m[2] ?? "", Number(m[1]), fullYear(m[3] ?? "")));
  m = MONTH_NAME_DAY.exec(s);
  if (m) return finish(named(m[1] ?? "", Number(m[2]), Number(m[3])));
  m = COMPACT.exec(s);
  if (m) return finish(isoDate(Number(m[1]), Number(m[2]), Number(m[3])));
  if (SERIAL_TEXT.test(s)) return fromSerial(Number(s));
  return { kind: "invalid", reason: "is not a date" };
}

function named(month: string, day: number, year: number): string | undefined {
  const mo = MONTHS[month.toLowerCase()];
  return mo === undefined ? undefined : isoDate(year, mo, day);
}

function finish(iso: string | undefined): DateRead {
  return iso ? { kind: "date", iso } : { kind: "invalid", reason: "is not a valid calendar date" };
}

/** Apply an order to numeric parts; undefined when the parts are not a date in that order. */
export function applyOrder(
  d: { first: number; second: number; year: number },
  order: DateOrder,
): string | undefined {
  return order === "MDY" ? isoDate(d.year, d.first, d.second) : isoDate(d.year, d.second, d.first);
}

export type OrderDecision =
  | { ok: true; order: DateOrder | undefined; inferred: boolean }
  | { ok: false; reason: "ambiguous" | "conflicting"; example: string };

/**
 * Decide the date order for a file. An explicit order always wins (cells that contradict it are reported
 * by the caller). Otherwise a day above 12 in either position settles it; if the file has numeric dates
 * but none settles it, or they point both ways, the file is ambiguous and the caller must ask.
 */
export function resolveDateOrder(
  dates: Iterable<{ first: number; second: number; year: number }>,
  explicit: DateOrder | undefined,
): OrderDecision {
  if (explicit) return { ok: true, order: explicit, inferred: false };
  let mdy: string | undefined;
  let dmy: string | undefined;
  let ambiguous: string | undefined;
  let any = false;
  for (const d of dates) {
    any = true;
    if (d.first > 12) dmy ??= `${d.first}/${d.second}/${d.year}`;
    else if (d.second > 12) mdy ??= `${d.first}/${d.second}/${d.year}`;
    else if (d.first !== d.second) ambiguous ??= `${d.first}/${d.second}/${d.year}`;
  }
  if (mdy && dmy) return { ok: false, reason: "conflicting", example: `${mdy} and ${dmy}` };
  if (mdy) return { ok: true, order: "MDY", inferred: true };
  if (dmy) return { ok: true, order: "DMY", inferred: true };
  if (ambiguous) return { ok: false, reason: "ambiguous", example: ambiguous };
  // No numeric dates, or only ones whose day equals their month: the order makes no difference.
  void any;
  return { ok: true, order: undefined, inferred: true };
}

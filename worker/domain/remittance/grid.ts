/**
 * A grid of cell values: what a CSV, an XLSX sheet or the Excel add-in's `range.values` all reduce to.
 * Readers push rows into a sink one at a time, so a 100k-row file never needs a second full copy in memory.
 */
export type Cell = string | number | boolean | Date | null | undefined;

export interface RowSink {
  /** `row` is the 1-based row number in the sheet, `firstColumn` the 0-based index of cells[0]. */
  push(cells: readonly Cell[], row: number, firstColumn: number): void;
}

/** 0-based column index → spreadsheet letters (0 → A, 27 → AB). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Text of a cell for display in messages, shortened so a huge cell cannot flood a report. */
export function showCell(cell: Cell): string {
  let s: string;
  if (cell === null || cell === undefined) s = "";
  else if (cell instanceof Date) s = isoDay(cell) ?? "Invalid Date";
  else s = String(cell);
  // Control characters would break a one-line message (and a terminal).
  s = Array.from(s, (ch) => ((ch.codePointAt(0) ?? 32) < 32 || ch === "\u007f" ? " " : ch)).join("");
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Cell as trimmed text; non-printing and non-breaking spaces removed. */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") return cleanText(cell);
  if (cell instanceof Date) return isoDay(cell) ?? "";
  return String(cell);
}

const INVISIBLE = /[\u200b-\u200f\u2060\ufeff\u00ad]/g;
const SPACES = /[\s\u00a0\u2007\u202f]+/g;
/** Anything cleanText would change, in one test (the common cell has none of it). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
const NEEDS_CLEANING = /[\u0000-\u001f\u00a0\u00ad\u2007\u200b-\u200f\u202f\u2060\ufeff]|\s\s|^\s|\s$/;

export function cleanText(s: string): string {
  if (!NEEDS_CLEANING.test(s)) return s;
  return s.replace(INVISIBLE, "").replace(SPACES, " ").trim();
}

/** Normalise a label for matching: lower case, one kind of dash, single spaces. */
export function normaliseLabel(s: string): string {
  return cleanText(s)
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/\s*-\s*/g, " - ")
    .replace(/\s+/g, " ")
    .trim();
}

/** YYYY-MM-DD of a Date (UTC), or undefined for invalid Dates and years outside 1000–9999. */
export function isoDay(d: Date): string | undefined {
  const t = d.getTime();
  if (!Number.isFinite(t)) return undefined;
  const y = d.getUTCFullYear();
  return y < 1000 || y > 9999 ? undefined : d.toISOString().slice(0, 10);
}

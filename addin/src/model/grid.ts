/**
 * Rows ↔ cell grids. Reading turns whatever Excel hands back into the text the Worker expects; writing makes
 * sure nothing from Amazon or Xero can become a formula.
 */
import { type Cell, cellText, columnLetter } from "../../../worker/domain/remittance/grid";
import type { ColumnDef, SheetDef } from "./sheets";
import type { CellValue, Row } from "./types";

export { columnLetter };

/** Text that Excel would read as a formula (or a DDE payload) when written to `Range.values`. */
export function looksLikeFormula(text: string): boolean {
  return /^[=+\-@]/.test(text) || /^[\t\r]/.test(text);
}

/**
 * A value as written to a cell. Text starting with = + - @ gets Excel's quote prefix ('), which Excel keeps
 * out of the value — the cell shows and reads back the original text, never a formula.
 */
export function writableText(text: string): string {
  return looksLikeFormula(text) ? `'${text}` : text;
}

/** One cell for a column: money and int columns get numbers (so Excel sums and filters them). */
export function toCell(value: string | number | boolean | null | undefined, column: ColumnDef): CellValue {
  if (value === null || value === undefined || value === "") return "";
  if (column.format === "money" || column.format === "int") {
    if (typeof value === "number") return value;
    const n = Number(String(value).replace(/,/g, ""));
    return Number.isFinite(n) && /^-?[\d,]*\.?\d+$/.test(String(value).trim())
      ? n
      : writableText(String(value));
  }
  if (typeof value === "boolean") return column.format === "general" ? value : value ? "TRUE" : "FALSE";
  if (typeof value === "number") return column.format === "text" ? String(value) : value;
  return writableText(value);
}

/** A whole row through `toCell`, padded to the sheet's width. */
export function toRow(def: SheetDef, values: readonly (string | number | boolean | null | undefined)[]): Row {
  return def.columns.map((c, i) => toCell(values[i], c));
}

/** Values read from Excel → the text grid the Worker's mapping routes take (`string[][]`). */
export function textGrid(values: readonly (readonly unknown[])[]): string[][] {
  return values.map((r) => r.map((c) => cellText(c as Cell)));
}

/** Drop trailing blank rows and columns (Excel's used range often includes formatted blanks). */
export function trimGrid(grid: readonly (readonly string[])[]): string[][] {
  let rows = grid.length;
  while (rows > 0 && (grid[rows - 1] ?? []).every((c) => c === "")) rows--;
  let cols = 0;
  for (let r = 0; r < rows; r++) {
    const row = grid[r] ?? [];
    for (let c = row.length - 1; c >= cols; c--) if (row[c] !== "") cols = c + 1;
  }
  return grid.slice(0, rows).map((r) => Array.from({ length: cols }, (_, c) => r[c] ?? ""));
}

/** Header row → index of each header (trimmed, case-insensitive), as the core matches them. */
export function headerIndex(headers: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  headers.forEach((h, i) => {
    const key = h.trim().toLowerCase();
    if (key && !map.has(key)) map.set(key, i);
  });
  return map;
}

/** Grid with headers → objects keyed by the sheet's headers (unknown columns ignored, blank rows skipped). */
export function gridToRecords(def: SheetDef, grid: readonly (readonly string[])[]): Record<string, string>[] {
  const [head, ...body] = grid;
  if (!head) return [];
  const idx = headerIndex(head);
  return body
    .filter((r) => r.some((c) => c.trim() !== ""))
    .map((r) => {
      const rec: Record<string, string> = {};
      for (const c of def.columns) {
        const i = idx.get(c.header.toLowerCase());
        rec[c.header] = i === undefined ? "" : (r[i] ?? "");
      }
      return rec;
    });
}

/** Records → rows in the sheet's column order. */
export function recordsToRows(def: SheetDef, records: readonly Record<string, string>[]): Row[] {
  return records.map((rec) =>
    toRow(
      def,
      def.columns.map((c) => rec[c.header] ?? ""),
    ),
  );
}

/** Excel A1 address of a 0-based (row, column) cell. */
export function a1(row: number, column: number): string {
  return `${columnLetter(column)}${row + 1}`;
}

/** Excel serial day → YYYY-MM-DD (1900 date system; serial 60 is Excel's phantom 29 Feb 1900). */
export function serialToIso(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return undefined;
  const days = Math.floor(serial) - (serial > 60 ? 25569 : 25568);
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

const DATE_FORMAT = /(^|[^"\\])[dmy]{1,4}/i;

/**
 * A sheet read from Excel → the grid the Worker's remittance route takes: date cells (numbers with a date
 * format) become ISO text, empty strings become null, everything else passes through unchanged.
 */
export function remittanceGrid(
  values: readonly (readonly unknown[])[],
  formats?: readonly (readonly unknown[])[],
): (string | number | boolean | null)[][] {
  return values.map((row, r) =>
    row.map((v, c) => {
      if (v === "" || v === null || v === undefined) return null;
      if (typeof v === "number") {
        const f = String(formats?.[r]?.[c] ?? "General");
        if (f !== "General" && DATE_FORMAT.test(f.replace(/\[[^\]]*\]/g, ""))) return serialToIso(v) ?? v;
        return v;
      }
      if (typeof v === "string" || typeof v === "boolean") return v;
      return String(v);
    }),
  );
}

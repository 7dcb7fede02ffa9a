/**
 * Validation errors from the Worker (`POST …/mappings/validate`, or a 422 from `PUT …/mappings/:sheet`) →
 * marks on cells: where to put the conditional format and the note, and a summary for the pane.
 */
import { a1, headerIndex } from "./grid";

export interface MappingValidationError {
  sheet: string;
  row?: number;
  column?: string;
  cell?: string;
  message: string;
}

export interface CellMark {
  sheet: string;
  /** 0-based row and column in the sheet. */
  row: number;
  column: number;
  address: string;
  /** Every reason for this cell, one per line (the note's text). */
  message: string;
}

export interface ValidationSummary {
  marks: CellMark[];
  /** Errors that name no cell (a missing sheet, a missing catch-all row…). */
  general: MappingValidationError[];
  bySheet: Record<string, number>;
}

const A1 = /^\$?([A-Z]{1,3})\$?(\d+)$/;

function parseA1(cell: string): { row: number; column: number } | undefined {
  const m = A1.exec(cell.trim().toUpperCase());
  if (!m) return undefined;
  let col = 0;
  for (const ch of m[1] ?? "") col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]) - 1, column: col - 1 };
}

/**
 * `headers[sheet]` is the header row as it stands in the workbook (users may reorder columns), so a column
 * named by header lands on the right cell. The Worker's `row` is 1-based in the grid we sent, which starts at A1.
 */
export function marksFromErrors(
  errors: readonly MappingValidationError[],
  headers: Readonly<Record<string, readonly string[]>>,
): ValidationSummary {
  const byCell = new Map<string, CellMark>();
  const general: MappingValidationError[] = [];
  const bySheet: Record<string, number> = {};
  for (const e of errors) {
    bySheet[e.sheet] = (bySheet[e.sheet] ?? 0) + 1;
    let pos = e.cell ? parseA1(e.cell) : undefined;
    if (!pos && e.row !== undefined && e.column) {
      const col = headerIndex(headers[e.sheet] ?? []).get(e.column.trim().toLowerCase());
      if (col !== undefined) pos = { row: e.row - 1, column: col };
    }
    if (!pos) {
      general.push(e);
      continue;
    }
    const key = `${e.sheet}!${pos.row}:${pos.column}`;
    const existing = byCell.get(key);
    if (existing) {
      if (!existing.message.split("\n").includes(e.message)) existing.message += `\n${e.message}`;
    } else {
      byCell.set(key, {
        sheet: e.sheet,
        row: pos.row,
        column: pos.column,
        address: a1(pos.row, pos.column),
        message: e.message,
      });
    }
  }
  const marks = [...byCell.values()].sort(
    (a, b) => a.sheet.localeCompare(b.sheet) || a.row - b.row || a.column - b.column,
  );
  return { marks, general, bySheet };
}

/** One line for the pane: "3 problems: Deductions 2, Settings 1" or "All mappings valid". */
export function summaryText(s: ValidationSummary): string {
  const total = Object.values(s.bySheet).reduce((a, b) => a + b, 0);
  if (total === 0) return "All mappings are valid.";
  const parts = Object.entries(s.bySheet).map(([sheet, n]) => `${sheet} ${n}`);
  return `${total} problem${total === 1 ? "" : "s"}: ${parts.join(", ")}.`;
}

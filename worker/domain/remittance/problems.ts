import { type Cell, columnLetter, showCell } from "./grid";
import type { Problem } from "./model";

const MAX_MESSAGE = 500;

/** Collects problems for one file; every message names the row and the column as the user sees them. */
export class Problems {
  readonly list: Problem[] = [];
  constructor(
    readonly file: string,
    readonly sheet?: string,
  ) {}

  add(p: Omit<Problem, "file" | "sheet"> & { sheet?: string }): void {
    const sheet = p.sheet ?? this.sheet;
    // Values are shortened where they are quoted; this is the last guard so no report can balloon.
    const message = p.message.length > MAX_MESSAGE ? `${p.message.slice(0, MAX_MESSAGE - 3)}...` : p.message;
    const column = p.column && p.column.length > 80 ? `${p.column.slice(0, 77)}...` : p.column;
    this.list.push({
      file: this.file,
      ...(sheet ? { sheet } : {}),
      ...p,
      message,
      ...(column ? { column } : {}),
    });
  }

  /** "<Column> on row <n> is '<value>', <what>" for a bad cell. */
  cell(
    severity: Problem["severity"],
    code: string,
    at: { row: number; header: string; columnIndex?: number; sheet?: string },
    value: Cell,
    what: string,
  ): void {
    this.add({
      severity,
      code,
      row: at.row,
      column: at.header,
      ...(at.columnIndex === undefined ? {} : { cell: `${columnLetter(at.columnIndex)}${at.row}` }),
      ...(at.sheet ? { sheet: at.sheet } : {}),
      message: `${at.header} on row ${at.row} is '${showCell(value)}', ${what}`,
    });
  }

  get hasErrors(): boolean {
    return this.list.some((p) => p.severity === "error");
  }
}

/**
 * Everything the pane does to a workbook, behind one interface. `OfficeWorkbook` (office.ts) is the only
 * code that touches Office.js; `MemoryWorkbook` (memory.ts) implements the same contract in memory for
 * tests and for the browser preview (no Excel).
 */
import type { ListName, SheetDef } from "../model/sheets";
import type { Row } from "../model/types";
import type { CellMark } from "../model/validation";

/** What a bulk write cost: the number of `context.sync()` calls and the request bytes of the values. */
export interface WriteStats {
  syncs: number;
  bytes: number;
  rows: number;
}

export interface TablePlacement {
  /** 0-based top-left cell of the table's header row. Default A1. */
  row?: number;
  column?: number;
}

export type ListLengths = Partial<Record<ListName, number>>;

export interface ChartSpec {
  sheet: string;
  /** Source table (its header + body). */
  table: string;
  title: string;
  /** 0-based top-left cell where the chart goes. */
  row: number;
  column: number;
}

export interface WorkbookAdapter {
  /** Header + body of the sheet's table (or its used range when it has no table); undefined if no sheet. */
  readTable(def: SheetDef): Promise<unknown[][] | undefined>;
  /** The active sheet's used range (the user opened a Vendor Central export in Excel). */
  readActiveSheet(): Promise<{ name: string; values: unknown[][] }>;
  /**
   * Replace the sheet's table with `rows` (creating the sheet and table when missing): text formats first,
   * then values in chunks under the request budget, with events and calculation suspended.
   */
  writeTable(
    def: SheetDef,
    rows: readonly Row[],
    at?: TablePlacement,
    lists?: ListLengths,
  ): Promise<WriteStats>;
  /** Create the sheet and its (empty) table if missing; never touches existing rows. Adds dropdowns. */
  ensureTable(def: SheetDef, lists?: ListLengths): Promise<void>;
  /** Add rows after the table's last row (the Posting Log). */
  appendRows(def: SheetDef, rows: readonly Row[]): Promise<WriteStats>;
  /** Overwrite the body cells of consecutive columns starting at `fromHeader` (posting results). */
  writeColumns(def: SheetDef, fromHeader: string, rows: readonly Row[]): Promise<WriteStats>;
  /** Refresh the hidden Lists sheet: one column per list, header in row 1. Returns each list's length. */
  writeLists(lists: Partial<Record<ListName, readonly string[]>>): Promise<ListLengths>;
  /** Replace the sheet's validation marks: a conditional format (red fill) and a note per cell. */
  markCells(sheet: string, marks: readonly CellMark[]): Promise<void>;
  /** A clustered bar chart of a two-column table. Replaces an earlier chart with the same title. */
  addChart(chart: ChartSpec): Promise<void>;
  activate(sheet: string): Promise<void>;
  /**
   * The body row of the sheet's table that holds the active cell (0-based index into the body, with its
   * values), or undefined when the selection is not inside that table.
   */
  selectedRow(def: SheetDef): Promise<{ index: number; values: unknown[] } | undefined>;
  /** Call `onEdit(sheetName)` when a person edits one of these sheets; returns the unsubscribe. */
  watchEdits(sheets: readonly string[], onEdit: (sheet: string) => void): Promise<() => Promise<void>>;
}

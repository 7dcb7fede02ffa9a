/**
 * An in-memory workbook with the same contract as the Office adapter. It follows Excel's rules where they
 * matter to VCX: a leading apostrophe is a text prefix (not part of the value), an unprefixed string that
 * starts with "=" becomes a formula, numbers written to "@" cells become text, tables cannot overlap.
 * Used by unit tests, the Chromium end-to-end test and the browser preview mode.
 */
import { chunkRows, rowBytes, textColumnCount } from "../model/chunks";
import { a1, writableText } from "../model/grid";
import { LIST_NAMES, LISTS_SHEET_NAME, type ListName, listSource, type SheetDef } from "../model/sheets";
import type { CellValue, Row } from "../model/types";
import type { CellMark } from "../model/validation";
import type { ChartSpec, ListLengths, TablePlacement, WorkbookAdapter, WriteStats } from "./adapter";

export interface MemoryTable {
  name: string;
  row: number;
  column: number;
  headers: string[];
  /** Body rows (excluding the header). */
  rows: number;
}

export interface MemorySheet {
  name: string;
  visible: boolean;
  cells: CellValue[][];
  formats: string[][];
  tables: MemoryTable[];
  validations: { column: string; source: string; table: string }[];
  marks: { address: string; note: string; fill: string }[];
  charts: ChartSpec[];
}

export interface MemoryStats {
  syncs: number;
  bytes: number;
  /** Strings that Excel would have taken as formulas. Must stay empty. */
  formulas: string[];
  /** True if any write happened while events were enabled. */
  wroteWithEvents: boolean;
}

export class MemoryWorkbook implements WorkbookAdapter {
  readonly sheets = new Map<string, MemorySheet>();
  readonly stats: MemoryStats = { syncs: 0, bytes: 0, formulas: [], wroteWithEvents: false };
  active = "";
  /** The active cell (0-based), as the user last selected it. */
  selection?: { sheet: string; row: number; column: number };
  private eventsEnabled = true;
  private readonly listeners: { sheets: readonly string[]; onEdit: (s: string) => void }[] = [];

  constructor(private readonly budget?: number) {}

  sheet(name: string): MemorySheet {
    let s = this.sheets.get(name);
    if (!s) {
      s = {
        name,
        visible: true,
        cells: [],
        formats: [],
        tables: [],
        validations: [],
        marks: [],
        charts: [],
      };
      this.sheets.set(name, s);
      if (!this.active) this.active = name;
    }
    return s;
  }

  /** A table's header + body as values (tests and the browser test read sheets through this). */
  table(name: string): CellValue[][] | undefined {
    for (const s of this.sheets.values()) {
      const t = s.tables.find((x) => x.name === name);
      if (t) return this.region(s, t.row, t.column, t.rows + 1, t.headers.length);
    }
    return undefined;
  }

  /** Excel-like record of a user typing into a cell (fires edit listeners). */
  userEdit(sheet: string, row: number, column: number, value: CellValue): void {
    this.setCell(this.sheet(sheet), row, column, value, true);
    for (const l of this.listeners) if (l.sheets.includes(sheet)) l.onEdit(sheet);
  }

  /** Load a grid as a plain sheet (as if the user opened a CSV). */
  loadSheet(name: string, values: readonly (readonly CellValue[])[]): void {
    const s = this.sheet(name);
    values.forEach((r, i) => {
      r.forEach((v, j) => {
        this.setCell(s, i, j, v, true);
      });
    });
    this.active = name;
  }

  async readTable(def: SheetDef): Promise<unknown[][] | undefined> {
    this.stats.syncs++;
    const s = this.sheets.get(def.name);
    if (!s) return undefined;
    const t = s.tables.find((x) => x.name === def.table);
    if (t) return this.region(s, t.row, t.column, t.rows + 1, t.headers.length);
    return this.used(s);
  }

  async readActiveSheet(): Promise<{ name: string; values: unknown[][] }> {
    this.stats.syncs++;
    const s = this.sheets.get(this.active);
    return { name: this.active, values: s ? this.used(s) : [] };
  }

  async writeTable(
    def: SheetDef,
    rows: readonly Row[],
    at: TablePlacement = {},
    lists?: ListLengths,
  ): Promise<WriteStats> {
    this.stats.syncs++; // load: does the sheet/table exist
    const s = this.sheet(def.name);
    const r0 = at.row ?? 0;
    const c0 = at.column ?? 0;
    const old = s.tables.find((t) => t.name === def.table);
    if (old) {
      for (let r = old.row; r <= old.row + old.rows; r++)
        for (let c = old.column; c < old.column + old.headers.length; c++) this.clearCell(s, r, c);
      s.tables = s.tables.filter((t) => t !== old);
      s.validations = s.validations.filter((v) => v.table !== def.table);
    }
    const width = def.columns.length;
    for (const t of s.tables)
      if (
        r0 <= t.row + t.rows &&
        t.row <= r0 + rows.length &&
        c0 < t.column + t.headers.length &&
        t.column < c0 + width
      )
        throw new Error(`Table ${def.table} would overlap ${t.name}`);
    this.withEvents(() => {
      this.formatColumns(s, def, r0, c0, rows.length + 1);
      def.columns.forEach((c, j) => {
        this.setCell(s, r0, c0 + j, c.header);
      });
    });
    const stats = this.writeChunks(s, def, rows, r0 + 1, c0);
    s.tables.push({
      name: def.table,
      row: r0,
      column: c0,
      headers: def.columns.map((c) => c.header),
      rows: rows.length,
    });
    this.addValidations(s, def, lists);
    return { ...stats, syncs: stats.syncs + 1 };
  }

  async ensureTable(def: SheetDef, lists?: ListLengths): Promise<void> {
    this.stats.syncs++;
    const s = this.sheet(def.name);
    if (!s.tables.some((t) => t.name === def.table)) {
      this.withEvents(() => {
        this.formatColumns(s, def, 0, 0, 1001);
        def.columns.forEach((c, j) => {
          this.setCell(s, 0, j, c.header);
        });
      });
      s.tables.push({
        name: def.table,
        row: 0,
        column: 0,
        headers: def.columns.map((c) => c.header),
        rows: 0,
      });
    }
    this.addValidations(s, def, lists);
    this.stats.syncs++;
  }

  async appendRows(def: SheetDef, rows: readonly Row[]): Promise<WriteStats> {
    await this.ensureTable(def);
    const s = this.sheet(def.name);
    const t = s.tables.find((x) => x.name === def.table)!;
    this.formatColumns(s, def, t.row + t.rows + 1, t.column, rows.length);
    const stats = this.writeChunks(s, def, rows, t.row + t.rows + 1, t.column);
    t.rows += rows.length;
    return stats;
  }

  async writeColumns(def: SheetDef, fromHeader: string, rows: readonly Row[]): Promise<WriteStats> {
    this.stats.syncs++;
    const s = this.sheet(def.name);
    const t = s.tables.find((x) => x.name === def.table);
    if (!t) throw new Error(`No table ${def.table}`);
    const j = t.headers.indexOf(fromHeader);
    if (j < 0) throw new Error(`No column ${fromHeader} in ${def.table}`);
    if (rows.length > t.rows) throw new Error(`${rows.length} rows for a table of ${t.rows}`);
    const sub = { ...def, columns: def.columns.slice(j, j + (rows[0]?.length ?? 0)) };
    return this.writeChunks(s, sub, rows, t.row + 1, t.column + j);
  }

  async writeLists(lists: Partial<Record<ListName, readonly string[]>>): Promise<ListLengths> {
    const s = this.sheet(LISTS_SHEET_NAME);
    s.visible = false;
    s.cells = [];
    s.formats = [];
    const lengths: ListLengths = {};
    const longest = Math.max(0, ...LIST_NAMES.map((n) => lists[n]?.length ?? 0));
    this.withEvents(() => {
      LIST_NAMES.forEach((name, j) => {
        const values = lists[name] ?? [];
        lengths[name] = values.length;
        for (let r = 0; r <= longest; r++) this.format(s, r, j, "@");
        this.setCell(s, 0, j, name);
        values.forEach((v, i) => {
          this.setCell(s, i + 1, j, writableText(v));
        });
      });
    });
    this.stats.syncs++;
    return lengths;
  }

  async markCells(sheet: string, marks: readonly CellMark[]): Promise<void> {
    const s = this.sheet(sheet);
    s.marks = marks.map((m) => ({ address: m.address, note: m.message, fill: "#FDE7E9" }));
    this.stats.syncs++;
  }

  async addChart(chart: ChartSpec): Promise<void> {
    const s = this.sheet(chart.sheet);
    s.charts = s.charts.filter((c) => c.title !== chart.title).concat(chart);
    this.stats.syncs++;
  }

  /** Excel-like record of a user clicking a cell. */
  select(sheet: string, row: number, column = 0): void {
    this.sheet(sheet);
    this.active = sheet;
    this.selection = { sheet, row, column };
  }

  async selectedRow(def: SheetDef): Promise<{ index: number; values: unknown[] } | undefined> {
    this.stats.syncs++;
    const sel = this.selection;
    if (!sel || sel.sheet !== def.name || this.active !== def.name) return undefined;
    const s = this.sheets.get(def.name);
    const t = s?.tables.find((x) => x.name === def.table);
    if (!s || !t) return undefined;
    const index = sel.row - t.row - 1;
    if (index < 0 || index >= t.rows || sel.column < t.column || sel.column >= t.column + t.headers.length)
      return undefined;
    return { index, values: this.region(s, sel.row, t.column, 1, t.headers.length)[0] ?? [] };
  }

  async activate(sheet: string): Promise<void> {
    this.sheet(sheet);
    this.active = sheet;
  }

  async watchEdits(sheets: readonly string[], onEdit: (sheet: string) => void): Promise<() => Promise<void>> {
    const l = { sheets, onEdit };
    this.listeners.push(l);
    return async () => {
      this.listeners.splice(this.listeners.indexOf(l), 1);
    };
  }

  // ---- internals -------------------------------------------------------------------------------

  private withEvents(fn: () => void): void {
    this.eventsEnabled = false;
    try {
      fn();
    } finally {
      this.eventsEnabled = true;
    }
  }

  private writeChunks(
    s: MemorySheet,
    def: SheetDef,
    rows: readonly Row[],
    r0: number,
    c0: number,
  ): WriteStats {
    const text = textColumnCount(def);
    const chunks = chunkRows(rows, text, this.budget);
    let bytes = 0;
    this.withEvents(() => {
      for (const ch of chunks) {
        for (let i = ch.start; i < ch.start + ch.count; i++) {
          (rows[i] ?? []).forEach((v, j) => {
            this.setCell(s, r0 + i, c0 + j, v);
          });
          bytes += rowBytes(rows[i] ?? [], text);
        }
        this.stats.syncs++;
      }
    });
    this.stats.bytes += bytes;
    return { syncs: chunks.length, bytes, rows: rows.length };
  }

  private formatColumns(s: MemorySheet, def: SheetDef, r0: number, c0: number, count: number): void {
    def.columns.forEach((c, j) => {
      if (c.format !== "text" && c.format !== "link") return;
      for (let r = r0; r < r0 + count; r++) this.format(s, r, c0 + j, "@");
    });
  }

  private addValidations(s: MemorySheet, def: SheetDef, lists?: ListLengths): void {
    if (!lists && !def.columns.some((c) => c.options)) return;
    s.validations = s.validations.filter((v) => v.table !== def.table);
    def.columns.forEach((c, j) => {
      const source = c.options
        ? c.options.join(",")
        : c.list && lists
          ? listSource(c.list, lists[c.list] ?? 0)
          : undefined;
      if (!source) return;
      s.validations.push({
        column: a1(0, j).replace(/\d+$/, ""),
        source,
        table: def.table,
      });
    });
  }

  private format(s: MemorySheet, r: number, c: number, f: string): void {
    const row = s.formats[r] ?? [];
    s.formats[r] = row;
    row[c] = f;
  }

  private clearCell(s: MemorySheet, r: number, c: number): void {
    const row = s.cells[r];
    if (row) row[c] = "";
  }

  private setCell(s: MemorySheet, r: number, c: number, v: CellValue, raw = false): void {
    const row = s.cells[r] ?? [];
    s.cells[r] = row;
    if (raw) {
      row[c] = v;
      return;
    }
    if (this.eventsEnabled) this.stats.wroteWithEvents = true;
    const isText = s.formats[r]?.[c] === "@";
    if (typeof v === "string" && v.startsWith("'")) row[c] = v.slice(1);
    else if (typeof v === "string" && /^[=+\-@]/.test(v)) {
      // Excel parses these as formulas when written through Range.values, whatever the number format.
      this.stats.formulas.push(v);
      row[c] = v;
    } else row[c] = isText && typeof v !== "string" ? String(v) : v;
  }

  private region(s: MemorySheet, r0: number, c0: number, rows: number, cols: number): CellValue[][] {
    return Array.from({ length: rows }, (_, i) =>
      Array.from({ length: cols }, (_, j) => s.cells[r0 + i]?.[c0 + j] ?? ""),
    );
  }

  private used(s: MemorySheet): CellValue[][] {
    const rows = s.cells.length;
    const cols = Math.max(0, ...s.cells.map((r) => r?.length ?? 0));
    return this.region(s, 0, 0, rows, cols);
  }
}

/**
 * The only code that calls Office.js. Discipline (platform.md §3): one `sync` per chunk of writes, chunks under
 * the 5 MB request limit, number formats "@" queued before the values of text columns, events off and
 * calculation suspended around bulk writes, values from outside always passed through `writableText`.
 */
import { chunkRows, REQUEST_BUDGET_BYTES, textColumnCount } from "../model/chunks";
import { remittanceGrid, writableText } from "../model/grid";
import { LIST_NAMES, LISTS_SHEET_NAME, type ListName, listSource, type SheetDef } from "../model/sheets";
import type { Row } from "../model/types";
import type { CellMark } from "../model/validation";
import type { ChartSpec, ListLengths, TablePlacement, WorkbookAdapter, WriteStats } from "./adapter";

export type Runner = <T>(batch: (ctx: Excel.RequestContext) => Promise<T>) => Promise<T>;

/** Cells per read request: 13 columns × ~20k rows stays well under 5 MB of response. */
const READ_CELLS_PER_SYNC = 250_000;
/** Cell marks beyond this are summarised in the pane only (one conditional format per cell). */
export const MAX_MARKS = 500;
const MARK_FILL = "#FDE7E9";
const MARK_FONT = "#A4262C";
const NOTE_PREFIX = "VCX: ";

export class OfficeWorkbook implements WorkbookAdapter {
  private readonly markedCells = new Map<string, string[]>();

  constructor(
    private readonly run: Runner = (batch) => Excel.run(batch),
    private readonly budget = REQUEST_BUDGET_BYTES,
    private readonly notesSupported = () =>
      typeof Office !== "undefined" && !!Office.context?.requirements?.isSetSupported("ExcelApi", "1.18"),
  ) {}

  readTable(def: SheetDef): Promise<unknown[][] | undefined> {
    return this.run(async (ctx) => {
      const sheet = ctx.workbook.worksheets.getItemOrNullObject(def.name);
      const table = ctx.workbook.tables.getItemOrNullObject(def.table);
      await ctx.sync();
      if (sheet.isNullObject) return undefined;
      const range = table.isNullObject ? sheet.getUsedRangeOrNullObject(true) : table.getRange();
      return (await readRange(ctx, range, false)).values;
    });
  }

  readActiveSheet(): Promise<{ name: string; values: unknown[][] }> {
    return this.run(async (ctx) => {
      const sheet = ctx.workbook.worksheets.getActiveWorksheet();
      sheet.load("name");
      const { values, formats } = await readRange(ctx, sheet.getUsedRangeOrNullObject(true), true);
      // Dates arrive as serial numbers: turn them to ISO text where the cell's format says "date".
      return { name: sheet.name, values: remittanceGrid(values, formats) };
    });
  }

  writeTable(
    def: SheetDef,
    rows: readonly Row[],
    at: TablePlacement = {},
    lists?: ListLengths,
  ): Promise<WriteStats> {
    return this.run(async (ctx) => {
      const wb = ctx.workbook;
      const existing = wb.worksheets.getItemOrNullObject(def.name);
      const old = wb.tables.getItemOrNullObject(def.table);
      await ctx.sync();
      let syncs = 1;
      const sheet = existing.isNullObject ? wb.worksheets.add(def.name) : existing;
      if (!old.isNullObject) {
        const area = old.getRange();
        old.delete();
        area.clear(Excel.ClearApplyTo.all);
      }
      ctx.runtime.enableEvents = false;
      const r0 = at.row ?? 0;
      const c0 = at.column ?? 0;
      const width = def.columns.length;
      const header = sheet.getRangeByIndexes(r0, c0, 1, width);
      header.numberFormat = [def.columns.map(() => "@")];
      header.values = [def.columns.map((c) => c.header)];
      const text = textColumnCount(def);
      const chunks = chunkRows(rows, text, this.budget);
      let bytes = 0;
      const finish = () => {
        const table = sheet.tables.add(sheet.getRangeByIndexes(r0, c0, rows.length + 1, width), true);
        table.name = def.table;
        table.style = "TableStyleLight9";
        this.queueValidations(table, def, lists);
        if (r0 === 0 && c0 === 0) sheet.freezePanes.freezeRows(1);
        ctx.runtime.enableEvents = true;
      };
      try {
        for (const [i, ch] of chunks.entries()) {
          wb.application.suspendApiCalculationUntilNextSync();
          const part = rows.slice(ch.start, ch.start + ch.count);
          this.queueTextFormats(sheet, def, r0 + 1 + ch.start, c0, ch.count);
          sheet.getRangeByIndexes(r0 + 1 + ch.start, c0, ch.count, width).values = part as Row[];
          bytes += ch.bytes;
          if (i === chunks.length - 1) finish();
          await ctx.sync();
          syncs++;
        }
        if (chunks.length === 0) {
          finish();
          await ctx.sync();
          syncs++;
        }
      } catch (e) {
        ctx.runtime.enableEvents = true;
        await ctx.sync().catch(() => undefined);
        throw e;
      }
      return { syncs, bytes, rows: rows.length };
    });
  }

  ensureTable(def: SheetDef, lists?: ListLengths): Promise<void> {
    return this.run(async (ctx) => {
      const wb = ctx.workbook;
      const existing = wb.worksheets.getItemOrNullObject(def.name);
      const found = wb.tables.getItemOrNullObject(def.table);
      await ctx.sync();
      const sheet = existing.isNullObject ? wb.worksheets.add(def.name) : existing;
      let table = found;
      if (found.isNullObject) {
        ctx.runtime.enableEvents = false;
        const header = sheet.getRangeByIndexes(0, 0, 1, def.columns.length);
        header.numberFormat = [def.columns.map(() => "@")];
        header.values = [def.columns.map((c) => c.header)];
        table = sheet.tables.add(sheet.getRangeByIndexes(0, 0, 2, def.columns.length), true);
        table.name = def.table;
        table.style = "TableStyleLight9";
        def.columns.forEach((c, j) => {
          if (c.format === "text" || c.format === "link")
            table.columns.getItemAt(j).getDataBodyRange().numberFormat = [["@"]];
        });
        sheet.freezePanes.freezeRows(1);
        ctx.runtime.enableEvents = true;
      }
      this.queueValidations(table, def, lists);
      await ctx.sync();
    });
  }

  async appendRows(def: SheetDef, rows: readonly Row[]): Promise<WriteStats> {
    await this.ensureTable(def);
    return this.run(async (ctx) => {
      const table = ctx.workbook.tables.getItem(def.table);
      const chunks = chunkRows(rows, textColumnCount(def), this.budget);
      ctx.runtime.enableEvents = false;
      let bytes = 0;
      for (const [i, ch] of chunks.entries()) {
        ctx.workbook.application.suspendApiCalculationUntilNextSync();
        table.rows.add(undefined, rows.slice(ch.start, ch.start + ch.count) as Row[]);
        bytes += ch.bytes;
        if (i === chunks.length - 1) ctx.runtime.enableEvents = true;
        await ctx.sync();
      }
      return { syncs: chunks.length + 1, bytes, rows: rows.length };
    });
  }

  writeColumns(def: SheetDef, fromHeader: string, rows: readonly Row[]): Promise<WriteStats> {
    return this.run(async (ctx) => {
      const table = ctx.workbook.tables.getItem(def.table);
      const head = table.getHeaderRowRange().load("values,rowIndex,columnIndex");
      const sheet = table.worksheet;
      await ctx.sync();
      const j = (head.values[0] ?? []).indexOf(fromHeader);
      if (j < 0) throw new Error(`The ${def.name} sheet has no "${fromHeader}" column.`);
      const width = rows[0]?.length ?? 0;
      const from = def.columns.findIndex((c) => c.header === fromHeader);
      const sub: SheetDef = { ...def, columns: def.columns.slice(from, from + width) };
      const chunks = chunkRows(rows, textColumnCount(sub), this.budget);
      ctx.runtime.enableEvents = false;
      for (const [i, ch] of chunks.entries()) {
        ctx.workbook.application.suspendApiCalculationUntilNextSync();
        const r = head.rowIndex + 1 + ch.start;
        this.queueTextFormats(sheet, sub, r, head.columnIndex + j, ch.count);
        sheet.getRangeByIndexes(r, head.columnIndex + j, ch.count, width).values = rows.slice(
          ch.start,
          ch.start + ch.count,
        ) as Row[];
        if (i === chunks.length - 1) ctx.runtime.enableEvents = true;
        await ctx.sync();
      }
      return { syncs: chunks.length + 1, bytes: chunks.reduce((a, c) => a + c.bytes, 0), rows: rows.length };
    });
  }

  writeLists(lists: Partial<Record<ListName, readonly string[]>>): Promise<ListLengths> {
    return this.run(async (ctx) => {
      const wb = ctx.workbook;
      const existing = wb.worksheets.getItemOrNullObject(LISTS_SHEET_NAME);
      await ctx.sync();
      const sheet = existing.isNullObject ? wb.worksheets.add(LISTS_SHEET_NAME) : existing;
      ctx.runtime.enableEvents = false;
      sheet.getRange().clear(Excel.ClearApplyTo.contents);
      const lengths: ListLengths = {};
      const height = 1 + Math.max(0, ...LIST_NAMES.map((n) => lists[n]?.length ?? 0));
      const grid: string[][] = Array.from({ length: height }, (_, r) =>
        LIST_NAMES.map((n) => (r === 0 ? n : writableText(lists[n]?.[r - 1] ?? ""))),
      );
      for (const n of LIST_NAMES) lengths[n] = lists[n]?.length ?? 0;
      const range = sheet.getRangeByIndexes(0, 0, height, LIST_NAMES.length);
      range.numberFormat = grid.map((r) => r.map(() => "@"));
      range.values = grid;
      sheet.visibility = Excel.SheetVisibility.hidden;
      ctx.runtime.enableEvents = true;
      await ctx.sync();
      return lengths;
    });
  }

  markCells(sheetName: string, marks: readonly CellMark[]): Promise<void> {
    return this.run(async (ctx) => {
      const sheet = ctx.workbook.worksheets.getItem(sheetName);
      const useNotes = this.notesSupported();
      ctx.runtime.enableEvents = false;
      // Clear our previous marks: their conditional formats and notes (or validation prompts).
      for (const address of this.markedCells.get(sheetName) ?? []) {
        const cell = sheet.getRange(address);
        cell.conditionalFormats.clearAll();
        if (!useNotes) cell.dataValidation.prompt = { showPrompt: false, title: "", message: "" };
      }
      if (useNotes) {
        const notes = sheet.notes.load("items/content");
        await ctx.sync();
        for (const n of notes.items) if (n.content.startsWith(NOTE_PREFIX)) n.delete();
      }
      const shown = marks.slice(0, MAX_MARKS);
      for (const m of shown) {
        const cell = sheet.getRange(m.address);
        const cf = cell.conditionalFormats.add(Excel.ConditionalFormatType.custom);
        cf.custom.rule.formula = "=TRUE";
        cf.custom.format.fill.color = MARK_FILL;
        cf.custom.format.font.color = MARK_FONT;
        if (useNotes) sheet.notes.add(cell, NOTE_PREFIX + m.message);
        // ExcelApi 1.8 has no notes: the reason shows when the cell is selected.
        else
          cell.dataValidation.prompt = { showPrompt: true, title: "VCX", message: m.message.slice(0, 255) };
      }
      this.markedCells.set(
        sheetName,
        shown.map((m) => m.address),
      );
      ctx.runtime.enableEvents = true;
      await ctx.sync();
    });
  }

  addChart(spec: ChartSpec): Promise<void> {
    return this.run(async (ctx) => {
      const sheet = ctx.workbook.worksheets.getItem(spec.sheet);
      const old = sheet.charts.getItemOrNullObject(spec.title);
      await ctx.sync();
      if (!old.isNullObject) old.delete();
      const source = ctx.workbook.tables.getItem(spec.table).getRange();
      const chart = sheet.charts.add(Excel.ChartType.barClustered, source, Excel.ChartSeriesBy.columns);
      chart.name = spec.title;
      chart.title.text = spec.title;
      chart.legend.visible = false;
      chart.setPosition(
        sheet.getRangeByIndexes(spec.row, spec.column, 1, 1),
        sheet.getRangeByIndexes(spec.row + 15, spec.column + 6, 1, 1),
      );
      await ctx.sync();
    });
  }

  selectedRow(def: SheetDef): Promise<{ index: number; values: unknown[] } | undefined> {
    return this.run(async (ctx) => {
      const cell = ctx.workbook.getActiveCell().load("rowIndex,columnIndex");
      const sheet = ctx.workbook.worksheets.getActiveWorksheet().load("name");
      const table = ctx.workbook.tables.getItemOrNullObject(def.table);
      await ctx.sync();
      if (table.isNullObject || sheet.name !== def.name) return undefined;
      const body = table.getDataBodyRange().load("rowIndex,columnIndex,rowCount,columnCount");
      await ctx.sync();
      const index = cell.rowIndex - body.rowIndex;
      const inside =
        index >= 0 &&
        index < body.rowCount &&
        cell.columnIndex >= body.columnIndex &&
        cell.columnIndex < body.columnIndex + body.columnCount;
      if (!inside) return undefined;
      const row = body.getRow(index).load("values");
      await ctx.sync();
      return { index, values: row.values[0] ?? [] };
    });
  }

  activate(name: string): Promise<void> {
    return this.run(async (ctx) => {
      ctx.workbook.worksheets.getItem(name).activate();
      await ctx.sync();
    });
  }

  async watchEdits(sheets: readonly string[], onEdit: (sheet: string) => void): Promise<() => Promise<void>> {
    const handlers = await this.run(async (ctx) => {
      const hs = sheets.map((name) => {
        const sheet = ctx.workbook.worksheets.getItemOrNullObject(name);
        return { name, sheet };
      });
      await ctx.sync();
      const added = hs
        .filter((x) => !x.sheet.isNullObject)
        .map((x) =>
          x.sheet.onChanged.add(async () => {
            onEdit(x.name);
          }),
        );
      await ctx.sync();
      return added;
    });
    return async () => {
      const first = handlers[0];
      if (!first) return;
      await Excel.run(first.context, async (ctx) => {
        for (const h of handlers) h.remove();
        await ctx.sync();
      });
    };
  }

  // ---- queued helpers -------------------------------------------------------------------------

  private queueTextFormats(
    sheet: Excel.Worksheet,
    def: SheetDef,
    row: number,
    c0: number,
    count: number,
  ): void {
    def.columns.forEach((c, j) => {
      if (c.format === "text" || c.format === "link")
        sheet.getRangeByIndexes(row, c0 + j, count, 1).numberFormat = Array.from({ length: count }, () => [
          "@",
        ]);
    });
  }

  private queueValidations(table: Excel.Table, def: SheetDef, lists?: ListLengths): void {
    def.columns.forEach((c, j) => {
      if (c.options) {
        const body = table.columns.getItemAt(j).getDataBodyRange();
        body.dataValidation.clear();
        body.dataValidation.rule = { list: { inCellDropDown: true, source: c.options.join(",") } };
        body.dataValidation.errorAlert = {
          showAlert: true,
          style: Excel.DataValidationAlertStyle.stop,
          title: c.header,
          message: `Choose one of the listed values for ${c.header}.`,
        };
        return;
      }
      if (!lists || !c.list) return;
      const body = table.columns.getItemAt(j).getDataBodyRange();
      body.dataValidation.clear();
      body.dataValidation.rule = {
        list: { inCellDropDown: true, source: listSource(c.list, lists[c.list] ?? 0) },
      };
      // Fixed vocabularies refuse other values; Xero lists only warn (a new account may not be refreshed yet).
      const fixed =
        c.list === "treatments" ||
        c.list === "kinds" ||
        c.list === "matchOn" ||
        c.list === "designs" ||
        c.list === "booleans";
      body.dataValidation.errorAlert = {
        showAlert: true,
        style: fixed ? Excel.DataValidationAlertStyle.stop : Excel.DataValidationAlertStyle.warning,
        title: c.header,
        message: fixed
          ? `Choose one of the listed values for ${c.header}.`
          : `${c.header} is not in the list from Xero. Refresh lists if it was just added.`,
      };
    });
  }
}

/** Read a range's values (and number formats) in row blocks so no response passes the size limit. */
async function readRange(
  ctx: Excel.RequestContext,
  range: Excel.Range,
  withFormats: boolean,
): Promise<{ values: unknown[][]; formats: unknown[][] }> {
  range.load("rowIndex,columnIndex,rowCount,columnCount");
  await ctx.sync();
  if (range.isNullObject) return { values: [], formats: [] };
  const perBlock = Math.max(1, Math.floor(READ_CELLS_PER_SYNC / Math.max(1, range.columnCount)));
  const values: unknown[][] = [];
  const formats: unknown[][] = [];
  const sheet = range.worksheet;
  for (let r = 0; r < range.rowCount; r += perBlock) {
    const n = Math.min(perBlock, range.rowCount - r);
    const block = sheet.getRangeByIndexes(range.rowIndex + r, range.columnIndex, n, range.columnCount);
    block.load(withFormats ? "values,numberFormat" : "values");
    await ctx.sync();
    values.push(...block.values);
    if (withFormats) formats.push(...block.numberFormat);
    block.untrack();
  }
  return { values, formats };
}

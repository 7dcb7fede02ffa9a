/**
 * The real Office.js adapter, without Excel: office-addin-mock for load/sync discipline on reads, and a
 * recording request context for the write call sequence (office-addin-mock's collections do not grow, so
 * bulk writes are checked against a recorder that measures each batch's payload).
 */
import { OfficeMockObject } from "office-addin-mock";
import { beforeAll, describe, expect, it } from "vitest";
import { OfficeWorkbook, type Runner } from "../../addin/src/excel/office";
import { toRow } from "../../addin/src/model/grid";
import { EXCEPTIONS_SHEET, MAPPING_SHEET_DEFS, REVIEW_SHEET } from "../../addin/src/model/sheets";

// biome-ignore lint/suspicious/noExplicitAny: the mock's shape is built at run time
type MockContext = Record<string, any>;

const deductions = MAPPING_SHEET_DEFS.find((d) => d.name === "Deductions")!;

beforeAll(() => {
  // The enums the adapter uses, as Office.js defines them.
  (globalThis as Record<string, unknown>)["Excel"] = {
    ClearApplyTo: { all: "All", contents: "Contents" },
    ConditionalFormatType: { custom: "Custom" },
    DataValidationAlertStyle: { stop: "Stop", warning: "Warning" },
    SheetVisibility: { hidden: "Hidden" },
    ChartType: { barClustered: "BarClustered" },
    ChartSeriesBy: { columns: "Columns" },
  };
});

describe("OfficeWorkbook reads (office-addin-mock enforces load → sync → read)", () => {
  it("reads a table's values only after loading and syncing them", async () => {
    const values = [
      ["Kind", "Account Code"],
      ["coop", "0610"],
    ];
    const mock = new OfficeMockObject({
      context: {
        workbook: {
          worksheets: {
            sheet: {
              isNullObject: false,
              block: { values, rowIndex: 0, columnIndex: 0, rowCount: 2, columnCount: 2, untrack() {} },
              getRangeByIndexes() {
                return this.block;
              },
            },
            getItemOrNullObject() {
              return this.sheet;
            },
          },
          tables: {
            table: {
              isNullObject: false,
              range: { rowIndex: 0, columnIndex: 0, rowCount: 2, columnCount: 2 },
              getRange() {
                return this.range;
              },
            },
            getItemOrNullObject() {
              return this.table;
            },
          },
        },
      },
    }) as unknown as { context: MockContext };
    const ctx = mock.context;
    // Null-object flags are known after a sync without load in Office.js.
    Object.defineProperty(ctx.workbook.worksheets.sheet, "isNullObject", { value: false });
    Object.defineProperty(ctx.workbook.tables.table, "isNullObject", { value: false });
    ctx.workbook.tables.table.range.worksheet = ctx.workbook.worksheets.sheet;
    const run: Runner = (batch) => batch(ctx as unknown as Excel.RequestContext);
    const wb = new OfficeWorkbook(run);
    expect(await wb.readTable(deductions)).toEqual(values);
  });
});

describe("OfficeWorkbook.selectedRow (office-addin-mock enforces load → sync → read)", () => {
  function ctxWith(active: { sheet: string; row: number; column: number }) {
    const mock = new OfficeMockObject({
      context: {
        workbook: {
          cell: { rowIndex: active.row, columnIndex: active.column },
          getActiveCell() {
            return this.cell;
          },
          worksheets: {
            active: { name: active.sheet },
            getActiveWorksheet() {
              return this.active;
            },
          },
          tables: {
            table: {
              body: {
                rowIndex: 1,
                columnIndex: 0,
                rowCount: 2,
                columnCount: 10,
                row: { values: [["P1", 4, "D2", "c2", "warning", "r", "f", 0, "open", "e2"]] },
                getRow() {
                  return this.row;
                },
              },
              getDataBodyRange() {
                return this.body;
              },
            },
            getItemOrNullObject() {
              return this.table;
            },
          },
        },
      },
    }) as unknown as { context: MockContext };
    const ctx = mock.context;
    Object.defineProperty(ctx.workbook.tables.table, "isNullObject", { value: false });
    return ctx;
  }

  it("returns the body row under the active cell, loading before reading", async () => {
    const ctx = ctxWith({ sheet: "Exceptions", row: 2, column: 3 });
    const wb = new OfficeWorkbook((batch) => batch(ctx as unknown as Excel.RequestContext));
    expect(await wb.selectedRow(EXCEPTIONS_SHEET)).toEqual({
      index: 1,
      values: ["P1", 4, "D2", "c2", "warning", "r", "f", 0, "open", "e2"],
    });
  });

  it("undefined on the header row or another sheet", async () => {
    for (const sel of [
      { sheet: "Exceptions", row: 0, column: 0 },
      { sheet: "Review", row: 2, column: 0 },
    ]) {
      const ctx = ctxWith(sel);
      const wb = new OfficeWorkbook((batch) => batch(ctx as unknown as Excel.RequestContext));
      expect(await wb.selectedRow(EXCEPTIONS_SHEET)).toBeUndefined();
    }
  });
});

/** Records every queued command per batch, and the bytes of values / number formats sent. */
function recorder() {
  const batches: { ops: string[]; bytes: number }[] = [{ ops: [], bytes: 0 }];
  const op = (s: string) => batches[batches.length - 1]!.ops.push(s);
  const bytes = (v: unknown) => {
    batches[batches.length - 1]!.bytes += new TextEncoder().encode(JSON.stringify(v)).length;
  };
  const range = (addr: string) => ({
    set values(v: unknown[][]) {
      op(`values ${addr} ${v.length}x${v[0]?.length ?? 0}`);
      bytes(v);
    },
    set numberFormat(v: unknown[][]) {
      op(`numberFormat ${addr} ${v.length}x${v[0]?.length ?? 0} ${String(v[0]?.[0])}`);
      bytes(v);
    },
    clear: () => op(`clear ${addr}`),
    dataValidation: {
      clear: () => op(`dv.clear ${addr}`),
      set rule(r: { list: { source: string } }) {
        op(`dv.rule ${addr} ${r.list.source}`);
      },
      set errorAlert(a: { style: string }) {
        op(`dv.alert ${addr} ${a.style}`);
      },
    },
  });
  const table = {
    set name(n: string) {
      op(`table.name ${n}`);
    },
    set style(_s: string) {},
    columns: { getItemAt: (j: number) => ({ getDataBodyRange: () => range(`col${j}`) }) },
  };
  const sheet = {
    isNullObject: true,
    getRangeByIndexes: (r: number, c: number, n: number, w: number) => range(`R${r}C${c}:${n}x${w}`),
    tables: {
      add: (_r: unknown, _h: boolean) => {
        op("tables.add");
        return table;
      },
    },
    freezePanes: { freezeRows: () => op("freeze") },
  };
  const ctx = {
    runtime: {
      set enableEvents(v: boolean) {
        op(`enableEvents ${v}`);
      },
    },
    workbook: {
      worksheets: {
        getItemOrNullObject: () => sheet,
        add: (n: string) => {
          op(`sheet.add ${n}`);
          return { ...sheet, isNullObject: false };
        },
      },
      tables: { getItemOrNullObject: () => ({ isNullObject: true }) },
      application: { suspendApiCalculationUntilNextSync: () => op("suspendCalc") },
    },
    sync: async () => {
      batches.push({ ops: [], bytes: 0 });
    },
  };
  const run: Runner = (batch) => batch(ctx as unknown as Excel.RequestContext);
  return { batches, run };
}

describe("OfficeWorkbook writes (recorded call sequence)", () => {
  it("a new table: formats '@' before values, events off, table + dropdowns last, one sync per chunk", async () => {
    const { batches, run } = recorder();
    const wb = new OfficeWorkbook(run);
    const rows = [toRow(deductions, ["", "coop", "", "", "0610", "", "journal"])];
    const stats = await wb.writeTable(
      deductions,
      rows,
      {},
      { accounts: 14, treatments: 3, kinds: 16, matchOn: 3, taxTypes: 2 },
    );
    expect(stats.syncs).toBe(2);
    expect(batches[0]?.ops).toEqual([]); // the existence check
    const ops = batches[1]!.ops;
    expect(ops[0]).toBe("sheet.add Deductions");
    expect(ops[1]).toBe("enableEvents false");
    const firstValues = ops.findIndex((o) => o.startsWith("values R1C0"));
    const accountFormat = ops.findIndex((o) => o.startsWith("numberFormat R1C4:1x1 1x1 @"));
    expect(accountFormat).toBeGreaterThan(-1);
    expect(accountFormat).toBeLessThan(firstValues);
    expect(ops).toContain("suspendCalc");
    expect(ops).toContain("table.name VcxDeductions");
    expect(ops).toContain("dv.rule col4 =Lists!$A$2:$A$15");
    expect(ops).toContain("dv.alert col6 Stop");
    expect(ops).toContain("dv.alert col4 Warning");
    expect(ops[ops.length - 1]).toBe("enableEvents true");
  });

  it("50,000 Review rows: every batch under 5 MB, syncs ≤ ⌈bytes / 4 MB⌉ + 1", async () => {
    const { batches, run } = recorder();
    const wb = new OfficeWorkbook(run);
    const rows = Array.from({ length: 50_000 }, (_, i) =>
      toRow(REVIEW_SHEET, [
        "40311877",
        i + 2,
        `INV-${i}`,
        "shortage_claim",
        "-12.34",
        "USD",
        "credit_note",
        "6130",
        `INV-${i} · 0a1b2c3d-0000-4000-8000-000000000000`,
        "CreditNote, Allocation",
        `vcx1:ACME1:40311877:cn:INV-${i} vcx1:ACME1:40311877:alloc:INV-${i}`,
        "",
        "",
        "planned",
        "",
        "",
      ]),
    );
    const stats = await wb.writeTable(REVIEW_SHEET, rows);
    const sent = batches.reduce((a, b) => a + b.bytes, 0);
    const goal = Math.ceil(sent / (4 * 1024 * 1024)) + 1;
    console.info(
      `Office adapter, 50k Review rows: ${stats.syncs} syncs, ${(sent / 1024 / 1024).toFixed(2)} MiB sent (goal ≤ ${goal})`,
    );
    expect(stats.syncs).toBe(batches.length - 1);
    expect(stats.syncs).toBeLessThanOrEqual(goal);
    for (const b of batches) expect(b.bytes).toBeLessThan(5 * 1024 * 1024);
    // Every data batch suspends calculation and formats its text columns before writing values.
    for (const b of batches.slice(1, -1)) {
      expect(b.ops).toContain("suspendCalc");
      const v = b.ops.findIndex((o) => o.startsWith("values") && !o.includes(":1x16"));
      expect(b.ops.findIndex((o) => o.startsWith("numberFormat"))).toBeLessThan(v);
    }
    expect(batches.flatMap((b) => b.ops).filter((o) => o.startsWith("enableEvents"))).toEqual([
      "enableEvents false",
      "enableEvents true",
    ]);
  });
});

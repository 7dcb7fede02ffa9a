/** The in-memory workbook: the contract every adapter keeps, and the 50k-row Review write budget. */
import { describe, expect, it } from "vitest";
import { MemoryWorkbook } from "../../addin/src/excel/memory";
import { REQUEST_BUDGET_BYTES } from "../../addin/src/model/chunks";
import { toRow } from "../../addin/src/model/grid";
import {
  EXCEPTIONS_SHEET,
  MAPPING_SHEET_DEFS,
  POSTING_LOG_SHEET,
  REVIEW_SHEET,
  TOTALS_SHEET,
} from "../../addin/src/model/sheets";

const deductions = MAPPING_SHEET_DEFS.find((d) => d.name === "Deductions")!;

function reviewRow(i: number) {
  return toRow(REVIEW_SHEET, [
    String(40_000_000 + Math.floor(i / 500)),
    i + 2,
    `INV-${String(i).padStart(6, "0")}`,
    i % 7 === 0 ? "shortage_claim" : "invoice_payment",
    i % 7 === 0 ? "-12.34" : "1234.56",
    "USD",
    i % 7 === 0 ? "credit_note" : "payment",
    i % 7 === 0 ? "6130" : "",
    `INV-${i} · 0a1b2c3d-0000-4000-8000-${String(i).padStart(12, "0")}`,
    "Payment",
    `vcx1:ACME1:${40_000_000 + Math.floor(i / 500)}:pay:INV-${i}`,
    "",
    "",
    "planned",
    "",
    "",
  ]);
}

describe("MemoryWorkbook", () => {
  it("writes a table with headers, text formats first, and reads it back", async () => {
    const wb = new MemoryWorkbook();
    const rows = [toRow(deductions, ["ACME1", "coop", "", "", "0610", "", "journal"])];
    await wb.writeTable(
      deductions,
      rows,
      {},
      { accounts: 10, treatments: 3, kinds: 16, matchOn: 3, taxTypes: 2 },
    );
    const back = await wb.readTable(deductions);
    expect(back?.[0]).toEqual(deductions.columns.map((c) => c.header));
    expect(back?.[1]?.[4]).toBe("0610");
    const sheet = wb.sheets.get("Deductions")!;
    expect(sheet.formats[1]?.[4]).toBe("@");
    expect(sheet.validations.find((v) => v.column === "E")?.source).toBe("=Lists!$A$2:$A$11");
    expect(sheet.validations.find((v) => v.column === "G")?.source).toBe("=Lists!$D$2:$D$4");
    expect(wb.stats.wroteWithEvents).toBe(false);
  });

  it("never writes a formula: Amazon text starting with = + - @ stays text", async () => {
    const wb = new MemoryWorkbook();
    const evil = ['=HYPERLINK("http://x","click")', "+SUM(1)", "-1+2", "@cmd"];
    await wb.writeTable(
      EXCEPTIONS_SHEET,
      evil.map((e) => toRow(EXCEPTIONS_SHEET, ["1", 2, e, "code", "", e, e, 0, "open", ""])),
    );
    expect(wb.stats.formulas).toEqual([]);
    expect(
      wb
        .table("VcxExceptions")
        ?.slice(1)
        .map((r) => r[2]),
    ).toEqual(evil);
  });

  it("replacing a table clears the old rows; tables beside it must not overlap", async () => {
    const wb = new MemoryWorkbook();
    await wb.writeTable(REVIEW_SHEET, [reviewRow(1), reviewRow(2), reviewRow(3)]);
    await wb.writeTable(REVIEW_SHEET, [reviewRow(9)]);
    expect(wb.table("VcxReview")).toHaveLength(2);
    expect(wb.sheets.get("Review")?.cells[2]?.[2]).toBe("");
    await expect(wb.writeTable(TOTALS_SHEET, [], { row: 0, column: 3 })).rejects.toThrow(/overlap/);
    await wb.writeTable(TOTALS_SHEET, [], { row: 0, column: REVIEW_SHEET.columns.length + 1 });
  });

  it("appends to the Posting Log and stamps result columns in place", async () => {
    const wb = new MemoryWorkbook();
    await wb.appendRows(POSTING_LOG_SHEET, [
      toRow(POSTING_LOG_SHEET, ["t1", "me", "r", "j", "k1", "Payment", "posted", "x1", "", ""]),
    ]);
    await wb.appendRows(POSTING_LOG_SHEET, [
      toRow(POSTING_LOG_SHEET, ["t2", "me", "r", "j", "k2", "Payment", "posted", "x2", "", ""]),
    ]);
    expect(wb.table("VcxPostingLog")?.map((r) => r[4])).toEqual(["Document Key", "k1", "k2"]);
    await wb.writeTable(REVIEW_SHEET, [reviewRow(1), reviewRow(2)]);
    await wb.writeColumns(REVIEW_SHEET, "Status", [
      ["posted", "x-1", "https://go.xero.com/1"],
      ["failed: no", "", ""],
    ]);
    const t = wb.table("VcxReview")!;
    expect(t[1]?.slice(13)).toEqual(["posted", "x-1", "https://go.xero.com/1"]);
    expect(t[2]?.[13]).toBe("failed: no");
  });

  it("hidden Lists sheet; marks replace earlier marks; edits are reported", async () => {
    const wb = new MemoryWorkbook();
    const lengths = await wb.writeLists({ accounts: ["090", "6110"], treatments: ["journal"] });
    expect(lengths).toMatchObject({ accounts: 2, treatments: 1, items: 0 });
    const lists = wb.sheets.get("Lists")!;
    expect(lists.visible).toBe(false);
    expect(lists.cells.map((r) => r[0])).toEqual(["accounts", "090", "6110"]);
    await wb.markCells("Deductions", [
      { sheet: "Deductions", row: 2, column: 4, address: "E3", message: "bad" },
    ]);
    await wb.markCells("Deductions", []);
    expect(wb.sheets.get("Deductions")?.marks).toEqual([]);
    const seen: string[] = [];
    const stop = await wb.watchEdits(["Deductions"], (s) => seen.push(s));
    wb.userEdit("Deductions", 1, 4, "6120");
    wb.userEdit("Settings", 1, 1, "x");
    await stop();
    wb.userEdit("Deductions", 1, 4, "6130");
    expect(seen).toEqual(["Deductions"]);
  });

  it("50,000 Review rows: syncs ≤ ⌈bytes / 4 MB⌉ + 1, each chunk under the request budget", async () => {
    const wb = new MemoryWorkbook();
    const rows = Array.from({ length: 50_000 }, (_, i) => reviewRow(i));
    const stats = await wb.writeTable(REVIEW_SHEET, rows);
    const goal = Math.ceil(stats.bytes / REQUEST_BUDGET_BYTES) + 1;
    console.info(
      `50k Review rows: ${stats.syncs} syncs, ${(stats.bytes / 1024 / 1024).toFixed(2)} MiB (goal ≤ ${goal})`,
    );
    expect(stats.rows).toBe(50_000);
    expect(stats.syncs).toBeLessThanOrEqual(goal);
    expect(wb.table("VcxReview")).toHaveLength(50_001);
  });

  it("selectedRow: the table body row under the active cell, else undefined", async () => {
    const wb = new MemoryWorkbook();
    await wb.writeTable(EXCEPTIONS_SHEET, [
      ["P1", 3, "D1", "c1", "warning", "r", "f", 0, "open", "e1"],
      ["P1", 4, "D2", "c2", "warning", "r", "f", 0, "open", "e2"],
    ]);
    expect(await wb.selectedRow(EXCEPTIONS_SHEET)).toBeUndefined();
    wb.select("Exceptions", 2, 5);
    expect(await wb.selectedRow(EXCEPTIONS_SHEET)).toEqual({
      index: 1,
      values: ["P1", 4, "D2", "c2", "warning", "r", "f", 0, "open", "e2"],
    });
    wb.select("Exceptions", 0, 0);
    expect(await wb.selectedRow(EXCEPTIONS_SHEET)).toBeUndefined();
    wb.select("Exceptions", 3, 0);
    expect(await wb.selectedRow(EXCEPTIONS_SHEET)).toBeUndefined();
    wb.select("Exceptions", 1, 12);
    expect(await wb.selectedRow(EXCEPTIONS_SHEET)).toBeUndefined();
    wb.select("Review", 1, 0);
    expect(await wb.selectedRow(EXCEPTIONS_SHEET)).toBeUndefined();
  });
});

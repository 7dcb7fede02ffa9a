import { readFileSync } from "node:fs";
import * as XLSX from "@e965/xlsx";
import { describe, expect, it } from "vitest";
import { DEMO_MAPPINGS } from "../../../scripts/make-demo-mappings";
import { mappingsSchema } from "../../../worker/domain/mapping/model";
import { MAPPING_SHEETS } from "../../../worker/domain/mapping/sheets";
import {
  type Grid,
  mappingsFromGrids,
  mappingsToGrids,
  readMappingWorkbook,
  writeMappingWorkbook,
} from "../../../worker/domain/mapping/workbook";

const demo = () => mappingsSchema.parse(DEMO_MAPPINGS);

/** Rows read from a sheet carry their row number; compare content only. */
function withoutRows<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === "row" ? undefined : v))) as T;
}

function grids(): Record<string, string[][]> {
  return mappingsToGrids(demo());
}

function errorsOf(g: Record<string, Grid>) {
  const r = mappingsFromGrids(g);
  if (r.ok) throw new Error("expected errors");
  return r.errors;
}

describe("mapping workbook", () => {
  it("the committed demo workbook is the demo mappings (regenerate with scripts/make-demo-mappings.ts)", () => {
    const bytes = new Uint8Array(
      readFileSync(new URL("../../fixtures/mappings/demo-mappings.xlsx", import.meta.url)),
    );
    const r = readMappingWorkbook(bytes);
    expect(r.ok && withoutRows(r.mappings)).toEqual(demo());
    expect(r.ok && r.mappings.deductions.map((d) => d.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it("has one sheet per table with the documented headers", () => {
    const wb = XLSX.read(writeMappingWorkbook(demo()), { type: "array" });
    expect(wb.SheetNames).toEqual(["Deductions", "SKUs", "Settings"]);
    const settings = XLSX.utils.sheet_to_json<string[]>(wb.Sheets["Settings"]!, { header: 1 });
    expect(settings[0]).toEqual(MAPPING_SHEETS[2]?.columns.map((c) => c.header));
    expect(settings[1]?.[5]).toBe("090"); // bank account code kept as text
  });

  it("round-trips mappings → XLSX → mappings", () => {
    const r = readMappingWorkbook(writeMappingWorkbook(demo()));
    expect(r.ok && withoutRows(r.mappings)).toEqual(demo());
  });

  it("reads numbers typed as numbers, headers in any case and order, ignores unknown columns and blank rows", () => {
    const g = grids();
    const skus = g["SKUs"]!;
    const header = skus[0]!.map((h) => h.toUpperCase());
    const reorder = (r: string[]) => [...r.slice(1), r[0] ?? ""];
    g["SKUs"] = [
      [...reorder(header), "Notes"],
      [],
      ...skus.slice(1).map((r) => [...reorder(r), "free text"]),
    ];
    const wb = XLSX.utils.book_new();
    for (const [name, grid] of Object.entries(g)) {
      // Agreed cost as a real number cell, as a user would type it.
      const rows: (string | number)[][] = grid.map((r, i) =>
        name === "SKUs" && i > 1 ? r.map((c, j) => (j === 3 ? Number(c) : c)) : r,
      );
      XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), name);
    }
    const bytes = new Uint8Array(XLSX.write(wb, { type: "array", bookType: "xlsx" }) as ArrayBuffer);
    const r = readMappingWorkbook(bytes);
    expect(r.ok && withoutRows(r.mappings.skus)).toEqual(demo().skus);
    expect(r.ok && r.mappings.skus.map((x) => x.row)).toEqual([3, 4]);
  });

  it("names sheet, row, column and cell for cell errors", () => {
    const g = grids();
    const d = g["Deductions"]!;
    d[1]![1] = "shortage"; // Kind
    d[2]![6] = ""; // Treatment
    d[3]![11] = "thirty"; // Dispute Window Days
    d[4]![3] = "re:(unclosed"; // Pattern
    const s = g["Settings"]!;
    s[1]![13] = "maybe";
    s[1]![14] = "0.001";
    const errors = errorsOf(g);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sheet: "Deductions", row: 2, column: "Kind", cell: "B2" }),
        expect.objectContaining({
          sheet: "Deductions",
          row: 3,
          column: "Treatment",
          cell: "G3",
          message: "required",
        }),
        expect.objectContaining({ sheet: "Deductions", row: 4, column: "Dispute Window Days", cell: "L4" }),
        expect.objectContaining({ sheet: "Deductions", row: 5, column: "Pattern", cell: "D5" }),
        expect.objectContaining({ sheet: "Settings", row: 2, column: "Create Bank Transaction", cell: "N2" }),
        expect.objectContaining({ sheet: "Settings", row: 2, column: "Tolerance", cell: "O2" }),
      ]),
    );
    expect(errors).toHaveLength(6);
  });

  it("reports a missing sheet, a missing required column and a missing catch-all row", () => {
    const g = grids();
    delete g["Settings"];
    expect(errorsOf(g)).toEqual([{ sheet: "Settings", message: "missing sheet" }]);

    const h = grids();
    h["Deductions"] = h["Deductions"]!.map((r) => r.filter((_, i) => i !== 4)); // drop Account Code
    expect(errorsOf(h)).toEqual([
      { sheet: "Deductions", row: 1, column: "Account Code", message: "missing column" },
    ]);

    const k = grids();
    k["Deductions"] = k["Deductions"]!.filter((r) => r[1] !== "any");
    expect(errorsOf(k)[0]).toMatchObject({
      sheet: "Deductions",
      message: expect.stringContaining("catch-all"),
    });
  });

  it("reports a duplicate vendor code on its row", () => {
    const g = grids();
    g["Settings"]!.push([...g["Settings"]![1]!]);
    expect(errorsOf(g)).toEqual([{ sheet: "Settings", row: 3, message: "duplicate vendor code" }]);
  });

  it("an unreadable file is an error, not a crash", () => {
    const r = readMappingWorkbook(new Uint8Array([1, 2, 3, 4]));
    expect(r.ok).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import {
  gridToRecords,
  looksLikeFormula,
  recordsToRows,
  remittanceGrid,
  serialToIso,
  textGrid,
  toCell,
  trimGrid,
  writableText,
} from "../../../addin/src/model/grid";
import { MAPPING_SHEET_DEFS, REVIEW_SHEET } from "../../../addin/src/model/sheets";

const deductions = MAPPING_SHEET_DEFS.find((d) => d.name === "Deductions")!;

describe("cells", () => {
  it("anything that Excel would run as a formula is written with the quote prefix", () => {
    for (const s of ['=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)", "\tx"]) {
      expect(looksLikeFormula(s)).toBe(true);
      expect(writableText(s)).toBe(`'${s}`);
    }
    expect(writableText("INV-A")).toBe("INV-A");
    expect(writableText("0123")).toBe("0123");
  });

  it("money and int columns become numbers; text stays text (0123 keeps its zero)", () => {
    const amount = REVIEW_SHEET.columns.find((c) => c.header === "Amount")!;
    const doc = REVIEW_SHEET.columns.find((c) => c.header === "Document Number")!;
    expect(toCell("-1,234.50", amount)).toBe(-1234.5);
    expect(toCell("12770.00", amount)).toBe(12770);
    expect(toCell("=1+1", amount)).toBe("'=1+1");
    expect(toCell("0123", doc)).toBe("0123");
    expect(toCell(42, doc)).toBe("42");
    expect(toCell(null, doc)).toBe("");
  });

  it("reads Excel values back as the Worker's text grid, trimmed of blank edges", () => {
    const g = trimGrid(
      textGrid([
        ["Kind", " Account Code ", ""],
        ["coop", 6110, ""],
        ["", "", ""],
      ]),
    );
    expect(g).toEqual([
      ["Kind", "Account Code"],
      ["coop", "6110"],
    ]);
  });

  it("grid ↔ records by header, whatever the column order; unknown columns ignored", () => {
    const grid = [
      ["Treatment", "Kind", "Notes", "Account Code"],
      ["journal", "coop", "mine", "0610"],
      ["", "", "", ""],
    ];
    const recs = gridToRecords(deductions, grid);
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({
      Kind: "coop",
      Treatment: "journal",
      "Account Code": "0610",
      Pattern: "",
    });
    const rows = recordsToRows(deductions, recs);
    expect(rows[0]?.[deductions.columns.findIndex((c) => c.header === "Account Code")]).toBe("0610");
    expect(rows[0]).toHaveLength(deductions.columns.length);
  });

  it("date cells of an opened export become ISO dates; other numbers stay numbers", () => {
    expect(serialToIso(46063)).toBe("2026-02-10");
    expect(serialToIso(1)).toBe("1900-01-01");
    const g = remittanceGrid(
      [
        ["Payment Date", "Amount", "Note"],
        [46063, 12770, ""],
      ],
      [
        ["General", "General", "General"],
        ["mm/dd/yyyy", "$#,##0.00", "@"],
      ],
    );
    expect(g).toEqual([
      ["Payment Date", "Amount", "Note"],
      ["2026-02-10", 12770, null],
    ]);
  });
});

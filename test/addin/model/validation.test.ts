import { describe, expect, it } from "vitest";
import { marksFromErrors, summaryText } from "../../../addin/src/model/validation";

describe("validation errors → cell marks", () => {
  const headers = {
    Deductions: ["Kind", "Treatment", "Account Code"],
    Settings: ["Vendor Code", "Bank Account"],
  };

  it("uses the cell when given, else row + column header against the sheet's actual header row", () => {
    const s = marksFromErrors(
      [
        { sheet: "Deductions", row: 3, column: "Account Code", message: "Account 9999 does not exist" },
        { sheet: "Settings", cell: "B2", message: "Bank Account must be a BANK account" },
      ],
      headers,
    );
    expect(s.marks).toEqual([
      { sheet: "Deductions", row: 2, column: 2, address: "C3", message: "Account 9999 does not exist" },
      { sheet: "Settings", row: 1, column: 1, address: "B2", message: "Bank Account must be a BANK account" },
    ]);
    expect(summaryText(s)).toBe("2 problems: Deductions 1, Settings 1.");
  });

  it("several reasons for one cell become one note; errors naming no cell are kept for the pane", () => {
    const s = marksFromErrors(
      [
        { sheet: "Deductions", cell: "C3", message: "a" },
        { sheet: "Deductions", row: 3, column: "account code", message: "b" },
        { sheet: "Deductions", cell: "C3", message: "a" },
        { sheet: "Deductions", message: "Vendor ACME1 has no catch-all row" },
        { sheet: "Deductions", row: 4, column: "Nope", message: "unknown column" },
      ],
      headers,
    );
    expect(s.marks).toHaveLength(1);
    expect(s.marks[0]?.message).toBe("a\nb");
    expect(s.general.map((e) => e.message)).toEqual(["Vendor ACME1 has no catch-all row", "unknown column"]);
    expect(summaryText(marksFromErrors([], headers))).toBe("All mappings are valid.");
  });
});

import * as XLSX from "@e965/xlsx";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Cell } from "../../../worker/domain/remittance/grid";
import { ingest } from "../../../worker/domain/remittance/ingest";
import { remittanceToJson } from "../../../worker/domain/remittance/json";
import type { Remittance } from "../../../worker/domain/remittance/model";
import { fixtureBytes, fixtureText } from "../../support/fixtures";

/** Every result, however bad the input, is a structured, serialisable report. */
function assertStructured(r: Remittance, allowUnreadable: boolean): void {
  expect(Array.isArray(r.payments)).toBe(true);
  for (const p of r.problems) {
    expect(["error", "warning"]).toContain(p.severity);
    expect(typeof p.message).toBe("string");
    expect(p.message.length).toBeGreaterThan(0);
    expect(p.message.length).toBeLessThan(700);
    if (p.row !== undefined) expect(p.row).toBeGreaterThanOrEqual(1);
    if (!allowUnreadable) expect(p.code).not.toBe("unreadable_file");
  }
  for (const p of r.payments) {
    for (const l of p.lines) expect(Number.isSafeInteger(l.amount)).toBe(true);
    for (const c of p.checks) expect(typeof c.ok).toBe("boolean");
  }
  expect(() => JSON.stringify(remittanceToJson(r))).not.toThrow();
}

const NASTY = [
  "=cmd|' /C calc'!A0",
  '=HYPERLINK("http://x","y")',
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "+1+1",
  "-2+3",
  "\u0000\u0001\u0002",
  "\uFEFF",
  '"',
  '""',
  "N/A",
  "#REF!",
  "Infinity",
  "NaN",
  "1e308",
  "-0",
  "9".repeat(40),
  "x".repeat(5_000),
  "Payment Number",
  "Invoices",
  "\r",
  "ISA*00*",
  "😀",
];

const csvText = fixtureText("remittances/us-40311877.csv");
const x12Text = fixtureText("x12/amazon-820-adx.edi");

/** A mutation of a good file: truncation, deletion, insertion of nasty values, duplication. */
const mutated = (base: string) =>
  fc
    .tuple(
      fc.constantFrom("truncate", "delete", "insert", "replace-cell", "duplicate-line"),
      fc.nat(base.length),
      fc.nat(200),
      fc.constantFrom(...NASTY),
    )
    .map(([op, at, len, junk]) => {
      switch (op) {
        case "truncate":
          return base.slice(0, at);
        case "delete":
          return base.slice(0, at) + base.slice(at + len);
        case "insert":
          return base.slice(0, at) + junk + base.slice(at);
        case "replace-cell": {
          const cells = base.split(",");
          const i = at % cells.length;
          cells[i] = junk.includes(",") || junk.includes('"') ? `"${junk.replace(/"/g, '""')}"` : junk;
          return cells.join(",");
        }
        default: {
          const lines = base.split("\n");
          const i = at % lines.length;
          lines.splice(i, 0, lines[i] ?? "");
          return lines.join("\n");
        }
      }
    });

const cell: fc.Arbitrary<Cell> = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 30 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: false }),
);

describe("fuzz: malformed inputs give a structured problem list, never a crash", () => {
  it("mutated CSV exports (2,000 cases)", () => {
    fc.assert(
      fc.property(mutated(csvText), (text) => {
        assertStructured(ingest({ kind: "text", fileName: "m.csv", text }), false);
      }),
      { numRuns: 2000 },
    );
  });

  it("mutated X12 820s (1,000 cases)", () => {
    fc.assert(
      fc.property(mutated(x12Text), (text) => {
        assertStructured(ingest({ kind: "text", fileName: "m.edi", text }), false);
      }),
      { numRuns: 1000 },
    );
  });

  it("grids of wrong types under real headers (1,500 cases)", () => {
    const header = csvText.split("\n")[6]!.split(",");
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { maxLength: 16 }), { maxLength: 30 }),
        fc.boolean(),
        (rows, withHeaders) => {
          const grid: Cell[][] = withHeaders
            ? [
                ["Payment Number", "Payment Date", "Invoice Currency", "Amount"],
                ...rows.slice(0, 3),
                ["Invoices"],
                header,
                ...rows,
              ]
            : rows;
          assertStructured(ingest({ kind: "grid", fileName: "g", rows: grid }), false);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("truncated and corrupted XLSX files (300 cases)", () => {
    const xlsx = fixtureBytes("remittances/us-two-section.xlsx");
    fc.assert(
      fc.property(fc.nat(xlsx.length - 1), fc.nat(255), fc.boolean(), (at, byte, truncate) => {
        const bytes = truncate ? xlsx.slice(0, at) : xlsx.slice();
        if (!truncate) bytes[at] = byte;
        assertStructured(ingest({ kind: "bytes", fileName: "c.xlsx", bytes }), true);
      }),
      { numRuns: 300 },
    );
  });

  it("a 100,000-character cell is reported briefly, not echoed", () => {
    const text = fixtureText("remittances/us-40311877.csv")
      .replace("N/A", "")
      .replace('"$9,800.00"', "9".repeat(100_000));
    const r = ingest({ kind: "text", fileName: "huge.csv", text });
    assertStructured(r, false);
    expect(r.problems[0]).toMatchObject({ code: "bad_amount", row: 8 });
    expect(r.problems[0]!.message.length).toBeLessThan(120);
  });

  it("an XLSX whose cells hold formulas, errors and huge text", () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ["Payment Number", "Payment Date", "Invoice Currency", "Amount in Invoice Currency"],
      ["P1", "2026-01-01", "USD", "=1+1"],
      ["Invoices"],
      ["Payment Number", "Invoice Number", "Reference Details", "Amount Paid"],
      ["P1", "INV-1", "y".repeat(32_000), { t: "e", v: 0x2a, w: "#N/A" }],
      ["P1", "z".repeat(300), "", 1],
    ]);
    ws.D2 = { t: "n", v: 2, f: "1+1" };
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, "S");
    const r = ingest({
      kind: "bytes",
      fileName: "f.xlsx",
      bytes: new Uint8Array(XLSX.write(wb, { type: "array", bookType: "xlsx" })),
    });
    assertStructured(r, false);
    expect(r.problems).toContainEqual(
      expect.objectContaining({
        code: "bad_amount",
        row: 5,
        message: "Amount Paid on row 5 is '#N/A', expected an amount",
      }),
    );
    // A formula's cached value is read, never evaluated.
    expect(r.payments[0]?.amount).toBe(200);
  });
});

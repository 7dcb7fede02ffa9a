import * as XLSX from "@e965/xlsx";
import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { formatMoneyHuman, minorToDecimal } from "../../../worker/domain/money";
import { ingest } from "../../../worker/domain/remittance/ingest";
import type { LineKind } from "../../../worker/domain/remittance/model";

/** A random but valid remittance, as a finance team's export would hold it. */
const KINDS: { kind: LineKind; type: string; description: string; sign: 1 | -1 }[] = [
  { kind: "invoice_payment", type: "Invoice", description: "Payments", sign: 1 },
  {
    kind: "shortage_claim",
    type: "Financial Debit Note Invoice",
    description: "Quantity shortage",
    sign: -1,
  },
  {
    kind: "shortage_claim_reversal",
    type: "Financial Debit Note Invoice",
    description: "Quantity shortage reversal",
    sign: 1,
  },
  { kind: "price_claim", type: "Financial Debit Note Invoice", description: "Price variance", sign: -1 },
  { kind: "coop", type: "Financial Debit Note Invoice", description: "COOP – Service agreement", sign: -1 },
  { kind: "provision", type: "Provision deduction", description: "Provision for aged receivable", sign: -1 },
  { kind: "tax_debit_note", type: "GST Debit Note", description: "Quantity shortage", sign: -1 },
];

const line = fc.record({
  doc: fc.stringMatching(/^[A-Z0-9][A-Z0-9/_-]{0,14}$/),
  k: fc.integer({ min: 0, max: KINDS.length - 1 }),
  cents: fc.integer({ min: 1, max: 5_000_000_00 }),
  discount: fc.integer({ min: 0, max: 1000_00 }),
  day: fc.integer({ min: 0, max: 3000 }),
});
const remittance = fc.record({
  payments: fc.uniqueArray(
    fc.record({
      number: fc.stringMatching(/^[0-9]{6,10}$/),
      day: fc.integer({ min: 0, max: 3000 }),
      lines: fc.array(line, { minLength: 1, maxLength: 25 }),
    }),
    { minLength: 1, maxLength: 3, selector: (p) => p.number },
  ),
  currency: fc.constantFrom("USD", "EUR", "GBP", "INR", "JPY", "KWD"),
  style: fc.constantFrom("plain", "symbol", "parens"),
  dates: fc.constantFrom("iso", "MDY", "DMY"),
});

type Gen = typeof remittance extends fc.Arbitrary<infer T> ? T : never;

const BASE = Date.UTC(2020, 0, 1);
const iso = (day: number) => new Date(BASE + day * 86_400_000).toISOString().slice(0, 10);
function dateText(day: number, style: Gen["dates"]): string {
  const [y, m, d] = iso(day).split("-");
  return style === "iso" ? `${y}-${m}-${d}` : style === "MDY" ? `${m}/${d}/${y}` : `${d}/${m}/${y}`;
}
const scaleOf = (c: string) => (c === "JPY" ? 0 : c === "KWD" ? 3 : 2);
function amountText(minor: number, g: Gen): string {
  if (g.style === "plain") return minorToDecimal(minor, scaleOf(g.currency));
  const human = formatMoneyHuman(Math.abs(minor), g.currency);
  if (g.style === "parens") return minor < 0 ? `(${human})` : human;
  return `${minor < 0 ? "-" : ""}${g.currency} ${human}`;
}

function signed(l: Gen["payments"][number]["lines"][number]): number {
  return (KINDS[l.k]?.sign ?? 1) * l.cents;
}

function grid(g: Gen, numbersAsCells: boolean): unknown[][] {
  const amt = (minor: number) =>
    numbersAsCells ? Number(minorToDecimal(minor, scaleOf(g.currency))) : amountText(minor, g);
  const rows: unknown[][] = [
    ["Remittance export"],
    [],
    ["Payment Number", "Payment Date", "Invoice Currency", "Amount in Invoice Currency"],
  ];
  for (const p of g.payments) {
    const total = p.lines.reduce((a, l) => a + signed(l), 0);
    rows.push([p.number, dateText(p.day, g.dates), g.currency, amt(total)]);
  }
  rows.push(
    [],
    ["Invoices"],
    [
      "Payment Number",
      "Invoice Number",
      "Invoice Date",
      "Transaction type",
      "Transaction Description",
      "Invoice Currency",
      "Terms Discount Taken",
      "Amount Paid",
    ],
  );
  for (const p of g.payments) {
    for (const l of p.lines) {
      const k = KINDS[l.k]!;
      rows.push([
        p.number,
        l.doc,
        dateText(l.day, g.dates),
        k.type,
        k.description,
        g.currency,
        amt(k.kind === "invoice_payment" ? l.discount : 0),
        amt(signed(l)),
      ]);
    }
  }
  return rows;
}

function expected(g: Gen) {
  return g.payments.map((p) => ({
    paymentNumber: p.number,
    paymentDate: iso(p.day),
    amount: p.lines.reduce((a, l) => a + signed(l), 0),
    lines: p.lines.map((l) => ({
      documentNumber: l.doc,
      kind: KINDS[l.k]!.kind,
      amount: signed(l),
      invoiceDate: iso(l.day),
      termsDiscount: KINDS[l.k]!.kind === "invoice_payment" ? l.discount : 0,
    })),
  }));
}

function essence(r: ReturnType<typeof ingest>) {
  return r.payments.map((p) => ({
    paymentNumber: p.paymentNumber,
    paymentDate: p.paymentDate,
    amount: p.amount,
    lines: p.lines.map((l) => ({
      documentNumber: l.documentNumber,
      kind: l.kind,
      amount: l.amount,
      invoiceDate: l.invoiceDate,
      termsDiscount: l.termsDiscount,
    })),
  }));
}

const order = (g: Gen) => (g.dates === "iso" ? {} : { dateOrder: g.dates });

describe("round trips (property)", () => {
  it("a random remittance written to CSV parses back to the same model, and its lines sum to each payment", () => {
    fc.assert(
      fc.property(remittance, (g) => {
        const text = Papa.unparse(grid(g, false) as string[][]);
        const r = ingest({ kind: "text", fileName: "p.csv", text }, order(g));
        expect(r.problems).toEqual([]);
        expect(essence(r)).toEqual(expected(g));
        for (const p of r.payments)
          expect(p.checks.find((c) => c.name === "lines_sum_to_payment")?.ok).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("a random remittance written to XLSX (numbers as number cells) parses back to the same model", () => {
    fc.assert(
      fc.property(remittance, fc.boolean(), (g, numbers) => {
        const wb = XLSX.utils.book_new();
        XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(grid(g, numbers)), "Remittance");
        const bytes = new Uint8Array(XLSX.write(wb, { type: "array", bookType: "xlsx" }) as ArrayBuffer);
        const r = ingest({ kind: "bytes", fileName: "p.xlsx", bytes }, order(g));
        expect(r.problems).toEqual([]);
        expect(essence(r)).toEqual(expected(g));
      }),
      { numRuns: 60 },
    );
  });

  it("the grid path gives the same model as the file path", () => {
    fc.assert(
      fc.property(remittance, (g) => {
        const rows = grid(g, false) as string[][];
        const viaGrid = ingest({ kind: "grid", fileName: "p", rows }, order(g));
        const viaCsv = ingest({ kind: "text", fileName: "p", text: Papa.unparse(rows) }, order(g));
        expect(essence(viaGrid)).toEqual(essence(viaCsv));
      }),
      { numRuns: 80 },
    );
  });

  it("no input string makes the parser throw", () => {
    const strings = fc.oneof(
      fc.string({ unit: "binary", maxLength: 400 }),
      fc.string({ maxLength: 400 }),
      fc
        .array(
          fc.constantFrom(
            "Payment Number",
            "Invoice Number",
            "Amount Paid",
            "Invoices",
            ",",
            ";",
            "\n",
            '"',
            "ISA*",
            "~",
            "RMR*IV*",
            "BPR*",
            "12",
            "-",
            "$",
            "1,2",
            "02/03/2026",
            "\t",
            "\r\n",
          ),
          { maxLength: 60 },
        )
        .map((a) => a.join("")),
    );
    fc.assert(
      fc.property(strings, (text) => {
        const r = ingest({ kind: "text", fileName: "f", text });
        expect(Array.isArray(r.problems)).toBe(true);
        // ingest catches library crashes as "unreadable_file"; our own code must never get there on text.
        expect(r.problems.map((p) => p.code)).not.toContain("unreadable_file");
      }),
      { numRuns: 3000 },
    );
  });
});

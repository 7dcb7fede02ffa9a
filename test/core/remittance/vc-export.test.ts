import { describe, expect, it } from "vitest";
import { ingest } from "../../../worker/domain/remittance/ingest";
import { isPostable, type Remittance } from "../../../worker/domain/remittance/model";
import { fixtureText, ingestFixture } from "../../support/fixtures";

const check = (r: Remittance, name: string, payment = 0) =>
  r.payments[payment]?.checks.find((c) => c.name === name);
const csv = (text: string, options = {}) => ingest({ kind: "text", fileName: "t.csv", text }, options);

const WORKED_EXAMPLE = [
  ["INV-A", "invoice_payment", 980000],
  ["INV-B", "invoice_payment", 500000],
  ["INV-BSC", "shortage_claim", -30000],
  ["123VCBSINV", "chargeback", -15000],
  ["3210-00000001", "coop", -100000],
  ["260201_PROVISION_FOR_RECEIVABLES", "provision", -50000],
  ["INV-CPC", "price_claim", -8000],
];

describe("Vendor Central export", () => {
  it("reads the worked example CSV (title rows, two sections, $ amounts, MM/DD/YYYY inferred)", () => {
    const r = ingestFixture("remittances/us-40311877.csv");
    expect(r.problems).toEqual([]);
    expect(r.format).toBe("vc-export-csv");
    expect(r.dateOrder).toBe("MDY");
    const p = r.payments[0]!;
    expect(p).toMatchObject({
      paymentNumber: "40311877",
      paymentDate: "2026-02-10",
      currency: "USD",
      amount: 1277000,
    });
    expect(p.lines.map((l) => [l.documentNumber, l.kind, l.amount])).toEqual(WORKED_EXAMPLE);
    expect(p.lines[0]).toMatchObject({
      termsDiscount: 20000,
      invoiceAmount: 1000000,
      remainingAmount: 0,
      invoiceDate: "2026-01-05",
    });
    expect(p.lines[2]).toMatchObject({
      originalDocumentNumber: "INV-B",
      invoiceNumber: "INV-B",
      source: { row: 10 },
    });
    expect(p.checks.every((c) => c.ok)).toBe(true);
    expect(isPostable(r)).toBe(true);
  });

  it("reads the two-section XLSX written by SheetJS: serial dates, numbers, text numbers, repeated headers", () => {
    const r = ingestFixture("remittances/us-two-section.xlsx");
    expect(r.problems).toEqual([]);
    expect(r.format).toBe("vc-export-xlsx");
    expect(r.payments.map((p) => [p.paymentNumber, p.paymentDate, p.amount])).toEqual([
      ["40311877", "2026-02-10", 1277000],
      ["40311999", "2026-02-17", 123456],
    ]);
    expect(r.payments[0]!.lines.map((l) => [l.documentNumber, l.kind, l.amount])).toEqual(WORKED_EXAMPLE);
    const second = r.payments[1]!;
    expect(second.lines.map((l) => [l.documentNumber, l.kind, l.originalDocumentNumber])).toEqual([
      ["000123", "invoice_payment", undefined],
      ["000123SCR", "shortage_claim_reversal", "000123SC"],
      ["000123SC", "shortage_claim", "000123"],
    ]);
    expect(second.lines[1]!.source).toEqual({ file: "us-two-section.xlsx", sheet: "Remittance", row: 20 });
    expect(check(r, "reversal_original_present", 1)?.ok).toBe(true);
  });

  it("reads the UK layout: single Description column, Net Amount Paid, £ strings, DD/MM/YYYY", () => {
    const r = ingestFixture("remittances/uk-description-column.xlsx");
    expect(r.problems).toEqual([]);
    expect(r.dateOrder).toBe("DMY");
    const p = r.payments[0]!;
    expect(p).toMatchObject({ paymentDate: "2026-03-13", currency: "GBP", amount: 431025 });
    expect(p.lines.map((l) => [l.kind, l.amount])).toEqual([
      ["invoice_payment", 294000],
      ["invoice_payment", 150050],
      ["coop", -10525],
      ["shortage_claim", -2500],
    ]);
    expect(p.lines[0]).toMatchObject({ termsDiscount: 6000, invoiceDate: "2026-02-02" });
    expect(p.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("reads a German semicolon CSV with decimal commas", () => {
    const r = ingestFixture("remittances/de-semicolon-net-amount.csv");
    expect(r.problems).toEqual([]);
    const p = r.payments[0]!;
    expect(p).toMatchObject({ amount: 235840, currency: "EUR", paymentDate: "2026-03-13" });
    expect(p.lines.map((l) => l.kind)).toEqual(["invoice_payment", "shortage_claim", "provision_reversal"]);
    const rev = check(r, "reversal_original_present");
    expect(rev).toMatchObject({ ok: false, severity: "warning", rows: [8] });
    expect(isPostable(r)).toBe(true);
  });

  it("reads the India layout with lakh grouping and withholding", () => {
    const r = ingestFixture("remittances/in-description-withholding.csv");
    expect(r.problems).toEqual([]);
    const p = r.payments[0]!;
    expect(p.amount).toBe(11756000);
    expect(p.lines[0]).toMatchObject({ withholding: 120000, amount: 11880000, invoiceDate: "2025-12-05" });
    expect(check(r, "line_identity")?.ok).toBe(true);
  });

  it("names file, row and column for a bad amount, and blocks posting", () => {
    const text = fixtureText("remittances/us-40311877.csv").replace('"$9,800.00"', "N/A");
    const r = ingest({ kind: "text", fileName: "remit.csv", text });
    expect(r.problems).toEqual([
      {
        severity: "error",
        code: "bad_amount",
        file: "remit.csv",
        row: 8,
        column: "Amount Paid",
        cell: "L8",
        message: "Amount Paid on row 8 is 'N/A', expected an amount",
      },
    ]);
    expect(isPostable(r)).toBe(false);
  });

  it("refuses to guess when every date is ambiguous, and obeys an explicit order", () => {
    const text = [
      "Payment Number,Payment Date,Invoice Currency,Amount in Invoice Currency",
      "P1,02/03/2026,USD,100.00",
      "Invoices",
      "Payment Number,Invoice Number,Invoice Date,Amount Paid",
      "P1,INV-1,01/02/2026,100.00",
    ].join("\n");
    const guessed = csv(text);
    expect(guessed.problems.map((p) => p.code)).toEqual(["ambiguous_dates"]);
    expect(guessed.problems[0]!.message).toContain("--locale us");
    expect(csv(text, { dateOrder: "MDY" }).payments[0]!.paymentDate).toBe("2026-02-03");
    expect(csv(text, { dateOrder: "DMY" }).payments[0]!.paymentDate).toBe("2026-03-02");
    expect(csv(text, { marketplace: "UK" }).payments[0]!.paymentDate).toBe("2026-03-02");
    expect(csv(text, { marketplace: "CA" }).payments[0]!.paymentDate).toBe("2026-02-03");
  });

  it("reports a date that contradicts the chosen order", () => {
    const text =
      "Payment Number,Payment Date,Invoice Currency,Amount in Invoice Currency\nP1,25/03/2026,USD,1\nInvoices\nPayment Number,Invoice Number,Amount Paid\nP1,I,1";
    const r = csv(text, { dateOrder: "MDY" });
    expect(r.problems[0]).toMatchObject({ code: "bad_date", row: 2, column: "Payment Date" });
    expect(r.problems[0]!.message).toBe(
      "Payment Date on row 2 is '25/03/2026', which is not a valid MM/DD/YYYY date",
    );
  });

  it("reports missing columns on the header row", () => {
    const r = csv("Payment Number,Invoice Number,Invoice Date\nP1,INV-1,2026-01-01");
    expect(r.problems[0]).toMatchObject({
      severity: "error",
      code: "missing_column",
      row: 1,
      column: "Amount Paid",
    });
  });

  it("says a file without a header is not a remittance", () => {
    const r = csv("name,amount\nfoo,1\n");
    expect(r.problems.map((p) => p.code)).toEqual(["not_a_remittance"]);
    expect(r.payments).toEqual([]);
  });

  it("checks that lines sum to the payment", () => {
    const text = fixtureText("remittances/us-40311877.csv").replace('"$12,770.00",USD', '"$12,700.00",USD');
    const r = csv(text);
    expect(check(r, "lines_sum_to_payment")).toMatchObject({
      ok: false,
      severity: "error",
      message: "Lines sum to 12,770.00 USD but the payment is 12,700.00 USD (difference 70.00 USD)",
    });
    expect(isPostable(r)).toBe(false);
  });

  it("flags duplicates, sign anomalies and currency mismatches", () => {
    const text = [
      "Payment Number,Payment Date,Invoice Currency,Amount in Invoice Currency",
      "P1,2026-01-31,USD,90.00",
      "Invoices",
      "Payment Number,Invoice Number,Transaction Description,Invoice Currency,Amount Paid",
      "P1,INV-1,Payments,USD,100.00",
      "P1,INV-1,Payments,USD,-20.00",
      "P1,INV-1SC,Quantity shortage,USD,5.00",
      "P1,INV-2,Payments,EUR,5.00",
    ].join("\n");
    const r = csv(text);
    expect(check(r, "duplicate_documents")).toMatchObject({ ok: false, severity: "warning", rows: [5, 6] });
    expect(check(r, "sign_anomalies")).toMatchObject({ ok: false, rows: [6, 7] });
    expect(check(r, "currency_consistent")).toMatchObject({ ok: false, severity: "error", rows: [8] });
  });

  it("compares an optional bank deposit with the payment", () => {
    const ok = ingestFixture("remittances/us-40311877.csv", { bankDeposits: { "40311877": "12770.00" } });
    expect(check(ok, "bank_deposit_matches")).toMatchObject({ ok: true });
    const off = ingestFixture("remittances/us-40311877.csv", { bankDeposits: { "40311877": "12769.99" } });
    expect(check(off, "bank_deposit_matches")).toMatchObject({
      ok: false,
      message: "Bank deposit 12,769.99 USD differs from the payment 12,770.00 USD by -0.01 USD",
    });
  });

  it("keeps payment exchange data when the money moved in another currency", () => {
    const text = [
      "Payment Number,Payment Date,Invoice Currency,Amount in Invoice Currency,Payment Currency,Amount in Payment Currency,Exchange Rate",
      "P1,2026-01-31,EUR,100.00,USD,108.25,1.0825",
      "Invoices",
      "Payment Number,Invoice Number,Transaction Description,Invoice Currency,Amount Paid",
      "P1,INV-1,Payments,EUR,100.00",
    ].join("\n");
    const p = csv(text).payments[0]!;
    expect(p.exchange).toEqual({ paymentCurrency: "USD", paymentAmount: 10825, rate: "1.0825" });
    expect(check(csv(text, { bankDeposits: { P1: "108.25" } }), "bank_deposit_matches")?.ok).toBe(true);
  });

  it("synthesises a payment for lines without a summary row, with a warning", () => {
    const r = csv(
      "Payment Number,Invoice Number,Transaction Description,Invoice Currency,Amount Paid\nP9,INV-1,Payments,USD,10.00",
    );
    expect(r.payments[0]).toMatchObject({ paymentNumber: "P9", paymentDate: null, amount: 1000 });
    expect(check(r, "payment_has_summary")).toMatchObject({ ok: false, severity: "warning" });
  });

  it("refuses voided payments and rows with amounts but no payment number", () => {
    const text = [
      "Payment Number,Payment Date,Invoice Currency,Amount in Invoice Currency,Payment Status,Payment Voided Reason",
      "P1,2026-01-31,USD,10.00,Voided,Bank rejected",
      "Invoices",
      "Payment Number,Invoice Number,Amount Paid",
      "P1,INV-1,10.00",
      ",INV-2,5.00",
      "Total,,15.00",
    ].join("\n");
    const r = csv(text);
    expect(check(r, "payment_not_voided")).toMatchObject({ ok: false, severity: "error" });
    expect(r.problems).toMatchObject([{ code: "row_without_payment_number", row: 6, severity: "error" }]);
  });

  it("reads a grid of cell values exactly as the same file", () => {
    const text = fixtureText("remittances/us-40311877.csv");
    const fromCsv = csv(text);
    const rows = text
      .split("\n")
      .filter(Boolean)
      .map((l) => l.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, "").replace(/^"|"$/g, "")));
    const fromGrid = ingest({ kind: "grid", fileName: "t.csv", rows });
    expect(fromGrid.format).toBe("vc-export-grid");
    expect(fromGrid.payments).toEqual(fromCsv.payments);
  });

  it("needs a currency from the file or the options", () => {
    const text =
      "Payment Number,Payment Date,Amount\nP1,2026-01-01,10.00\nInvoices\nPayment Number,Invoice Number,Amount Paid\nP1,INV-1,10.00";
    expect(csv(text).problems.map((p) => p.code)).toEqual(["no_currency", "no_currency"]);
    expect(csv(text, { currency: "usd" }).payments[0]).toMatchObject({ currency: "USD", amount: 1000 });
  });

  it("reads UTF-16 'Unicode text' exports (tab separated)", () => {
    const text =
      "\ufeffPayment Number\tPayment Date\tInvoice Currency\tAmount in Invoice Currency\nP1\t2026-01-31\tUSD\t10.00\nInvoices\nPayment Number\tInvoice Number\tTransaction Description\tAmount Paid\nP1\tINV-1\tPayments\t10.00\n";
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      bytes[2 + i * 2] = text.charCodeAt(i) & 0xff;
      bytes[3 + i * 2] = text.charCodeAt(i) >> 8;
    }
    const r = ingest({ kind: "bytes", fileName: "u.txt", bytes });
    expect(r.problems).toEqual([]);
    expect(r.payments[0]!.lines[0]).toMatchObject({
      documentNumber: "INV-1",
      kind: "invoice_payment",
      amount: 1000,
    });
  });
});

/** The rules, one test (or a few) each. */
import { describe, expect, it } from "vitest";
import type { MappingsInput } from "../../../worker/domain/mapping/model";
import type { OrgSnapshotInput } from "../../../worker/domain/org/model";
import { clearingMovements } from "../../../worker/domain/plan/checks";
import { MAX_KEY_LENGTH } from "../../../worker/domain/plan/keys";
import type { Plan, PlannedDocument } from "../../../worker/domain/plan/model";
import { PlanError, planSettlement } from "../../../worker/domain/plan/planner";
import type { Remittance } from "../../../worker/domain/remittance/model";
import { demoMappings, demoOrg, demoOrgInput, line, payment, remittance, workedExample } from "./builders";

type InvoiceInput = NonNullable<OrgSnapshotInput["invoices"]>[number];

const invoice = (number: string, due: string, patch: Partial<InvoiceInput> = {}): InvoiceInput => ({
  number,
  status: "AUTHORISED",
  total: due,
  amountDue: due,
  date: "2026-02-02",
  currency: "USD",
  contact: { name: "Amazon.com Services LLC" },
  ...patch,
});

const orgWith = (...extra: InvoiceInput[]) =>
  demoOrg({ invoices: [...(demoOrgInput().invoices ?? []), ...extra] });

const withRule = (rule: MappingsInput["deductions"][number]) =>
  demoMappings((m) => {
    m.deductions.unshift(rule);
  });

const withSettings = (patch: Partial<MappingsInput["settings"][number]>) =>
  demoMappings((m) => {
    Object.assign(m.settings[0] ?? {}, patch);
  });

const journal = (plan: Plan) => plan.documents.find((d) => d.type === "ManualJournal");
const journalLines = (plan: Plan) => {
  const mj = journal(plan);
  return mj?.type === "ManualJournal" ? mj.body.JournalLines.map((l) => [l.AccountCode, l.LineAmount]) : [];
};
const codes = (plan: Plan) => plan.exceptions.map((e) => e.code);
const failed = (plan: Plan) => plan.checks.filter((c) => !c.ok);
const single = (...lines: ReturnType<typeof line>[]): Remittance =>
  remittance(payment("P1", "2026-02-10", lines));
const clearingTotal = (docs: PlannedDocument[]) =>
  clearingMovements(docs, "1210").reduce((s, m) => s + m.amount, 0);

describe("Xero constraints", () => {
  it("never makes a negative-total credit note: a positive line with treatment credit_note is a journal credit", () => {
    const m = withRule({ kind: "tax_credit_note", accountCode: "6130", treatment: "credit_note" });
    const plan = planSettlement(
      single(
        line({ doc: "INV-A", kind: "invoice_payment", amount: 1000000 }),
        line({ doc: "GST-CN-1", kind: "tax_credit_note", amount: 2500 }),
      ),
      m,
      demoOrg(),
    );
    expect(plan.documents.some((d) => d.type === "CreditNote")).toBe(false);
    expect(journalLines(plan)).toEqual([
      ["6130", -25],
      ["1210", 25],
    ]);
    expect(failed(plan)).toEqual([]);
  });

  it.each([
    ["090", "BANK"],
    ["610", "DEBTORS"],
    ["6199", "archived"],
    ["9999", "does not exist"],
  ])("never puts a journal line on account %s (%s): the line is held in suspense", (code, why) => {
    const plan = planSettlement(
      single(
        line({ doc: "INV-A", kind: "invoice_payment", amount: 1000000 }),
        line({ doc: "9VCBSINV", kind: "chargeback", amount: -4000 }),
      ),
      withRule({ kind: "chargeback", accountCode: code, treatment: "journal" }),
      demoOrg(),
    );
    expect(plan.exceptions).toMatchObject([
      { code: "account_invalid", severity: "blocking", documentNumber: "9VCBSINV" },
    ]);
    expect(plan.exceptions[0]?.reason).toContain(why);
    expect(journalLines(plan)).toEqual([
      ["1290", 40],
      ["1210", -40],
    ]);
    expect(plan.lines.find((l) => l.documentNumber === "9VCBSINV")).toMatchObject({
      held: true,
      accountCode: "1290",
    });
  });

  it("rejects a tax type that does not exist or does not apply to the account; uses a valid one (tax-inclusive)", () => {
    const r = single(
      line({ doc: "INV-A", kind: "invoice_payment", amount: 1000000 }),
      line({ doc: "9VCBSINV", kind: "chargeback", amount: -4000 }),
    );
    const bad = planSettlement(
      r,
      withRule({ kind: "chargeback", accountCode: "6120", taxType: "OUTPUT", treatment: "journal" }),
      demoOrg(),
    );
    expect(codes(bad)).toEqual(["tax_type_invalid"]);
    const missing = planSettlement(
      r,
      withRule({ kind: "chargeback", accountCode: "6120", taxType: "NOPE", treatment: "journal" }),
      demoOrg(),
    );
    expect(codes(missing)).toEqual(["tax_type_invalid"]);
    const ok = planSettlement(
      r,
      withRule({ kind: "chargeback", accountCode: "6120", taxType: "NONE", treatment: "journal" }),
      demoOrg(),
    );
    const mj = journal(ok);
    if (mj?.type !== "ManualJournal") throw new Error("no journal");
    expect(mj.body.LineAmountTypes).toBe("Inclusive");
    expect(mj.body.JournalLines[0]).toMatchObject({ AccountCode: "6120", TaxType: "NONE", LineAmount: 40 });
  });

  it("pays only AUTHORISED invoices", () => {
    const plan = planSettlement(
      single(line({ doc: "INV-D", kind: "invoice_payment", amount: 10000 })),
      demoMappings(),
      orgWith(invoice("INV-D", "100.00", { status: "DRAFT" })),
    );
    expect(codes(plan)).toEqual(["invoice_not_authorised"]);
    expect(plan.documents.some((d) => d.type === "Payment")).toBe(false);
  });

  it("never pays above amount due, even across two payments of one remittance", () => {
    const r = remittance(
      payment("P1", "2026-02-10", [line({ doc: "INV-D", kind: "invoice_payment", amount: 60000 })]),
      payment("P2", "2026-02-11", [line({ doc: "INV-D", kind: "invoice_payment", amount: 60000 })]),
    );
    const plan = planSettlement(r, demoMappings(), orgWith(invoice("INV-D", "1000.00")));
    expect(plan.documents.filter((d) => d.type === "Payment").map((d) => d.paymentNumber)).toEqual(["P1"]);
    expect(plan.exceptions).toMatchObject([
      { code: "amount_exceeds_due", paymentNumber: "P2", documentNumber: "INV-D" },
    ]);
    expect(failed(plan)).toEqual([]);
  });

  it("creates a credit note and its allocation as two documents, allocation after the credit note", () => {
    const plan = planSettlement(workedExample(), demoMappings(), demoOrg());
    const i = plan.documents.findIndex((d) => d.type === "CreditNote");
    expect(plan.documents[i + 1]?.type).toBe("Allocation");
    expect(plan.documents[i + 1]?.dependsOn).toEqual([plan.documents[i]?.key]);
  });

  it("refunds (does not allocate) a claim on an open invoice this payment does not settle", () => {
    const plan = planSettlement(
      single(
        line({ doc: "INV-B", kind: "invoice_payment", amount: 500000 }),
        line({ doc: "INV-ASC", kind: "shortage_claim", amount: -30000, original: "INV-A" }),
      ),
      demoMappings(),
      demoOrg(),
    );
    expect(plan.documents.map((d) => d.type)).toEqual([
      "Payment",
      "CreditNote",
      "RefundPayment",
      "BankTransaction",
    ]);
    expect(failed(plan)).toEqual([]);
  });

  it("settles an invoice entirely by credit when the claim equals the settlement (no zero payment)", () => {
    const plan = planSettlement(
      single(
        line({ doc: "INV-D", kind: "invoice_payment", amount: 10000 }),
        line({ doc: "INV-DSC", kind: "shortage_claim", amount: -10000, original: "INV-D" }),
      ),
      demoMappings(),
      orgWith(invoice("INV-D", "100.00")),
    );
    expect(plan.documents.map((d) => d.type)).toEqual(["CreditNote", "Allocation"]);
    expect(failed(plan)).toEqual([]);
  });
});

describe("lock dates", () => {
  const early = () =>
    remittance(
      payment("P0", "2026-01-20", [
        line({ doc: "INV-A", kind: "invoice_payment", amount: 980000, discount: 20000 }),
      ]),
    );

  it("moves a payment dated on or before PeriodLockDate to the first open day and says so", () => {
    const plan = planSettlement(early(), demoMappings(), demoOrg());
    expect(new Set(plan.documents.map((d) => d.body.Date))).toEqual(new Set(["2026-02-01"]));
    const mj = journal(plan);
    if (mj?.type !== "ManualJournal") throw new Error("no journal");
    expect(mj.body.Narration).toContain("Amazon payment dated 2026-01-20; period locked");
    expect(plan.exceptions).toMatchObject([{ code: "period_locked", severity: "warning" }]);
    expect(failed(plan)).toEqual([]);
  });

  it("lets an adviser connection post inside PeriodLockDate", () => {
    const plan = planSettlement(early(), demoMappings(), demoOrg({ isAdviser: true }));
    expect(new Set(plan.documents.map((d) => d.body.Date))).toEqual(new Set(["2026-01-20"]));
    expect(plan.exceptions).toEqual([]);
  });

  it("binds advisers too with EndOfYearLockDate", () => {
    const plan = planSettlement(
      early(),
      demoMappings(),
      demoOrg({ isAdviser: true, endOfYearLockDate: "2026-01-25" }),
    );
    expect(new Set(plan.documents.map((d) => d.body.Date))).toEqual(new Set(["2026-01-26"]));
  });

  it("the day after the lock is open", () => {
    const r = remittance(
      payment("P0", "2026-02-01", [line({ doc: "INV-A", kind: "invoice_payment", amount: 10000 })]),
    );
    const plan = planSettlement(r, demoMappings(), demoOrg());
    expect(plan.documents[0]?.body.Date).toBe("2026-02-01");
    expect(plan.exceptions).toEqual([]);
  });
});

describe("exceptions on the line they concern", () => {
  it("invoice not found: held in suspense 1290, the deposit still reconciles", () => {
    const plan = planSettlement(
      single(
        line({ doc: "INV-A", kind: "invoice_payment", amount: 1000000 }),
        line({ doc: "INV-Z", kind: "invoice_payment", amount: 25000 }),
      ),
      demoMappings(),
      demoOrg(),
    );
    expect(plan.exceptions).toMatchObject([
      { code: "invoice_not_found", row: expect.any(Number), documentNumber: "INV-Z", severity: "blocking" },
    ]);
    expect(plan.exceptions[0]?.fix).toMatch(/re-plan/);
    expect(journalLines(plan)).toEqual([
      ["1290", -250],
      ["1210", 250],
    ]);
    expect(failed(plan)).toEqual([]);
    expect(clearingTotal(plan.documents)).toBe(0);
  });

  it("claim on an invoice not in Xero: held in suspense", () => {
    const plan = planSettlement(
      single(
        line({ doc: "INV-A", kind: "invoice_payment", amount: 1000000 }),
        line({ doc: "INV-ZSC", kind: "shortage_claim", amount: -3000, original: "INV-Z" }),
      ),
      demoMappings(),
      demoOrg(),
    );
    expect(codes(plan)).toEqual(["invoice_not_found"]);
    expect(journalLines(plan)).toEqual([
      ["1290", 30],
      ["1210", -30],
    ]);
  });

  it("already fully paid", () => {
    const plan = planSettlement(
      single(line({ doc: "INV-C", kind: "invoice_payment", amount: 200000 })),
      demoMappings(),
      demoOrg(),
    );
    expect(codes(plan)).toEqual(["invoice_already_paid"]);
    expect(plan.lines[0]).toMatchObject({ held: true, treatment: "hold" });
  });

  it("amount exceeds amount due", () => {
    const plan = planSettlement(
      single(line({ doc: "INV-B", kind: "invoice_payment", amount: 500001 })),
      demoMappings(),
      demoOrg(),
    );
    expect(plan.exceptions).toMatchObject([{ code: "amount_exceeds_due" }]);
    expect(plan.exceptions[0]?.reason).toContain("5,000.00 due");
  });

  it("unmapped deduction: posted to the catch-all, still listed", () => {
    const m = demoMappings((x) => {
      x.deductions = x.deductions.filter((r) => r.kind !== "price_protection");
    });
    const plan = planSettlement(
      single(
        line({ doc: "INV-A", kind: "invoice_payment", amount: 1000000 }),
        line({ doc: "IPAPUS1234567", kind: "price_protection", amount: -700 }),
      ),
      m,
      demoOrg(),
    );
    expect(plan.exceptions).toMatchObject([
      { code: "unmapped_deduction", severity: "warning", documentNumber: "IPAPUS1234567" },
    ]);
    expect(journalLines(plan)).toEqual([
      ["6190", 7],
      ["1210", -7],
    ]);
  });

  it("unknown kind: posted to the catch-all (or a pattern row), listed", () => {
    const r = single(
      line({ doc: "INV-A", kind: "invoice_payment", amount: 1000000 }),
      line({ doc: "XYZ-1", kind: "unknown", amount: -100 }),
    );
    const plan = planSettlement(r, demoMappings(), demoOrg());
    expect(codes(plan)).toEqual(["unknown_kind"]);
    expect(journalLines(plan)[0]).toEqual(["6190", 1]);
    const patterned = planSettlement(
      r,
      withRule({ kind: "any", pattern: "XYZ-*", accountCode: "6120", treatment: "journal" }),
      demoOrg(),
    );
    expect(journalLines(patterned)[0]).toEqual(["6120", 1]);
  });

  it("currency mismatch between the line and the Xero invoice", () => {
    const plan = planSettlement(
      single(line({ doc: "INV-E", kind: "invoice_payment", amount: 10000 })),
      demoMappings(),
      orgWith(invoice("INV-E", "100.00", { currency: "EUR" })),
    );
    expect(codes(plan)).toEqual(["currency_mismatch"]);
  });

  it("remittance does not sum to its payment: the difference goes to suspense (beyond tolerance)", () => {
    const r = remittance(
      payment(
        "P1",
        "2026-02-10",
        [line({ doc: "INV-A", kind: "invoice_payment", amount: 1000000 })],
        1001000,
      ),
    );
    const plan = planSettlement(r, demoMappings(), demoOrg());
    expect(plan.exceptions).toMatchObject([{ code: "lines_do_not_sum", severity: "blocking" }]);
    expect(journalLines(plan)).toEqual([
      ["1290", -10],
      ["1210", 10],
    ]);
    expect(failed(plan)).toEqual([]);
  });

  it("…or to rounding within tolerance", () => {
    const r = remittance(
      payment(
        "P1",
        "2026-02-10",
        [line({ doc: "INV-A", kind: "invoice_payment", amount: 1000000 })],
        1000003,
      ),
    );
    const plan = planSettlement(r, demoMappings(), demoOrg());
    expect(plan.exceptions).toMatchObject([{ code: "lines_do_not_sum", severity: "warning" }]);
    expect(journalLines(plan)).toEqual([
      ["860", -0.03],
      ["1210", 0.03],
    ]);
  });

  it("a row with treatment hold goes to suspense with a warning", () => {
    const plan = planSettlement(
      single(
        line({ doc: "INV-A", kind: "invoice_payment", amount: 1000000 }),
        line({ doc: "RET-1", kind: "returns", amount: -5000 }),
      ),
      demoMappings(),
      demoOrg(),
    );
    expect(codes(plan)).toEqual(["held_by_mapping"]);
    expect(journalLines(plan)[0]).toEqual(["1290", 50]);
  });
});

describe("deduction kinds", () => {
  it("a shortage reversal credits the shortage account (even though SC rows make credit notes)", () => {
    const plan = planSettlement(
      single(line({ doc: "INV-ASCR", kind: "shortage_claim_reversal", amount: 3000, original: "INV-ASC" })),
      demoMappings(),
      demoOrg(),
    );
    expect(plan.documents.some((d) => d.type === "CreditNote")).toBe(false);
    expect(journalLines(plan)).toEqual([
      ["6130", -30],
      ["1210", 30],
    ]);
    expect(plan.exceptions).toEqual([]);
  });

  it("provisions and their reversals go to the provisions account, never expense", () => {
    const m = demoMappings((x) => {
      x.deductions = x.deductions.filter((r) => r.kind !== "provision");
    });
    const plan = planSettlement(
      single(
        line({ doc: "INV-A", kind: "invoice_payment", amount: 1000000 }),
        line({ doc: "260201_PROVISION_FOR_RECEIVABLES", kind: "provision", amount: -50000 }),
        line({ doc: "260115_PROVISION_FOR_RECEIVABLESR", kind: "provision_reversal", amount: 20000 }),
      ),
      m,
      demoOrg(),
    );
    expect(journalLines(plan)).toEqual([
      ["1220", 500],
      ["1220", -200],
      ["1210", -300],
    ]);
  });

  it("withholding is a journal line to the withholding account, like the terms discount", () => {
    const plan = planSettlement(
      single(line({ doc: "INV-A", kind: "invoice_payment", amount: 980000, withholding: 20000 })),
      demoMappings(),
      demoOrg(),
    );
    expect(journalLines(plan)).toEqual([
      ["1230", 200],
      ["1210", -200],
    ]);
    expect(plan.documents.find((d) => d.type === "Payment")?.body).toMatchObject({ Amount: 10000 });
  });

  it("pattern rows (on the description) come before the kind's general row", () => {
    const plan = planSettlement(
      single(
        line({ doc: "INV-A", kind: "invoice_payment", amount: 1000000 }),
        line({ doc: "3210-00000002", kind: "coop", amount: -100, description: "COOP - Service agreement" }),
      ),
      demoMappings(),
      demoOrg(),
    );
    const mj = journal(plan);
    if (mj?.type !== "ManualJournal") throw new Error("no journal");
    expect(mj.body.JournalLines[0]?.Description).toContain("co-op service agreement");
    expect(mj.body.JournalLines[0]?.Tracking).toEqual([{ Name: "Channel", Option: "Amazon 1P" }]);
  });

  it("records the dispute deadline from the mapping's window", () => {
    const plan = planSettlement(
      single(line({ doc: "9VCBSINV", kind: "chargeback", amount: -100, invoiceDate: "2026-02-01" })),
      demoMappings(),
      demoOrg(),
    );
    expect(plan.lines[0]?.disputeDeadline).toBe("2026-03-03");
  });
});

describe("payments that cannot be planned", () => {
  it("settings with a clearing account that does not take payments", () => {
    const org = demoOrg();
    const clearing = org.accounts.find((a) => a.code === "1210");
    if (clearing) clearing.enablePaymentsToAccount = false;
    const plan = planSettlement(workedExample(), demoMappings(), org);
    expect(plan.documents).toEqual([]);
    expect(plan.exceptions).toMatchObject([{ code: "settings_invalid", severity: "blocking" }]);
    expect(plan.payments[0]?.planned).toBe(false);
  });

  it("no date, voided", () => {
    const plan = planSettlement(
      remittance(payment("P1", null, [line({ doc: "INV-A", kind: "invoice_payment", amount: 100 })]), {
        ...payment("P2", "2026-02-10", [line({ doc: "INV-A", kind: "invoice_payment", amount: 100 })]),
        paymentStatus: "Voided",
      }),
      demoMappings(),
      demoOrg(),
    );
    expect(codes(plan)).toEqual(["payment_without_date", "payment_voided"]);
    expect(plan.documents).toEqual([]);
  });

  it("an unknown vendor code is a PlanError", () => {
    expect(() => planSettlement(workedExample(), demoMappings(), demoOrg(), { vendorCode: "NOPE" })).toThrow(
      PlanError,
    );
  });
});

describe("idempotent planning", () => {
  it("same remittance twice → same documents and keys", () => {
    const r = workedExample();
    const a = planSettlement(r, demoMappings(), demoOrg());
    const b = planSettlement(structuredClone(r), demoMappings(), demoOrg());
    expect(b.documents).toEqual(a.documents);
  });

  it("with some keys posted, yields only the rest (dependencies on posted keys allowed)", () => {
    const r = workedExample();
    const full = planSettlement(r, demoMappings(), demoOrg());
    const posted = full.documents.slice(0, 3).map((d) => d.key);
    const rest = planSettlement(r, demoMappings(), demoOrg(), { alreadyPosted: posted });
    expect(rest.documents).toEqual(full.documents.slice(3));
    expect(rest.alreadyPosted).toEqual(posted);
  });

  it("duplicate document numbers get distinct keys; over-long numbers stay ≤ 128 chars and stable", () => {
    const long = `CB-${"9".repeat(200)}`;
    const r = single(
      line({ doc: "INV-D", kind: "invoice_payment", amount: 5000 }),
      line({ doc: "INV-D", kind: "invoice_payment", amount: 5000 }),
      line({ doc: long, kind: "price_claim", amount: -100 }),
    );
    const plan = planSettlement(r, demoMappings(), orgWith(invoice("INV-D", "100.00")));
    const keys = plan.documents.map((d) => d.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain("vcx1:ACME1:P1:pay:INV-D~2");
    expect(keys.every((k) => k.length <= MAX_KEY_LENGTH)).toBe(true);
    expect(
      planSettlement(r, demoMappings(), orgWith(invoice("INV-D", "100.00"))).documents.map((d) => d.key),
    ).toEqual(keys);
  });
});

describe("multi-currency and bank transaction", () => {
  it("documents in the invoice currency carry the remittance rate; journals are in base currency", () => {
    const eur = line({
      doc: "INV-E",
      kind: "invoice_payment",
      amount: 98000,
      discount: 2000,
      currency: "EUR",
    });
    const cb = line({ doc: "9VCBSINV", kind: "chargeback", amount: -1000, currency: "EUR" });
    const p = {
      ...payment("P1", "2026-02-10", [eur, cb]),
      exchange: { paymentCurrency: "USD", paymentAmount: 106700, rate: "1.10" },
    };
    const plan = planSettlement(
      remittance(p),
      demoMappings(),
      orgWith(invoice("INV-E", "1000.00", { currency: "EUR" })),
    );
    const pay = plan.documents.find((d) => d.type === "Payment");
    expect(pay?.body).toMatchObject({ Amount: 1000, CurrencyRate: 0.909091 });
    expect(pay?.exchange).toEqual({ from: "EUR", to: "USD", rate: "1.10" });
    expect(journalLines(plan)).toEqual([
      ["6160", 22],
      ["6120", 11],
      ["1210", -33],
    ]);
    const bank = plan.documents.find((d) => d.type === "BankTransaction");
    expect(bank?.body).toMatchObject({ CurrencyCode: "USD", LineItems: [{ LineAmount: 1067 }] });
    expect(failed(plan)).toEqual([]);
  });

  it("a foreign-currency payment with no rate into base is not planned", () => {
    const plan = planSettlement(
      single(line({ doc: "INV-E", kind: "invoice_payment", amount: 100, currency: "EUR" })),
      demoMappings(),
      demoOrg(),
    );
    expect(codes(plan)).toEqual(["currency_mismatch"]);
    expect(plan.documents).toEqual([]);
  });

  it("JPY (0 dp) becomes Xero's 2 dp exactly", () => {
    const plan = planSettlement(
      single(line({ doc: "INV-J", kind: "invoice_payment", amount: 12345, currency: "JPY" })),
      demoMappings(),
      demoOrg({ baseCurrency: "JPY", invoices: [invoice("INV-J", "12345", { currency: "JPY" })] }),
    );
    expect(plan.documents.find((d) => d.type === "Payment")?.body).toMatchObject({ Amount: 12345 });
    expect(failed(plan)).toEqual([]);
  });

  it("without createBankTransaction there is no bank document; a negative net is a SPEND", () => {
    const none = planSettlement(workedExample(), withSettings({ createBankTransaction: false }), demoOrg());
    expect(none.documents.some((d) => d.type === "BankTransaction")).toBe(false);
    expect(failed(none)).toEqual([]);
    const negative = planSettlement(
      single(line({ doc: "9VCBSINV", kind: "chargeback", amount: -100 })),
      demoMappings(),
      demoOrg(),
    );
    expect(negative.documents.find((d) => d.type === "BankTransaction")?.body).toMatchObject({
      Type: "SPEND",
      LineItems: [{ LineAmount: 1 }],
    });
    expect(failed(negative)).toEqual([]);
  });
});

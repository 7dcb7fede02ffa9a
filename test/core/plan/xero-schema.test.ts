/**
 * Every planned document type validates against the Xero OpenAPI component schema of its request body.
 * The spec's schemas allow any extra property; here every object schema is closed
 * (additionalProperties: false) so a misspelt or invented field fails instead of being ignored by Xero.
 */
import { describe, expect, it } from "vitest";
import type { DocumentType, Plan, PlannedDocument } from "../../../worker/domain/plan/model";
import { planSettlement } from "../../../worker/domain/plan/planner";
import { xeroBodyValidator } from "../../support/xero-schema";
import { demoMappings, demoOrg, demoOrgInput, line, payment, remittance, workedExample } from "./builders";

const WRAPPER: Record<DocumentType, string> = {
  CreditNote: "CreditNotes",
  Allocation: "Allocations",
  Payment: "Payments",
  RefundPayment: "Payments",
  ManualJournal: "ManualJournals",
  BankTransaction: "BankTransactions",
};

const validate = xeroBodyValidator();

function expectValid(docs: PlannedDocument[]) {
  for (const d of docs) {
    const r = validate(WRAPPER[d.type], d.body);
    expect(r.errors, `${d.type} ${d.key}`).toEqual([]);
    expect(r.ok).toBe(true);
  }
}

function fxPlan(): Plan {
  const eur = line({ doc: "INV-E", kind: "invoice_payment", amount: 98000, discount: 2000, currency: "EUR" });
  const sc = line({
    doc: "INV-ESC",
    kind: "shortage_claim",
    amount: -1000,
    currency: "EUR",
    original: "INV-E",
  });
  const p = {
    ...payment("P1", "2026-02-10", [eur, sc]),
    exchange: { paymentCurrency: "USD", paymentAmount: 106700, rate: "1.10" },
  };
  const org = demoOrg({
    invoices: [
      ...(demoOrgInput().invoices ?? []),
      {
        number: "INV-E",
        status: "AUTHORISED",
        total: 1000,
        amountDue: 1000,
        date: "2026-02-01",
        currency: "EUR",
      },
    ],
  });
  return planSettlement(remittance(p), demoMappings(), org);
}

describe("planned documents against xero_accounting.yaml", () => {
  it("the worked example (all six document types) validates", () => {
    const plan = planSettlement(workedExample(), demoMappings(), demoOrg());
    expect(new Set(plan.documents.map((d) => d.type))).toEqual(new Set(Object.keys(WRAPPER)));
    expectValid(plan.documents);
  });

  it("summary design, foreign currency (CurrencyRate), tax types and tracking validate", () => {
    const summary = planSettlement(
      workedExample(),
      demoMappings((m) => {
        if (m.settings[0]) m.settings[0].design = "summary";
        m.deductions.unshift({
          kind: "chargeback",
          accountCode: "6120",
          taxType: "NONE",
          treatment: "journal",
          tracking: [{ name: "Region", option: "US" }],
        });
      }),
      demoOrg(),
    );
    expectValid(summary.documents);
    const fx = fxPlan();
    expect(fx.documents.some((d) => d.body && "CurrencyRate" in d.body)).toBe(true);
    expectValid(fx.documents);
  });

  it("the check can fail: a string amount, an invented field and a bad enum are rejected", () => {
    const plan = planSettlement(workedExample(), demoMappings(), demoOrg());
    const pay = plan.documents.find((d) => d.type === "Payment");
    expect(validate("Payments", { ...pay?.body, Amount: "10000.00" }).ok).toBe(false);
    expect(validate("Payments", { ...pay?.body, Amout: 1 }).ok).toBe(false);
    const mj = plan.documents.find((d) => d.type === "ManualJournal");
    expect(validate("ManualJournals", { ...mj?.body, Status: "POSTD" }).ok).toBe(false);
  });
});

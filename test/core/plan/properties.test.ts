/**
 * Property tests over random remittances, mappings and organisation states. The invariants are recomputed
 * here from the wire documents, independently of the planner's own checks (which must also all pass).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MappingsInput } from "../../../worker/domain/mapping/model";
import { minorToDecimal } from "../../../worker/domain/money";
import { effectiveLockDate } from "../../../worker/domain/org/lock-dates";
import type { OrgSnapshot, OrgSnapshotInput } from "../../../worker/domain/org/model";
import { clearingMovements, wireMinor } from "../../../worker/domain/plan/checks";
import type { Plan } from "../../../worker/domain/plan/model";
import { planSettlement } from "../../../worker/domain/plan/planner";
import {
  CREDIT_KINDS,
  LINE_KINDS,
  type LineKind,
  type Remittance,
} from "../../../worker/domain/remittance/model";
import { demoMappings, demoOrg, demoOrgInput, line, payment, remittance } from "./builders";

// Every kind but the invoice payment itself; reversals and tax credit notes come back positive.
const DEDUCTION_KINDS: LineKind[] = LINE_KINDS.filter((k) => k !== "invoice_payment");
const POSITIVE_KINDS = new Set<LineKind>([...CREDIT_KINDS].filter((k) => k !== "invoice_payment"));

const invoiceArb = (i: number) =>
  fc.record({
    number: fc.constant(`INV-${i}`),
    status: fc.constantFrom("AUTHORISED", "AUTHORISED", "AUTHORISED", "PAID", "DRAFT" as const),
    due: fc.integer({ min: 1, max: 2_000_000 }),
    day: fc.integer({ min: 1, max: 28 }),
  });

const lineArb = (invoiceCount: number) =>
  fc.oneof(
    fc.record({
      type: fc.constant("pay" as const),
      inv: fc.integer({ min: 0, max: invoiceCount }), // == invoiceCount → not in Xero
      amount: fc.integer({ min: 1, max: 1_500_000 }),
      discount: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50_000 })),
      withholding: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20_000 })),
    }),
    fc.record({
      type: fc.constant("deduction" as const),
      kind: fc.constantFrom(...DEDUCTION_KINDS),
      inv: fc.option(fc.integer({ min: 0, max: invoiceCount }), { nil: undefined }),
      amount: fc.integer({ min: 1, max: 300_000 }),
    }),
  );

const scenarioArb = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc.record({
    invoices: fc.tuple(...Array.from({ length: n }, (_, i) => invoiceArb(i))),
    payments: fc.array(
      fc.record({
        day: fc.integer({ min: 1, max: 28 }),
        month: fc.constantFrom("01", "02", "03"),
        lines: fc.array(lineArb(n), { minLength: 1, maxLength: 8 }),
        diff: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: -600, max: 600 })),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    lockDay: fc.option(fc.integer({ min: 1, max: 28 }), { nil: undefined }),
    adviser: fc.boolean(),
    design: fc.constantFrom("invoice_level", "summary" as const),
    bank: fc.boolean(),
    treatments: fc.array(fc.constantFrom("journal", "credit_note", "hold" as const), {
      minLength: DEDUCTION_KINDS.length,
      maxLength: DEDUCTION_KINDS.length,
    }),
  }),
);

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const pad = (d: number) => String(d).padStart(2, "0");

function build(s: Scenario): { r: Remittance; org: OrgSnapshot; mappings: ReturnType<typeof demoMappings> } {
  const orgInput: OrgSnapshotInput = {
    ...demoOrgInput(),
    isAdviser: s.adviser,
    invoices: s.invoices.map((inv) => ({
      number: inv.number,
      status: inv.status,
      total: minorToDecimal(inv.due, 2),
      amountDue: inv.status === "PAID" ? "0" : minorToDecimal(inv.due, 2),
      date: `2026-01-${pad(inv.day)}`,
      currency: "USD",
    })),
  };
  if (s.lockDay === undefined) delete orgInput.periodLockDate;
  else orgInput.periodLockDate = `2026-02-${pad(s.lockDay)}`;
  const org = demoOrg(orgInput);
  const payments = s.payments.map((p, pi) => {
    const lines = p.lines.map((l, li) => {
      if (l.type === "pay") {
        return line({
          doc: `INV-${l.inv}`,
          kind: "invoice_payment",
          amount: l.amount,
          discount: l.discount,
          withholding: l.withholding,
        });
      }
      const sign = POSITIVE_KINDS.has(l.kind) ? 1 : -1;
      return line({
        doc: `D${pi}-${li}`,
        kind: l.kind,
        amount: sign * l.amount,
        ...(l.inv !== undefined ? { original: `INV-${l.inv}` } : {}),
      });
    });
    const pay = payment(`P${pi}`, `2026-${p.month}-${pad(p.day)}`, lines);
    pay.amount += p.diff;
    return pay;
  });
  const mappings = demoMappings((m: MappingsInput) => {
    const settings = m.settings[0];
    if (settings) Object.assign(settings, { design: s.design, createBankTransaction: s.bank });
    // One row per kind with a random treatment, ahead of the demo rows; the demo catch-all stays.
    m.deductions.unshift(
      ...DEDUCTION_KINDS.filter((k) => k !== "unknown").map((kind, i) => ({
        kind,
        accountCode: kind.startsWith("provision") ? "1220" : "6130",
        treatment: s.treatments[i] ?? ("journal" as const),
      })),
    );
  });
  return { r: remittance(...payments), org, mappings };
}

function invariants(plan: Plan, org: OrgSnapshot, r: Remittance): void {
  // Every journal balances to the cent.
  for (const d of plan.documents) {
    if (d.type !== "ManualJournal") continue;
    expect(d.body.JournalLines.length).toBeGreaterThanOrEqual(2);
    expect(d.body.JournalLines.reduce((s, l) => s + wireMinor(l.LineAmount), 0)).toBe(0);
  }
  // Per planned payment: clearing receives exactly the payment amount, and nets to zero after the deposit.
  for (const p of plan.payments.filter((x) => x.planned)) {
    const docs = plan.documents.filter((d) => d.paymentNumber === p.paymentNumber);
    const moves = clearingMovements(docs, "1210");
    const before = moves.filter((m) => m.doc.type !== "BankTransaction").reduce((s, m) => s + m.amount, 0);
    const source = r.payments.find((x) => x.paymentNumber === p.paymentNumber);
    expect(before).toBe(source?.amount);
    const bank = moves.filter((m) => m.doc.type === "BankTransaction").reduce((s, m) => s + m.amount, 0);
    if (docs.some((d) => d.type === "BankTransaction")) expect(before + bank).toBe(0);
  }
  // Never dated into a locked period.
  const lock = effectiveLockDate(org);
  if (lock !== undefined) for (const d of plan.documents) expect(d.body.Date > lock).toBe(true);
  // Never pays (or allocates) above amount due, and only to AUTHORISED invoices.
  const applied = new Map<string, number>();
  for (const d of plan.documents) {
    if (d.type !== "Payment" && d.type !== "Allocation") continue;
    const number = d.body.Invoice?.InvoiceNumber ?? "";
    const inv = org.invoices.find((i) => i.number === number);
    expect(inv?.status).toBe("AUTHORISED");
    applied.set(number, (applied.get(number) ?? 0) + wireMinor(d.body.Amount));
    expect(applied.get(number)).toBeLessThanOrEqual(inv?.amountDue ?? 0);
    expect(wireMinor(d.body.Amount)).toBeGreaterThan(0);
  }
  // No negative-total documents.
  for (const d of plan.documents)
    if (d.type === "CreditNote") expect(d.body.LineItems.every((l) => l.LineAmount > 0)).toBe(true);
  // Keys unique and short; the planner's own checks agree.
  const keys = plan.documents.map((d) => d.key);
  expect(new Set(keys).size).toBe(keys.length);
  expect(keys.every((k) => k.length <= 128)).toBe(true);
  expect(plan.checks.filter((c) => !c.ok)).toEqual([]);
}

describe("posting plan properties", () => {
  it("balances, nets to the deposit, respects locks and amounts due", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { r, org, mappings } = build(s);
        invariants(planSettlement(r, mappings, org), org, r);
      }),
      { numRuns: 400 },
    );
  });

  it("keys are stable across re-planning; with some keys posted only the rest is planned", () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.boolean(), { maxLength: 40 }), (s, mask) => {
        const { r, org, mappings } = build(s);
        const first = planSettlement(r, mappings, org);
        const again = planSettlement(structuredClone(r), mappings, structuredClone(org));
        expect(again.documents.map((d) => d.key)).toEqual(first.documents.map((d) => d.key));
        const posted = first.documents.filter((_, i) => mask[i] === true).map((d) => d.key);
        const rest = planSettlement(r, mappings, org, { alreadyPosted: posted });
        const postedSet = new Set(posted);
        expect(rest.documents).toEqual(first.documents.filter((d) => !postedSet.has(d.key)));
        expect(rest.alreadyPosted).toEqual(posted);
      }),
      { numRuns: 200 },
    );
  });
});

/** Dispute deadlines for every kind, the status machine, the register and its CSV export. */
import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import {
  addYears,
  DEFAULT_DISPUTE_WINDOWS,
  daysBetween,
  disputeDeadline,
  disputeRegister,
  disputesToCsv,
  transitionDispute,
} from "../../../worker/domain/monitoring/disputes";
import { addDays } from "../../../worker/domain/org/lock-dates";
import { planSettlement } from "../../../worker/domain/plan/planner";
import { LINE_KINDS } from "../../../worker/domain/remittance/model";
import { demoMappings, demoOrg, line, payment, remittance } from "../plan/builders";
import { fixtureSettlement } from "./fixtures";

describe("default windows (amazon-vendor-central.md §5)", () => {
  it("chargebacks: 30 days from issue, at most 2 disputes", () => {
    expect(disputeDeadline({ kind: "chargeback", issueDate: "2026-01-28" })).toEqual({
      deadline: "2026-02-27",
      basis: "30 days from issue",
      maxDisputes: 2,
    });
  });
  it("price claims: 30 days from the invoice due date", () => {
    expect(
      disputeDeadline({ kind: "price_claim", issueDate: "2026-02-04", invoiceDueDate: "2026-03-21" }),
    ).toMatchObject({ deadline: "2026-04-20", basis: "30 days from the invoice due date" });
  });
  it("price claims without a known due date count from the claim's date (never later than the real one)", () => {
    expect(disputeDeadline({ kind: "price_claim", issueDate: "2026-02-04" })).toMatchObject({
      deadline: "2026-03-06",
      basis: "30 days from the claim's date (invoice due date unknown)",
    });
  });
  it("shortage claims: 30 days from due date, never for an invoice older than 2 years", () => {
    expect(
      disputeDeadline({
        kind: "shortage_claim",
        issueDate: "2026-02-03",
        invoiceDueDate: "2026-02-08",
        invoiceDate: "2026-01-12",
      }),
    ).toMatchObject({ deadline: "2026-03-10", basis: "30 days from the invoice due date" });
    // An SC on an invoice raised 2 years and 10 days before its due date + 30: the 2-year limit wins.
    expect(
      disputeDeadline({
        kind: "shortage_claim_revised",
        invoiceDueDate: "2028-01-20",
        invoiceDate: "2026-01-10",
      }),
    ).toMatchObject({
      deadline: "2028-01-10",
      basis: "30 days from the invoice due date; limited to 2 years after the invoice date",
    });
  });
  it("the deduction map's window (the planner's deadline) is used when there is one", () => {
    expect(
      disputeDeadline({ kind: "chargeback", issueDate: "2026-01-28", plannedDeadline: "2026-03-29" }),
    ).toEqual({
      deadline: "2026-03-29",
      basis: "deduction map window from the deduction's date",
      maxDisputes: 2,
    });
  });
  it("kinds without a window have no deadline unless the map gives one", () => {
    for (const kind of ["coop", "price_protection", "returns", "unknown"] as const)
      expect(disputeDeadline({ kind, issueDate: "2026-01-31" }).deadline).toBeUndefined();
    expect(disputeDeadline({ kind: "coop", plannedDeadline: "2026-03-01" }).deadline).toBe("2026-03-01");
  });
  it("every kind gets an answer", () => {
    for (const kind of LINE_KINDS)
      expect(disputeDeadline({ kind, issueDate: "2026-01-31" }).basis).not.toBe("");
  });
});

// Dates around month ends and in leap years: 2023-12-01 … 2029-03-31.
const day = fc
  .integer({ min: Date.UTC(2023, 11, 1) / 86_400_000, max: Date.UTC(2029, 2, 31) / 86_400_000 })
  .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
const monthEnd = fc
  .record({
    y: fc.integer({ min: 2023, max: 2030 }),
    m: fc.integer({ min: 1, max: 12 }),
    back: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ y, m, back }) => new Date(Date.UTC(y, m, 0 - back)).toISOString().slice(0, 10));
const anyDay = fc.oneof(
  day,
  monthEnd,
  fc.constantFrom("2024-02-29", "2028-02-29", "2024-02-28", "2025-02-28", "2024-12-31"),
);

describe("properties around month ends and leap years", () => {
  it("a default window is exactly its days after its anchor, and a valid calendar date", () => {
    fc.assert(
      fc.property(anyDay, anyDay, fc.constantFrom("chargeback", "price_claim"), (issue, due, kind) => {
        const d = disputeDeadline({ kind, issueDate: issue, invoiceDueDate: due });
        const anchor = DEFAULT_DISPUTE_WINDOWS[kind]?.from === "issue_date" ? issue : due;
        expect(d.deadline).toBeDefined();
        expect(daysBetween(anchor, d.deadline ?? "")).toBe(30);
        expect(new Date(`${d.deadline}T00:00:00Z`).toISOString().slice(0, 10)).toBe(d.deadline);
      }),
    );
  });

  it("a shortage claim's deadline is never past 2 years after the invoice, nor past due date + 30", () => {
    fc.assert(
      fc.property(
        anyDay,
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 0, max: 120 }),
        (invoiceDate, late, terms) => {
          const due = addDays(invoiceDate, terms + late);
          const d = disputeDeadline({ kind: "shortage_claim", invoiceDate, invoiceDueDate: due });
          const deadline = d.deadline ?? "";
          expect(deadline <= addYears(invoiceDate, 2)).toBe(true);
          expect(deadline <= addDays(due, 30)).toBe(true);
          expect(deadline === addYears(invoiceDate, 2) || deadline === addDays(due, 30)).toBe(true);
        },
      ),
    );
  });

  it("two years after 29 February is 28 February; any other day keeps its day and month", () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: 1, max: 4 }), (date, years) => {
        const later = addYears(date, years);
        expect(Number(later.slice(0, 4))).toBe(Number(date.slice(0, 4)) + years);
        expect(later.slice(5, 7)).toBe(date.slice(5, 7));
        if (date.endsWith("-02-29") && !later.endsWith("-02-29")) expect(later.slice(8)).toBe("28");
        else expect(later.slice(8)).toBe(date.slice(8));
      }),
    );
    expect(addYears("2024-02-29", 2)).toBe("2026-02-28");
    expect(addYears("2024-02-29", 4)).toBe("2028-02-29");
  });

  it("the planner's deadline for a 30-day map window crosses month ends exactly like the default", () => {
    fc.assert(
      fc.property(anyDay, (issue) => {
        const mappings = demoMappings();
        const r = remittance(
          payment("P", issue, [
            line({ doc: "1VCBSINV", kind: "chargeback", amount: -100, invoiceDate: issue }),
            line({ doc: "X", kind: "coop", amount: -100 }),
          ]),
        );
        const plan = planSettlement(r, mappings, demoOrg({ periodLockDate: undefined }));
        const register = disputeRegister({ remittances: [r], plans: [plan], today: issue });
        const cb = register.find((x) => x.kind === "chargeback");
        expect(cb?.deadline).toBe(disputeDeadline({ kind: "chargeback", issueDate: issue }).deadline);
        expect(cb?.daysLeft).toBe(30);
      }),
      { numRuns: 40 },
    );
  });

  it("a deduction is open up to and including its deadline, expired the day after", () => {
    fc.assert(
      fc.property(anyDay, (issue) => {
        const r = remittance(
          payment("P", issue, [
            line({ doc: "9VCBSINV", kind: "chargeback", amount: -500, invoiceDate: issue }),
          ]),
        );
        const deadline = addDays(issue, 30);
        const at = (today: string) => disputeRegister({ remittances: [r], today })[0]?.status;
        expect(at(deadline)).toBe("open");
        expect(at(addDays(deadline, 1))).toBe("expired");
      }),
      { numRuns: 60 },
    );
  });
});

describe("status transitions", () => {
  const rec = {
    status: "open" as const,
    disputes: 0,
    maxDisputes: 2,
    deadline: "2026-02-27",
    documentNumber: "123VCBSINV",
  };

  it("open → disputed → lost → disputed (re-dispute) → won", () => {
    const a = transitionDispute(rec, "disputed", "2026-02-20", { caseId: "C-1" });
    expect(a).toEqual({
      ok: true,
      state: { status: "disputed", disputes: 1, updatedOn: "2026-02-20", caseId: "C-1" },
    });
    if (!a.ok) return;
    const b = transitionDispute({ ...rec, ...a.state }, "lost", "2026-02-22");
    expect(b).toMatchObject({ ok: true, state: { status: "lost", disputes: 1 } });
    if (!b.ok) return;
    const c = transitionDispute({ ...rec, ...b.state }, "disputed", "2026-02-25");
    expect(c).toMatchObject({ ok: true, state: { status: "disputed", disputes: 2 } });
    if (!c.ok) return;
    expect(transitionDispute({ ...rec, ...c.state }, "won", "2026-03-10")).toMatchObject({
      ok: true,
      state: { status: "won" },
    });
  });

  it("refuses a dispute after the deadline, a third dispute, and moves out of final states", () => {
    expect(transitionDispute(rec, "disputed", "2026-02-28")).toEqual({
      ok: false,
      reason: "The dispute window for 123VCBSINV closed on 2026-02-27",
    });
    expect(transitionDispute({ ...rec, status: "lost", disputes: 2 }, "disputed", "2026-02-20")).toEqual({
      ok: false,
      reason: "123VCBSINV has been disputed 2 times, the most Amazon accepts",
    });
    expect(transitionDispute({ ...rec, status: "won" }, "open", "2026-02-20")).toMatchObject({ ok: false });
    expect(transitionDispute({ ...rec, status: "expired" }, "disputed", "2026-02-20")).toMatchObject({
      ok: false,
    });
    expect(transitionDispute(rec, "expired", "2026-02-27")).toMatchObject({ ok: false });
    expect(transitionDispute(rec, "expired", "2026-02-28")).toMatchObject({
      ok: true,
      state: { status: "expired" },
    });
    expect(transitionDispute(rec, "open", "2026-02-20")).toMatchObject({ ok: false });
  });
});

describe("the register", () => {
  it("gives every disputable line of the fixture its deadline, soonest first", () => {
    const fx = fixtureSettlement();
    const reg = disputeRegister({ remittances: [fx.remittance], plans: [fx.plan], today: "2026-02-20" });
    expect(
      reg.map((r) => [r.documentNumber, r.kind, r.amount, r.deadline, r.daysLeft, r.status, r.accountCode]),
    ).toEqual([
      ["123VCBSINV", "chargeback", 15000, "2026-02-27", 7, "open", "6120"],
      ["INV-BSC", "shortage_claim", 30000, "2026-03-05", 13, "open", "6130"],
      ["INV-CPC", "price_claim", 8000, "2026-03-06", 14, "open", "6140"],
      ["3210-00000001", "coop", 100000, undefined, undefined, "open", "6110"],
    ]);
    expect(reg[0]?.purchaseOrders).toEqual(["2JK3S9VC"]);
    expect(reg.find((r) => r.kind === "shortage_claim")?.invoiceNumber).toBe("INV-B");
    // Provisions are not charges and are not disputed.
    expect(reg.some((r) => r.kind === "provision")).toBe(false);
  });

  it("uses defaults with due dates when the map has no window, stored statuses, and reversals as won", () => {
    const sc = remittance(
      payment("P1", "2026-03-02", [
        line({
          doc: "INV-QSC",
          kind: "shortage_claim",
          amount: -4000,
          original: "INV-Q",
          invoiceDate: "2026-02-25",
        }),
        line({
          doc: "INV-RPC",
          kind: "price_claim",
          amount: -1000,
          original: "INV-R",
          invoiceDate: "2026-02-26",
        }),
      ]),
    );
    const scr = remittance(
      payment("P2", "2026-04-02", [
        line({ doc: "INV-QSCR", kind: "shortage_claim_reversal", amount: 4000, original: "INV-QSC" }),
      ]),
    );
    const reg = disputeRegister({
      remittances: [sc, scr],
      invoiceDueDates: { "INV-Q": "2026-03-01", "INV-R": "2026-03-31" },
      invoiceDates: { "INV-Q": "2026-01-01" },
      states: { "P1/INV-RPC/1": { status: "disputed", disputes: 1, caseId: "CASE-9" } },
      today: "2026-04-05",
    });
    expect(reg.map((r) => [r.id, r.deadline, r.status, r.outstanding, r.reversedBy])).toEqual([
      ["P1/INV-QSC/1", "2026-03-31", "won", 0, ["P2/INV-QSCR/1"]],
      ["P1/INV-RPC/1", "2026-04-30", "disputed", 1000, []],
    ]);
  });

  it("exports CSV for recovery tools that reads back, with formula-looking text neutralised", () => {
    const r = remittance(
      payment("P1", "2026-02-10", [
        line({
          doc: "5VCBSINV",
          kind: "chargeback",
          amount: -2500,
          invoiceDate: "2026-02-01",
          reference: '=HYPERLINK("x")',
        }),
      ]),
    );
    const csv = disputesToCsv(disputeRegister({ remittances: [r], today: "2026-02-05" }));
    expect(csv.split("\r\n")[0]).toBe(
      "Dispute ID,Document Number,Kind,Vendor Invoice,PO Numbers,Payment Number,Payment Date,Issue Date,Amount,Outstanding,Currency,Account,Dispute Deadline,Days Left,Status,Disputes Raised,Max Disputes,Deadline Basis,Case ID,Reference Details,Note",
    );
    const [row] = Papa.parse<Record<string, string>>(csv, { header: true }).data;
    expect(row).toMatchObject({
      "Dispute ID": "P1/5VCBSINV/1",
      Amount: "25.00",
      Currency: "USD",
      "Dispute Deadline": "2026-03-03",
      "Days Left": "26",
      Status: "open",
      "Max Disputes": "2",
      "Reference Details": '\'=HYPERLINK("x")',
    });
  });
});

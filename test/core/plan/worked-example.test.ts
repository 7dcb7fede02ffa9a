/** shared/reference/accounting-model.md reproduced to the cent, both designs. */
import { describe, expect, it } from "vitest";
import { clearingMovements, wireMinor } from "../../../worker/domain/plan/checks";
import type { PlannedDocument } from "../../../worker/domain/plan/model";
import { planSettlement } from "../../../worker/domain/plan/planner";
import { demoMappings, demoOrg, workedExample } from "./builders";

const journalLines = (d: PlannedDocument | undefined) =>
  d?.type === "ManualJournal" ? d.body.JournalLines.map((l) => [l.AccountCode, l.LineAmount]) : undefined;

describe("design invoice_level", () => {
  const plan = planSettlement(workedExample(), demoMappings(), demoOrg());
  const docs = plan.documents;

  it("sends the documents in the model's order", () => {
    expect(docs.map((d) => `${d.type} ${d.key}`)).toEqual([
      "CreditNote vcx1:ACME1:40311877:cn:INV-BSC",
      "Allocation vcx1:ACME1:40311877:alloc:INV-BSC",
      "Payment vcx1:ACME1:40311877:pay:INV-A",
      "Payment vcx1:ACME1:40311877:pay:INV-B",
      "CreditNote vcx1:ACME1:40311877:cn:INV-CPC",
      "RefundPayment vcx1:ACME1:40311877:refund:INV-CPC",
      "ManualJournal vcx1:ACME1:40311877:mj",
      "BankTransaction vcx1:ACME1:40311877:bank",
    ]);
  });

  it("1. credits the shortage claim on INV-B and allocates it", () => {
    const [cn, alloc] = docs;
    expect(cn?.type).toBe("CreditNote");
    if (cn?.type !== "CreditNote" || alloc?.type !== "Allocation") throw new Error("shape");
    expect(cn.body).toMatchObject({
      Type: "ACCRECCREDIT",
      Date: "2026-02-10",
      Status: "AUTHORISED",
      Contact: { ContactID: "6f1e3c52-8b0a-4d6e-9c2f-1a2b3c4d5e6f" },
      CurrencyCode: "USD",
      LineItems: [{ AccountCode: "6130", LineAmount: 300, UnitAmount: 300, Quantity: 1 }],
    });
    expect(cn.body.Reference).toBe("INV-BSC shortage claim on INV-B | vcx1:ACME1:40311877:cn:INV-BSC");
    expect(alloc.body).toEqual({
      Invoice: { InvoiceID: "0a1b2c3d-0000-4000-8000-00000000000b" },
      Amount: 300,
      Date: "2026-02-10",
    });
    expect(alloc.dependsOn).toEqual([cn.key]);
    expect(alloc.creditNoteKey).toBe(cn.key);
  });

  it("2–3. pays INV-A 10,000.00 and INV-B 4,700.00 from clearing, INV-B after its credit", () => {
    const pays = docs.filter((d) => d.type === "Payment");
    expect(pays.map((d) => [d.body.Invoice, d.body.Account.Code, d.body.Amount, d.body.Date])).toEqual([
      [{ InvoiceID: "0a1b2c3d-0000-4000-8000-00000000000a" }, "1210", 10000, "2026-02-10"],
      [{ InvoiceID: "0a1b2c3d-0000-4000-8000-00000000000b" }, "1210", 4700, "2026-02-10"],
    ]);
    expect(pays[1]?.dependsOn).toEqual(["vcx1:ACME1:40311877:alloc:INV-BSC"]);
  });

  it("4. credits the price claim on paid, locked INV-C and refunds it from clearing", () => {
    const cn = docs[4];
    const refund = docs[5];
    if (cn?.type !== "CreditNote" || refund?.type !== "RefundPayment") throw new Error("shape");
    expect(cn.body.LineItems).toMatchObject([{ AccountCode: "6140", LineAmount: 80 }]);
    expect(cn.body.Date).toBe("2026-02-10");
    expect(cn.body.Reference).toBe("INV-CPC price claim on INV-C (paid) | vcx1:ACME1:40311877:cn:INV-CPC");
    expect(refund.body).toMatchObject({
      Account: { Code: "1210" },
      Amount: 80,
      Date: "2026-02-10",
      CreditNote: {},
    });
    expect(refund.creditNoteKey).toBe(cn.key);
    // INV-C is never edited: nothing is sent to it.
    expect(JSON.stringify(docs)).not.toContain("00000000000c");
  });

  it("5. one manual journal: Dr 6160 200 · 6120 150 · 6110 1,000 · 1220 500, Cr 1210 1,850", () => {
    const mj = docs[6];
    expect(journalLines(mj)).toEqual([
      ["6160", 200],
      ["6120", 150],
      ["6110", 1000],
      ["1220", 500],
      ["1210", -1850],
    ]);
    if (mj?.type !== "ManualJournal") throw new Error("shape");
    expect(mj.body.Date).toBe("2026-02-10");
    expect(mj.body.Narration).toContain("Amazon remittance 40311877 — deductions");
    expect(mj.body.Narration).toContain(mj.key);
    expect(mj.body.JournalLines[0]?.Description).toBe("Terms discount INV-A");
    expect(mj.body.JournalLines[1]?.Description).toContain("123VCBSINV");
  });

  it("6. receives 12,770.00 into 090 from 1210", () => {
    const bank = docs[7];
    if (bank?.type !== "BankTransaction") throw new Error("shape");
    expect(bank.body).toMatchObject({
      Type: "RECEIVE",
      BankAccount: { Code: "090" },
      Date: "2026-02-10",
      LineItems: [{ AccountCode: "1210", LineAmount: 12770 }],
    });
    expect(bank.body.Reference.startsWith("Amazon 40311877")).toBe(true);
  });

  it("clearing: +10,000 +4,700 −80 −1,850 −12,770 = 0", () => {
    const moves = clearingMovements(docs, "1210").map((m) => m.amount);
    expect(moves).toEqual([1000000, 470000, -8000, -185000, -1277000]);
    expect(moves.reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("P&L and balance sheet land as the model says", () => {
    const byAccount = new Map<string, number>();
    const add = (code: string, cents: number) => byAccount.set(code, (byAccount.get(code) ?? 0) + cents);
    for (const d of docs) {
      if (d.type === "ManualJournal")
        for (const l of d.body.JournalLines) add(l.AccountCode, wireMinor(l.LineAmount));
      if (d.type === "CreditNote")
        for (const l of d.body.LineItems) add(l.AccountCode, wireMinor(l.LineAmount));
    }
    expect(
      Object.fromEntries(["6160", "6120", "6110", "6130", "6140", "1220"].map((c) => [c, byAccount.get(c)])),
    ).toEqual({
      "6160": 20000,
      "6120": 15000,
      "6110": 100000,
      "6130": 30000,
      "6140": 8000,
      "1220": 50000,
    });
  });

  it("has no exceptions and every check passes", () => {
    expect(plan.exceptions).toEqual([]);
    expect(plan.checks.filter((c) => !c.ok)).toEqual([]);
    expect(plan.payments[0]).toMatchObject({ gross: 1500000, net: 1277000, held: 0, planned: true });
  });
});

describe("design summary", () => {
  const mappings = demoMappings((m) => {
    const s = m.settings[0];
    if (s) s.design = "summary";
  });
  const plan = planSettlement(workedExample(), mappings, demoOrg());

  it("one journal: Dr 1210 12,770 · 6160 200 · 6130 300 · 6120 150 · 6110 1,000 · 1220 500 · 6140 80 · Cr 200 15,000", () => {
    expect(plan.documents.map((d) => d.type)).toEqual(["ManualJournal", "BankTransaction"]);
    expect(journalLines(plan.documents[0])).toEqual([
      ["1210", 12770],
      ["6160", 200],
      ["6130", 300],
      ["6120", 150],
      ["6110", 1000],
      ["1220", 500],
      ["6140", 80],
      ["200", -15000],
    ]);
  });

  it("then the same receive-money transaction, and clearing nets to zero", () => {
    const bank = plan.documents[1];
    if (bank?.type !== "BankTransaction") throw new Error("shape");
    expect(bank.body.LineItems[0]).toMatchObject({ AccountCode: "1210", LineAmount: 12770 });
    expect(clearingMovements(plan.documents, "1210").reduce((s, m) => s + m.amount, 0)).toBe(0);
    expect(plan.checks.filter((c) => !c.ok)).toEqual([]);
    expect(plan.exceptions).toEqual([]);
  });
});

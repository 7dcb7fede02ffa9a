/**
 * The accounting-model.md worked example posted through the sandbox: remittance 40311877 leaves
 * Amazon Vendor Clearing (1210) at exactly 0.00, INV-A and INV-B PAID, and the trial balance balanced.
 */
import { describe, expect, it } from "vitest";
import { call, newOrg, seeded, setClock, xero } from "./helpers";

describe("worked example: payment 40311877 (design invoice_level)", () => {
  it("clears 1210 to zero and leaves the expected P&L", async () => {
    await setClock("2026-02-10T12:00:00Z");
    const org = await newOrg();
    const x = xero(org);
    const { amazonId, invA, invB } = await seeded(x);
    const ok = (r: { status: number }) => expect(r.status).toBe(200);
    const creditNote = async (amount: number, account: string, reference: string) => {
      const r = await x.put("/CreditNotes?summarizeErrors=false", {
        CreditNotes: [
          {
            Type: "ACCRECCREDIT",
            Contact: { ContactID: amazonId },
            Date: "2026-02-10",
            Status: "AUTHORISED",
            LineAmountTypes: "NoTax",
            Reference: reference,
            LineItems: [{ Description: reference, Quantity: 1, UnitAmount: amount, AccountCode: account }],
          },
        ],
      });
      ok(r);
      return r.body.CreditNotes[0].CreditNoteID as string;
    };
    const bsc = await creditNote(300, "6130", "INV-BSC shortage claim on INV-B");
    ok(
      await x.put(`/CreditNotes/${bsc}/Allocations`, {
        Allocations: [{ Invoice: { InvoiceID: invB.InvoiceID }, Amount: 300, Date: "2026-02-10" }],
      }),
    );
    const pay = (doc: Record<string, unknown>, amount: number) => ({
      ...doc,
      Account: { Code: "1210" },
      Date: "2026-02-10",
      Amount: amount,
    });
    ok(await x.put("/Payments", { Payments: [pay({ Invoice: { InvoiceID: invA.InvoiceID } }, 10000)] }));
    ok(await x.put("/Payments", { Payments: [pay({ Invoice: { InvoiceID: invB.InvoiceID } }, 4700)] }));
    const cpc = await creditNote(80, "6140", "INV-CPC price claim on INV-C (paid)");
    ok(await x.put("/Payments", { Payments: [pay({ CreditNote: { CreditNoteID: cpc } }, 80)] }));
    ok(
      await x.put("/ManualJournals", {
        ManualJournals: [
          {
            Narration: "Amazon remittance 40311877 — deductions",
            Date: "2026-02-10",
            Status: "POSTED",
            JournalLines: [
              { AccountCode: "6160", LineAmount: 200 },
              { AccountCode: "6120", LineAmount: 150 },
              { AccountCode: "6110", LineAmount: 1000 },
              { AccountCode: "1220", LineAmount: 500 },
              { AccountCode: "1210", LineAmount: -1850 },
            ],
          },
        ],
      }),
    );
    ok(
      await x.put("/BankTransactions", {
        BankTransactions: [
          {
            Type: "RECEIVE",
            Contact: { ContactID: amazonId },
            BankAccount: { Code: "090" },
            Date: "2026-02-10",
            Reference: "Amazon 40311877",
            LineAmountTypes: "NoTax",
            LineItems: [
              { Description: "Amazon 40311877", Quantity: 1, UnitAmount: 12770, AccountCode: "1210" },
            ],
          },
        ],
      }),
    );

    const statuses = await x.get("/Invoices?InvoiceNumbers=INV-A,INV-B,INV-C");
    expect(statuses.body.Invoices.map((i: { Status: string }) => i.Status)).toEqual(["PAID", "PAID", "PAID"]);
    const tb = (await call(`/sandbox/tenants/${org.tenantId}/trial-balance`)).body;
    expect(tb.Balanced).toBe(true);
    const bal = Object.fromEntries(
      tb.Accounts.map((a: { Code: string; Balance: number }) => [a.Code, a.Balance]),
    );
    expect(bal["1210"]).toBe(0);
    expect(bal).toMatchObject({
      "6160": 200,
      "6120": 150,
      "6110": 1000,
      "6130": 300,
      "6140": 80,
      "1220": 500,
    });
    // bank: seeded INV-C receipt 2,000.00 + this deposit 12,770.00
    expect(bal["090"]).toBe(14770);
    // receivables: only what the seed left outstanding is gone; AR nets to zero
    expect(bal["610"] ?? 0).toBe(0);
  });
});

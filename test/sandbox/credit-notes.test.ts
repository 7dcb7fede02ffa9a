import { beforeEach, describe, expect, it } from "vitest";
import { type Client, newOrg, seeded, setClock, xero } from "./helpers";

async function creditNote(x: Client, contactId: string, amount: number, status = "AUTHORISED") {
  const r = await x.put("/CreditNotes?summarizeErrors=false", {
    CreditNotes: [
      {
        Type: "ACCRECCREDIT",
        Contact: { ContactID: contactId },
        Date: "2026-02-10",
        Status: status,
        LineAmountTypes: "NoTax",
        Reference: "INV-BSC shortage claim on INV-B",
        LineItems: [{ Description: "Shortage claim", Quantity: 1, UnitAmount: amount, AccountCode: "6130" }],
      },
    ],
  });
  return r.body.CreditNotes[0];
}

const allocation = (invoiceId: string, amount: number, date = "2026-02-10") => ({
  Allocations: [{ Invoice: { InvoiceID: invoiceId }, Amount: amount, Date: date }],
});

describe("credit notes and allocations", () => {
  beforeEach(() => setClock("2026-02-10T12:00:00Z"));

  it("auto-numbers credit notes CN-0001 and starts with RemainingCredit = Total", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    const cn = await creditNote(x, amazonId, 300);
    expect(cn).toMatchObject({
      CreditNoteNumber: "CN-0001",
      Status: "AUTHORISED",
      Total: 300,
      RemainingCredit: 300,
    });
  });

  it("allocates in a second call: invoice AmountCredited rises, AmountDue and RemainingCredit fall", async () => {
    const x = xero(await newOrg());
    const { amazonId, invB } = await seeded(x);
    const cn = await creditNote(x, amazonId, 300);
    const r = await x.put(`/CreditNotes/${cn.CreditNoteID}/Allocations`, allocation(invB.InvoiceID, 300));
    expect(r.status).toBe(200);
    expect(r.body.Allocations[0]).toMatchObject({ Amount: 300, Invoice: { InvoiceID: invB.InvoiceID } });
    const inv = (await x.get(`/Invoices/${invB.InvoiceID}`)).body.Invoices[0];
    expect(inv).toMatchObject({ AmountCredited: 300, AmountDue: 4700, Status: "AUTHORISED" });
    const after = (await x.get(`/CreditNotes/${cn.CreditNoteID}`)).body.CreditNotes[0];
    expect(after).toMatchObject({ RemainingCredit: 0, Status: "PAID" });
  });

  it("refuses over-allocation beyond the credit note or the invoice", async () => {
    const x = xero(await newOrg());
    const { amazonId, invB } = await seeded(x);
    const cn = await creditNote(x, amazonId, 300);
    const r = await x.put(`/CreditNotes/${cn.CreditNoteID}/Allocations`, allocation(invB.InvoiceID, 300.01));
    expect(r.status).toBe(400);
    expect(r.body.Elements[0].ValidationErrors[0].Message).toBe(
      "Credit Note cannot be allocated as amount is greater than amount outstanding",
    );
    const big = await creditNote(x, amazonId, 6000);
    const r2 = await x.put(
      `/CreditNotes/${big.CreditNoteID}/Allocations`,
      allocation(invB.InvoiceID, 5000.01),
    );
    expect(r2.body.Elements[0].ValidationErrors[0].Message).toBe(
      "Credit Note cannot be allocated as amount is greater than amount outstanding",
    );
  });

  it("refuses allocating to a paid invoice and from an unknown credit note", async () => {
    const x = xero(await newOrg({ adviser: true }));
    const { amazonId, invC } = await seeded(x);
    const cn = await creditNote(x, amazonId, 80);
    const r = await x.put(`/CreditNotes/${cn.CreditNoteID}/Allocations`, allocation(invC.InvoiceID, 80));
    expect(r.body.Elements[0].ValidationErrors[0].Message).toBe(
      "The invoice you are trying to allocate to has already been paid off",
    );
    const unknown = await x.put(
      `/CreditNotes/${crypto.randomUUID()}/Allocations`,
      allocation(invC.InvoiceID, 1),
    );
    expect(unknown.body.Elements[0].ValidationErrors[0].Message).toBe(
      "An existing Credit Note with the specified CreditNoteID could not be found",
    );
  });

  it("un-allocates with DELETE, restoring both sides", async () => {
    const x = xero(await newOrg());
    const { amazonId, invB } = await seeded(x);
    const cn = await creditNote(x, amazonId, 300);
    const alloc = (
      await x.put(`/CreditNotes/${cn.CreditNoteID}/Allocations`, allocation(invB.InvoiceID, 100))
    ).body.Allocations[0];
    const del = await x.delete(`/CreditNotes/${cn.CreditNoteID}/Allocations/${alloc.AllocationID}`);
    expect(del.status).toBe(200);
    expect(del.body.Allocations[0].IsDeleted).toBe(true);
    expect((await x.get(`/Invoices/${invB.InvoiceID}`)).body.Invoices[0].AmountDue).toBe(5000);
    expect((await x.get(`/CreditNotes/${cn.CreditNoteID}`)).body.CreditNotes[0].RemainingCredit).toBe(300);
  });

  it("a credit note with an allocation cannot be edited", async () => {
    const x = xero(await newOrg());
    const { amazonId, invB } = await seeded(x);
    const cn = await creditNote(x, amazonId, 300);
    await x.put(`/CreditNotes/${cn.CreditNoteID}/Allocations`, allocation(invB.InvoiceID, 100));
    const r = await x.post(`/CreditNotes/${cn.CreditNoteID}`, { CreditNotes: [{ Reference: "edit" }] });
    expect(r.body.Elements[0].ValidationErrors[0].Message).toBe(
      "This document cannot be edited as it has a payment or credit note allocated to it.",
    );
  });

  it("refunds a credit note through /Payments (ARCREDITPAYMENT)", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    const cn = await creditNote(x, amazonId, 80);
    const r = await x.put("/Payments", {
      Payments: [
        {
          CreditNote: { CreditNoteID: cn.CreditNoteID },
          Account: { Code: "1210" },
          Date: "2026-02-10",
          Amount: 80,
        },
      ],
    });
    expect(r.body.Payments[0].PaymentType).toBe("ARCREDITPAYMENT");
    expect((await x.get(`/CreditNotes/${cn.CreditNoteID}`)).body.CreditNotes[0]).toMatchObject({
      RemainingCredit: 0,
      Status: "PAID",
    });
  });
});

import { beforeEach, describe, expect, it } from "vitest";
import { invoiceBody, newOrg, seeded, setClock, xero } from "./helpers";

const pay = (invoiceId: string, amount: number, code = "1210", date = "2026-02-10") => ({
  Invoice: { InvoiceID: invoiceId },
  Account: { Code: code },
  Date: date,
  Amount: amount,
});

describe("payments", () => {
  beforeEach(() => setClock("2026-02-10T12:00:00Z"));

  it("pays an invoice in full from the clearing account: PAID, AmountDue 0", async () => {
    const x = xero(await newOrg());
    const { invA } = await seeded(x);
    const r = await x.put("/Payments", { Payments: [pay(invA.InvoiceID, 10000)] });
    expect(r.status).toBe(200);
    expect(r.body.Payments[0]).toMatchObject({
      Amount: 10000,
      Status: "AUTHORISED",
      PaymentType: "ACCRECPAYMENT",
    });
    const inv = (await x.get(`/Invoices/${invA.InvoiceID}`)).body.Invoices[0];
    expect(inv).toMatchObject({ Status: "PAID", AmountDue: 0, AmountPaid: 10000 });
    expect(inv.FullyPaidOnDate).toBe(`/Date(${Date.UTC(2026, 1, 10)}+0000)/`);
  });

  it("refuses overpayment, non-authorised documents and non-payment accounts", async () => {
    const x = xero(await newOrg());
    const { amazonId, invA } = await seeded(x);
    const draft = (
      await x.put(
        "/Invoices",
        invoiceBody(amazonId, [{ Description: "d", Quantity: 1, UnitAmount: 5, AccountCode: "200" }]),
      )
    ).body.Invoices[0];
    const r = await x.put("/Payments?summarizeErrors=false", {
      Payments: [
        pay(invA.InvoiceID, 10000.01),
        pay(draft.InvoiceID, 1),
        pay(invA.InvoiceID, 1, "1220"),
        pay(invA.InvoiceID, 1, "090"),
      ],
    });
    expect(r.status).toBe(200);
    const msgs = r.body.Payments.map(
      (p: { ValidationErrors?: { Message: string }[] }) => p.ValidationErrors?.[0]?.Message,
    );
    expect(msgs).toEqual([
      "Payment amount exceeds the amount outstanding on this document",
      "Payments can only be made against Authorised documents",
      "Account is not valid for payments",
      undefined,
    ]);
  });

  it("POST /Payments creates a single payment and accepts InvoiceNumber", async () => {
    const x = xero(await newOrg());
    await seeded(x);
    const r = await x.post("/Payments", {
      Invoice: { InvoiceNumber: "INV-B" },
      Account: { Code: "1210" },
      Date: "2026-02-10",
      Amount: 100,
    });
    expect(r.status).toBe(200);
    expect(r.body.Payments[0].Invoice.InvoiceNumber).toBe("INV-B");
  });

  it("deleting a payment by status restores the amount due; payments cannot be edited otherwise", async () => {
    const x = xero(await newOrg());
    const { invB } = await seeded(x);
    const p = (await x.put("/Payments", { Payments: [pay(invB.InvoiceID, 5000)] })).body.Payments[0];
    expect((await x.get(`/Invoices/${invB.InvoiceID}`)).body.Invoices[0].Status).toBe("PAID");
    const edit = await x.post(`/Payments/${p.PaymentID}`, { Payments: [{ Amount: 1 }] });
    expect(edit.status).toBe(400);
    const del = await x.post(`/Payments/${p.PaymentID}`, { Payments: [{ Status: "DELETED" }] });
    expect(del.status).toBe(200);
    expect(del.body.Payments[0].Status).toBe("DELETED");
    const inv = (await x.get(`/Invoices/${invB.InvoiceID}`)).body.Invoices[0];
    expect(inv).toMatchObject({ Status: "AUTHORISED", AmountDue: 5000, AmountPaid: 0 });
  });
});

import { beforeEach, describe, expect, it } from "vitest";
import { advanceClock, invoiceBody, newOrg, seeded, setClock, xero } from "./helpers";

const line = { Description: "x", Quantity: 1, UnitAmount: 10, AccountCode: "200" };

describe("Idempotency-Key", () => {
  beforeEach(() => setClock("2026-02-10T12:00:00Z"));

  it("replays the original response for the same key and request within 6 minutes", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    const body = invoiceBody(amazonId, [line]);
    const first = await x.put("/Invoices", body, { "Idempotency-Key": "k-1" });
    await advanceClock(5 * 60_000);
    const second = await x.put("/Invoices", body, { "idempotency-key": "k-1" });
    expect(second.status).toBe(200);
    expect(second.body.Invoices[0].InvoiceID).toBe(first.body.Invoices[0].InvoiceID);
    expect((await x.get("/Invoices?Statuses=DRAFT")).body.Invoices).toHaveLength(1);
  });

  it("answers 400 when the key is reused with a different request", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    await x.put("/Invoices", invoiceBody(amazonId, [line]), { "Idempotency-Key": "k-2" });
    const other = await x.put("/Invoices", invoiceBody(amazonId, [{ ...line, UnitAmount: 11 }]), {
      "Idempotency-Key": "k-2",
    });
    expect(other.status).toBe(400);
    expect(other.body.Detail).toContain("is used with a different request");
  });

  it("treats the key as new after 6 minutes — a duplicate is created", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    const body = invoiceBody(amazonId, [line]);
    const first = await x.put("/Invoices", body, { "Idempotency-Key": "k-3" });
    await advanceClock(6 * 60_000);
    const second = await x.put("/Invoices", body, { "Idempotency-Key": "k-3" });
    expect(second.body.Invoices[0].InvoiceID).not.toBe(first.body.Invoices[0].InvoiceID);
    expect((await x.get("/Invoices?Statuses=DRAFT")).body.Invoices).toHaveLength(2);
  });

  it("replays validation errors too, and rejects keys over 128 characters", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    const bad = invoiceBody(amazonId, [line], { InvoiceNumber: "INV-A" });
    const a = await x.put("/Invoices", bad, { "Idempotency-Key": "k-4" });
    const b = await x.put("/Invoices", bad, { "Idempotency-Key": "k-4" });
    expect([a.status, b.status]).toEqual([400, 400]);
    expect(b.body).toEqual(a.body);
    const long = await x.put("/Invoices", invoiceBody(amazonId, [line]), {
      "Idempotency-Key": "k".repeat(129),
    });
    expect(long.status).toBe(400);
  });
});

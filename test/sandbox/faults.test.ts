import { beforeEach, describe, expect, it } from "vitest";
import { call, invoiceBody, newOrg, seeded, setClock, xero } from "./helpers";

const fault = (f: Record<string, unknown>) =>
  call("/sandbox/faults", { method: "POST", body: JSON.stringify(f) });
const line = { Description: "x", Quantity: 1, UnitAmount: 10, AccountCode: "200" };

describe("fault injection (test mode)", () => {
  beforeEach(async () => {
    await setClock("2026-02-10T12:00:00Z");
    await call("/sandbox/faults", { method: "DELETE" });
  });

  it("fails the next N calls with 500/503, then recovers", async () => {
    const x = xero(await newOrg());
    await fault({ kind: "error", count: 2, status: 503 });
    expect((await x.get("/Organisation")).status).toBe(503);
    expect((await x.get("/Organisation")).status).toBe(503);
    expect((await x.get("/Organisation")).status).toBe(200);
  });

  it("commits then loses the response; a retry with the same key returns the original, no duplicate", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    await fault({ kind: "lost-response", method: "PUT", pathPrefix: "/api.xro/2.0/Invoices" });
    const body = invoiceBody(amazonId, [line], { InvoiceNumber: "LOST-1" });
    const lost = await x.put("/Invoices", body, { "Idempotency-Key": "lost-1" });
    expect(lost.status).toBe(504);
    expect((await x.get("/Invoices?InvoiceNumbers=LOST-1")).body.Invoices).toHaveLength(1);
    const retry = await x.put("/Invoices", body, { "Idempotency-Key": "lost-1" });
    expect(retry.status).toBe(200);
    expect(retry.body.Invoices[0].InvoiceNumber).toBe("LOST-1");
    expect((await x.get("/Invoices?InvoiceNumbers=LOST-1")).body.Invoices).toHaveLength(1);
  });

  it("returns an injected 429 with Retry-After and X-Rate-Limit-Problem", async () => {
    const x = xero(await newOrg());
    await fault({ kind: "rate-limit", retryAfter: 66975, problem: "day" });
    const r = await x.get("/Organisation");
    expect(r.status).toBe(429);
    expect(r.headers.get("Retry-After")).toBe("66975");
    expect(r.headers.get("X-Rate-Limit-Problem")).toBe("day");
  });
});

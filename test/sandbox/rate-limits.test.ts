import { beforeEach, describe, expect, it } from "vitest";
import { advanceClock, call, newOrg, raw, setClock, xero } from "./helpers";

describe("rate limits", () => {
  beforeEach(() => setClock("2026-02-10T12:00:00Z"));

  it("carries the remaining-limit headers on every response", async () => {
    const x = xero(await newOrg());
    const r = await x.get("/Organisation");
    expect(r.headers.get("X-DayLimit-Remaining")).toBe("4999");
    expect(r.headers.get("X-MinLimit-Remaining")).toBe("59");
    expect(Number(r.headers.get("X-AppMinLimit-Remaining"))).toBeGreaterThan(0);
  });

  it("allows 60 calls a minute per tenant, then 429 minute with Retry-After; the next minute is fresh", async () => {
    const x = xero(await newOrg());
    for (let i = 0; i < 60; i++) expect((await x.get("/Organisation")).status).toBe(200);
    const r = await x.get("/Organisation");
    expect(r.status).toBe(429);
    expect(r.headers.get("X-Rate-Limit-Problem")).toBe("minute");
    expect(r.headers.get("Retry-After")).toBe("60");
    const other = xero(await newOrg());
    expect((await other.get("/Organisation")).status).toBe(200);
    await advanceClock(60_000);
    expect((await x.get("/Organisation")).status).toBe(200);
  });

  it("enforces the daily budget (Starter tier 1,000 configurable) with a day Retry-After", async () => {
    const org = await newOrg({ dailyLimit: 3 });
    const x = xero(org);
    for (let i = 0; i < 3; i++) expect((await x.get("/Organisation")).status).toBe(200);
    const r = await x.get("/Organisation");
    expect(r.status).toBe(429);
    expect(r.headers.get("X-Rate-Limit-Problem")).toBe("day");
    expect(r.headers.get("Retry-After")).toBe(String(12 * 3600));
    expect(r.headers.get("X-DayLimit-Remaining")).toBe("0");
  });

  it("enforces the app-wide minute limit across tenants", async () => {
    await setClock("2026-02-10T13:00:00Z"); // a fresh app-wide minute window
    await call("/sandbox/limits", { method: "POST", body: JSON.stringify({ appMinuteLimit: 2 }) });
    try {
      const a = xero(await newOrg());
      const b = xero(await newOrg());
      expect((await a.get("/Organisation")).status).toBe(200);
      expect((await b.get("/Organisation")).status).toBe(200);
      const r = await a.get("/Organisation");
      expect(r.status).toBe(429);
      expect(r.headers.get("X-Rate-Limit-Problem")).toBe("appminute");
    } finally {
      await call("/sandbox/limits", { method: "POST", body: JSON.stringify({ appMinuteLimit: 10000 }) });
    }
  });

  it("allows 5 concurrent calls per tenant; the 6th gets 429 concurrent", async () => {
    const org = await newOrg();
    await call("/sandbox/faults", {
      method: "POST",
      body: JSON.stringify({ kind: "delay", count: 5, delayMs: 300 }),
    });
    const headers = { authorization: `Bearer ${org.accessToken}`, "xero-tenant-id": org.tenantId };
    const slow = Array.from({ length: 5 }, () => raw("/api.xro/2.0/Organisation", { headers }));
    await new Promise((r) => setTimeout(r, 100));
    const sixth = await raw("/api.xro/2.0/Organisation", { headers });
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get("X-Rate-Limit-Problem")).toBe("concurrent");
    const done = await Promise.all(slow);
    expect(done.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  });
});

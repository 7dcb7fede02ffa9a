import { beforeEach, describe, expect, it } from "vitest";
import { newOrg, raw, seeded, setClock, xero } from "./helpers";

describe("seeded demo organisation", () => {
  beforeEach(() => setClock("2026-02-10T12:00:00Z"));

  it("has the accounting-model chart with the right types and payment flags", async () => {
    const x = xero(await newOrg());
    const r = await x.get("/Accounts");
    expect(r.status).toBe(200);
    const byCode = Object.fromEntries(r.body.Accounts.map((a: { Code: string }) => [a.Code, a]));
    expect(byCode["090"]).toMatchObject({ Name: "Business Bank", Type: "BANK" });
    expect(byCode["1210"]).toMatchObject({
      Name: "Amazon Vendor Clearing",
      Type: "CURRENT",
      EnablePaymentsToAccount: true,
    });
    for (const code of ["1220", "1290", "200", "6110", "6120", "6130", "6140", "6160"])
      expect(byCode[code]).toBeDefined();
    expect(byCode["610"].SystemAccount).toBe("DEBTORS");
  });

  it("has INV-A and INV-B open, INV-C paid, and a period lock date of 2026-01-31", async () => {
    const x = xero(await newOrg());
    const s = await seeded(x);
    expect(s.invA).toMatchObject({ Status: "AUTHORISED", AmountDue: 10000, Total: 10000 });
    expect(s.invB).toMatchObject({ Status: "AUTHORISED", AmountDue: 5000 });
    expect(s.invC).toMatchObject({ Status: "PAID", AmountDue: 0, AmountPaid: 2000 });
    const org = await x.get("/Organisation");
    expect(org.body.Organisations[0].PeriodLockDate).toBe(`/Date(${Date.UTC(2026, 0, 31)}+0000)/`);
    expect(org.body.Organisations[0].BaseCurrency).toBe("USD");
  });

  it("renders money with two decimals and quantities with four on the wire", async () => {
    const org = await newOrg();
    const res = await raw("/api.xro/2.0/Invoices/INV-A", {
      headers: { authorization: `Bearer ${org.accessToken}`, "xero-tenant-id": org.tenantId },
    });
    const text = await res.text();
    expect(text).toContain('"Total":10000.00');
    expect(text).toContain('"Quantity":1.0000');
    expect(text).toMatch(/"Date":"\/Date\(\d+\+0000\)\/"/);
  });

  it("seeds a UK organisation in GBP with UK tax types", async () => {
    const x = xero(await newOrg({ version: "UK" }));
    const org = await x.get("/Organisation");
    expect(org.body.Organisations[0]).toMatchObject({ BaseCurrency: "GBP", Version: "UK" });
    const rates = await x.get("/TaxRates");
    expect(rates.body.TaxRates.map((t: { TaxType: string }) => t.TaxType)).toContain("OUTPUT2");
  });
});

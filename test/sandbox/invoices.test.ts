import { beforeEach, describe, expect, it } from "vitest";
import { advanceClock, invoiceBody, newOrg, raw, seeded, setClock, xero } from "./helpers";

const line = (UnitAmount: number, extra: Record<string, unknown> = {}) => ({
  Description: "Widgets",
  Quantity: 1,
  UnitAmount,
  AccountCode: "260",
  TaxType: "OUTPUT",
  ...extra,
});

describe("invoices", () => {
  beforeEach(() => setClock("2026-02-10T12:00:00Z"));

  it("auto-numbers ACCREC invoices and defaults to DRAFT", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    const r = await x.put("/Invoices", invoiceBody(amazonId, [line(100)]));
    expect(r.status).toBe(200);
    expect(r.body.Invoices[0]).toMatchObject({ InvoiceNumber: "INV-0001", Status: "DRAFT", Type: "ACCREC" });
    const r2 = await x.put("/Invoices", invoiceBody(amazonId, [line(100)]));
    expect(r2.body.Invoices[0].InvoiceNumber).toBe("INV-0002");
  });

  it("rejects a duplicate ACCREC number with Xero's message", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    const r = await x.put("/Invoices", invoiceBody(amazonId, [line(1)], { InvoiceNumber: "INV-A" }));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      ErrorNumber: 10,
      Type: "ValidationException",
      Message: "A validation exception occurred",
    });
    expect(r.body.Elements[0].ValidationErrors).toEqual([{ Message: "Invoice # must be unique." }]);
    expect(r.body.Elements[0].InvoiceNumber).toBe("INV-A");
  });

  it("computes tax per line rounded to 2 dp, then sums (not total-first)", async () => {
    const x = xero(await newOrg({ version: "UK" }));
    const { amazonId } = await seeded(x);
    // 15 % is not seeded; use three UK 20 % lines whose per-line rounding differs from total-first.
    const r = await x.put(
      "/Invoices",
      invoiceBody(amazonId, [
        line(0.03, { TaxType: "OUTPUT2" }),
        line(0.03, { TaxType: "OUTPUT2" }),
        line(0.03, { TaxType: "OUTPUT2" }),
      ]),
    );
    const inv = r.body.Invoices[0];
    // each line: 0.03 × 20 % = 0.006 → 0.01; total-first would give 0.09 × 20 % = 0.018 → 0.02
    expect(inv.LineItems.map((l: { TaxAmount: number }) => l.TaxAmount)).toEqual([0.01, 0.01, 0.01]);
    expect(inv.TotalTax).toBe(0.03);
    expect(inv.Total).toBe(0.12);
  });

  it("keeps 4-dp unit amounts only with unitdp=4, rounding line amounts to 2 dp", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    const body = invoiceBody(amazonId, [line(1.2345, { Quantity: 3, TaxType: "NONE" })]);
    const with4 = await x.put("/Invoices?unitdp=4", body);
    expect(with4.body.Invoices[0].LineItems[0]).toMatchObject({ UnitAmount: 1.2345, LineAmount: 3.7 });
    const with2 = await x.put("/Invoices", body);
    // rounded to 1.23 before the line is computed: 3 × 1.23 = 3.69
    expect(with2.body.Invoices[0].LineItems[0]).toMatchObject({ UnitAmount: 1.23, LineAmount: 3.69 });
  });

  it("refuses negative-total invoices", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    const r = await x.put(
      "/Invoices?summarizeErrors=false",
      invoiceBody(amazonId, [line(-50, { TaxType: "NONE" })]),
    );
    expect(r.status).toBe(200);
    expect(r.body.Invoices[0].StatusAttributeString).toBe("ERROR");
    expect(r.body.Invoices[0].ValidationErrors[0].Message).toBe("The document total cannot be negative.");
  });

  it("summarizeErrors=false answers 200 per element and saves the valid ones", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    const good = invoiceBody(amazonId, [line(10)], { InvoiceNumber: "OK-1" }).Invoices[0];
    const bad = invoiceBody(amazonId, [line(10)], { InvoiceNumber: "INV-B" }).Invoices[0];
    const r = await x.put("/Invoices?summarizeErrors=false", { Invoices: [good, bad] });
    expect(r.status).toBe(200);
    expect(r.body.Invoices.map((i: { StatusAttributeString: string }) => i.StatusAttributeString)).toEqual([
      "OK",
      "ERROR",
    ]);
    expect(r.body.Invoices[1].ValidationErrors[0].Message).toBe("Invoice # must be unique.");
    expect((await x.get("/Invoices/OK-1")).status).toBe(200);
  });

  it("default (summarised) mode answers 400 with only the errors, yet the valid element is saved", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    const good = invoiceBody(amazonId, [line(10)], { InvoiceNumber: "PARTIAL-1" }).Invoices[0];
    const bad = invoiceBody(amazonId, [line(10)], { InvoiceNumber: "INV-B" }).Invoices[0];
    const r = await x.put("/Invoices", { Invoices: [good, bad] });
    expect(r.status).toBe(400);
    expect(r.body.Elements).toHaveLength(1);
    expect(r.body.Elements[0].InvoiceNumber).toBe("INV-B");
    const saved = await x.get("/Invoices?InvoiceNumbers=PARTIAL-1");
    expect(saved.body.Invoices).toHaveLength(1);
  });

  it("follows the status machine: DRAFT → AUTHORISED → VOIDED; no way back", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    const id = (await x.put("/Invoices", invoiceBody(amazonId, [line(10)]))).body.Invoices[0].InvoiceID;
    expect(
      (await x.post(`/Invoices/${id}`, { Invoices: [{ Status: "AUTHORISED" }] })).body.Invoices[0].Status,
    ).toBe("AUTHORISED");
    const back = await x.post(`/Invoices/${id}`, { Invoices: [{ Status: "DRAFT" }] });
    expect(back.body.Elements[0].ValidationErrors[0].Message).toBe(
      "Invoice not of valid status for modification",
    );
    expect(
      (await x.post(`/Invoices/${id}`, { Invoices: [{ Status: "VOIDED" }] })).body.Invoices[0].Status,
    ).toBe("VOIDED");
    const again = await x.post(`/Invoices/${id}`, { Invoices: [{ Reference: "x" }] });
    expect(again.body.Elements[0].ValidationErrors[0].Message).toBe(
      "Invoice not of valid status for modification",
    );
    const paidCreate = await x.put("/Invoices", invoiceBody(amazonId, [line(10)], { Status: "PAID" }));
    expect(paidCreate.body.Elements[0].ValidationErrors[0].Message).toBe(
      "Invoice not of valid status for modification",
    );
  });

  it("refuses edits and voiding once a payment exists", async () => {
    const x = xero(await newOrg());
    const { invA } = await seeded(x);
    await x.put("/Payments", {
      Payments: [
        { Invoice: { InvoiceID: invA.InvoiceID }, Account: { Code: "1210" }, Date: "2026-02-10", Amount: 1 },
      ],
    });
    const msg = "This document cannot be edited as it has a payment or credit note allocated to it.";
    const edit = await x.post(`/Invoices/${invA.InvoiceID}`, { Invoices: [{ Reference: "changed" }] });
    expect(edit.body.Elements[0].ValidationErrors[0].Message).toBe(msg);
    const voided = await x.post(`/Invoices/${invA.InvoiceID}`, { Invoices: [{ Status: "VOIDED" }] });
    expect(voided.body.Elements[0].ValidationErrors[0].Message).toBe(msg);
  });

  it("reports unknown and archived accounts on lines", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    const r = await x.put(
      "/Invoices?summarizeErrors=false",
      invoiceBody(amazonId, [
        line(1, { AccountCode: "9999" }),
        line(1, { AccountCode: "499", TaxType: "NONE" }),
      ]),
    );
    expect(r.body.Invoices[0].ValidationErrors.map((e: { Message: string }) => e.Message)).toEqual([
      "Account code '9999' is not a valid code for this document.",
      "Account code '499' has been archived, or has been deleted. Each line item must reference a valid account.",
    ]);
  });

  it("refuses an archived contact and a contact without identity", async () => {
    const x = xero(await newOrg());
    const r = await x.put("/Invoices?summarizeErrors=false", {
      Invoices: [
        { Type: "ACCREC", Contact: { Name: "Old Distributor Ltd" }, LineItems: [line(1)] },
        { Type: "ACCREC", Contact: {}, LineItems: [line(1)] },
      ],
    });
    expect(r.body.Invoices[0].ValidationErrors[0].Message).toBe(
      "The contact is archived and cannot be used.",
    );
    expect(r.body.Invoices[1].ValidationErrors[0].Message).toBe(
      "The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber",
    );
  });

  it("filters by InvoiceNumbers, IDs, Statuses and where; pages include lines, plain lists do not", async () => {
    const x = xero(await newOrg());
    const s = await seeded(x);
    const byNum = await x.get("/Invoices?InvoiceNumbers=INV-A,INV-C");
    expect(byNum.body.Invoices.map((i: { InvoiceNumber: string }) => i.InvoiceNumber)).toEqual([
      "INV-A",
      "INV-C",
    ]);
    expect(byNum.body.Invoices[0].LineItems).toBeUndefined();
    const byId = await x.get(`/Invoices?IDs=${s.invB.InvoiceID}`);
    expect(byId.body.Invoices[0].InvoiceNumber).toBe("INV-B");
    const paid = await x.get("/Invoices?Statuses=PAID");
    expect(paid.body.Invoices.map((i: { InvoiceNumber: string }) => i.InvoiceNumber)).toEqual(["INV-C"]);
    const where = await x.get(
      `/Invoices?where=${encodeURIComponent('Reference=="PO 4XK29QBB" && Status=="AUTHORISED"')}`,
    );
    expect(where.body.Invoices.map((i: { InvoiceNumber: string }) => i.InvoiceNumber)).toEqual(["INV-B"]);
    const byDate = await x.get(`/Invoices?where=${encodeURIComponent("Date<DateTime(2026,02,01)")}`);
    expect(byDate.body.Invoices.map((i: { InvoiceNumber: string }) => i.InvoiceNumber)).toEqual(["INV-C"]);
    const paged = await x.get("/Invoices?page=1&pageSize=2");
    expect(paged.body.Invoices).toHaveLength(2);
    expect(paged.body.Invoices[0].LineItems).toHaveLength(1);
    expect(paged.body.pagination).toEqual({ page: 1, pageSize: 2, pageCount: 2, itemCount: 3 });
  });

  it("honours If-Modified-Since and fetches by ID or number, 404 otherwise", async () => {
    const x = xero(await newOrg());
    const { amazonId, invA } = await seeded(x);
    await advanceClock(60_000);
    const since = new Date(Date.UTC(2026, 1, 10, 12, 0, 30)).toISOString().slice(0, 19);
    await x.put("/Invoices", invoiceBody(amazonId, [line(5)], { InvoiceNumber: "LATE-1" }));
    const r = await x.get("/Invoices", { "If-Modified-Since": since });
    expect(r.body.Invoices.map((i: { InvoiceNumber: string }) => i.InvoiceNumber)).toEqual(["LATE-1"]);
    expect((await x.get(`/Invoices/${invA.InvoiceID}`)).body.Invoices[0].InvoiceNumber).toBe("INV-A");
    const missing = await x.get(`/Invoices/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
  });

  it("accepts the raw wire format xero clients send (numbers as strings)", async () => {
    const org = await newOrg();
    const x = xero(org);
    const { amazonId } = await seeded(x);
    const res = await raw("/api.xro/2.0/Invoices", {
      method: "PUT",
      headers: { authorization: `Bearer ${org.accessToken}`, "xero-tenant-id": org.tenantId },
      body: `{"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"${amazonId}"},"LineItems":[{"Description":"x","Quantity":"2","UnitAmount":"10.005","AccountCode":"200"}]}]}`,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('"LineAmount":20.02');
  });
});

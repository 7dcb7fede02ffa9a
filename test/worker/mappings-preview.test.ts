import { describe, expect, it } from "vitest";
import { mappingsFromGrids } from "../../worker/domain/mapping/workbook";
import { parseOrgSnapshot } from "../../worker/domain/org/model";
import { planSettlement } from "../../worker/domain/plan/planner";
import { planToJson } from "../../worker/domain/plan/report";
import { ingest } from "../../worker/domain/remittance/ingest";
import usCsv from "../fixtures/remittances/us-40311877.csv?raw";
import { DEMO_GRIDS, sandboxGrids } from "./fixtures";
import { api, newTenant, sandbox, signIn, type Tenant } from "./helpers";

async function connected() {
  const tenant = await newTenant();
  const { token } = await signIn([tenant.tenantId]);
  return { tenant, token, org: `/v1/organisations/${tenant.tenantId}` };
}

// biome-ignore lint/suspicious/noExplicitAny: raw Xero JSON in a test
type X = any;

/** Built straight from the sandbox's JSON, independently of the Worker's Xero client. */
async function snapshotFromSandbox(t: Tenant, numbers: string[]) {
  const get = async (path: string) =>
    (
      await sandbox(`/api.xro/2.0${path}`, {
        headers: {
          authorization: `Bearer ${t.accessToken}`,
          "xero-tenant-id": t.tenantId,
          accept: "application/json",
        },
      })
    ).body;
  const org = (await get("/Organisation")).Organisations[0];
  const accounts = (await get("/Accounts")).Accounts;
  const taxRates = (await get("/TaxRates")).TaxRates;
  const items = (await get("/Items")).Items;
  const contacts = (await get("/Contacts?page=1&pageSize=1000&includeArchived=true")).Contacts;
  const invoices = (await get(`/Invoices?InvoiceNumbers=${numbers.join(",")}&unitdp=4`)).Invoices;
  const r = parseOrgSnapshot({
    name: org.Name,
    baseCurrency: org.BaseCurrency,
    ...(org.PeriodLockDate ? { periodLockDate: org.PeriodLockDate } : {}),
    isAdviser: false,
    accounts: accounts.map((a: X) => ({
      accountId: a.AccountID,
      code: a.Code,
      name: a.Name,
      type: a.Type,
      status: a.Status,
      enablePaymentsToAccount: a.EnablePaymentsToAccount ?? false,
      ...(a.TaxType ? { taxType: a.TaxType } : {}),
      ...(a.SystemAccount ? { systemAccount: a.SystemAccount } : {}),
    })),
    taxRates: taxRates.map((x: X) => ({
      taxType: x.TaxType,
      name: x.Name,
      status: x.Status,
      canApplyToAssets: x.CanApplyToAssets,
      canApplyToEquity: x.CanApplyToEquity,
      canApplyToExpenses: x.CanApplyToExpenses,
      canApplyToLiabilities: x.CanApplyToLiabilities,
      canApplyToRevenue: x.CanApplyToRevenue,
    })),
    items: items.map((i: X) => ({ code: i.Code, name: i.Name, itemId: i.ItemID })),
    contacts: contacts
      .filter((c: X) => c.ContactStatus !== "ARCHIVED")
      .map((c: X) => ({ contactId: c.ContactID, name: c.Name })),
    invoices: invoices.map((i: X) => ({
      number: i.InvoiceNumber,
      id: i.InvoiceID,
      type: i.Type,
      status: i.Status,
      total: i.Total,
      amountDue: i.AmountDue,
      date: i.Date,
      currency: i.CurrencyCode,
      contact: { contactId: i.Contact.ContactID, name: i.Contact.Name },
    })),
  });
  if (!r.ok) throw new Error(r.errors.join("; "));
  return r.org;
}

describe("reference data, mappings and remittance previews (against the sandbox)", () => {
  it("refreshes reference data from Xero into the cache, in the add-in's dropdown shape", async () => {
    const { token, org } = await connected();
    const r = await api(`${org}/reference/refresh`, { method: "POST", token });
    expect(r.status).toBe(200);
    expect(r.body.accounts).toContainEqual({
      code: "1210",
      name: "Amazon Vendor Clearing",
      type: "CURRENT",
      status: "ACTIVE",
      enablePaymentsToAccount: true,
      taxType: "NONE",
    });
    expect(r.body.accounts.find((a: { code: string }) => a.code === "499").status).toBe("ARCHIVED");
    expect(r.body.taxRates).toContainEqual({ taxType: "OUTPUT", name: "Tax on Sales", rate: "8.875" });
    expect(r.body.items).toContainEqual({ code: "B07DFVDRAB", name: "Travel Mug 450ml" });
    expect(r.body.contacts.map((c: { name: string }) => c.name)).toEqual(["Amazon.com Services LLC"]);
    expect(Date.parse(r.body.refreshedAt)).toBeGreaterThan(0);
    const cached = await api(`${org}/reference`, { token });
    expect(cached.body).toEqual(r.body);
  });

  it("rejects a mapping upload with every invalid cell located, and stores a valid one atomically", async () => {
    const { token, org } = await connected();
    const bad = await api(`${org}/mappings/Deductions`, {
      method: "PUT",
      token,
      json: { rows: DEMO_GRIDS.Deductions },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe("validation_failed");
    expect(bad.body.errors).toEqual([
      {
        sheet: "Deductions",
        row: 11,
        column: "Account Code",
        cell: "E11",
        message: "account 6190 does not exist in Xero",
      },
    ]);
    expect(bad.body.error.issues[0]).toMatchObject({
      path: ["Deductions", 11, "Account Code"],
      row: 11,
      cell: "E11",
    });

    const schemaBad = DEMO_GRIDS.Deductions?.map((r, i) =>
      i === 2 ? r.map((c, j) => (j === 6 ? "post" : c)) : r,
    );
    const both = await api(`${org}/mappings/validate`, {
      method: "POST",
      token,
      json: { sheets: { Deductions: schemaBad, Settings: DEMO_GRIDS.Settings } },
    });
    expect(both.status).toBe(200);
    expect(both.body.ok).toBe(false);
    expect(both.body.errors).toContainEqual(
      expect.objectContaining({ sheet: "Deductions", row: 3, column: "Treatment", cell: "G3" }),
    );
    expect(both.body.errors).toContainEqual({
      sheet: "Settings",
      row: 2,
      column: "Withholding Account",
      cell: "J2",
      message: "account 1230 does not exist in Xero",
    });

    const grids = sandboxGrids();
    let version = 0;
    for (const sheet of ["Deductions", "SKUs", "Settings"]) {
      const ok = await api(`${org}/mappings/${sheet}`, {
        method: "PUT",
        token,
        json: { rows: grids[sheet] },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.version).toBe(++version);
    }
    const read = await api(`${org}/mappings`, { token });
    expect(read.body.version).toBe(3);
    expect(read.body.updatedAt).toBeTruthy();
    expect(read.body.sheets).toEqual(grids);
    // A failed replacement leaves the stored sheet untouched.
    await api(`${org}/mappings/Deductions`, { method: "PUT", token, json: { rows: DEMO_GRIDS.Deductions } });
    expect((await api(`${org}/mappings`, { token })).body.sheets.Deductions).toEqual(grids.Deductions);
  });

  it("stores an uploaded remittance and previews the plan the pure planner makes from the same data", async () => {
    const { tenant, token, org } = await connected();
    const grids = sandboxGrids();
    for (const sheet of Object.keys(grids)) {
      expect(
        (await api(`${org}/mappings/${sheet}`, { method: "PUT", token, json: { rows: grids[sheet] } }))
          .status,
      ).toBe(200);
    }
    const up = await api(`${org}/remittances`, {
      method: "POST",
      token,
      headers: { "content-type": "application/octet-stream", "x-file-name": "us-40311877.csv" },
      body: usCsv,
    });
    expect(up.status).toBe(201);
    expect(up.body.remittance.payments[0].amount).toBe("12770.00");
    const id = up.body.id;

    const list = await api(`${org}/remittances`, { token });
    expect(list.body.remittances).toEqual([
      expect.objectContaining({
        id,
        fileName: "us-40311877.csv",
        format: "vc-export-csv",
        status: "parsed",
        payments: [
          { paymentNumber: "40311877", paymentDate: "2026-02-10", currency: "USD", amount: "12770.00" },
        ],
      }),
    ]);

    const preview = await api(`${org}/remittances/${id}/preview`, { method: "POST", token });
    expect(preview.status).toBe(200);

    const first = ingest({ kind: "text", fileName: "us-40311877.csv", text: usCsv }, { marketplace: "US" });
    const numbers = [
      ...new Set(
        first.payments
          .flatMap((p) =>
            p.lines.flatMap((l) => [l.documentNumber, l.invoiceNumber, l.originalDocumentNumber]),
          )
          .filter((n): n is string => !!n),
      ),
    ];
    const snapshot = await snapshotFromSandbox(tenant, numbers);
    expect(snapshot.invoices.map((i) => i.number).sort()).toEqual(["INV-A", "INV-B", "INV-C"]);
    const mappings = mappingsFromGrids(grids);
    if (!mappings.ok) throw new Error("fixture mappings invalid");
    const remittance = ingest(
      { kind: "bytes", fileName: "us-40311877.csv", bytes: new TextEncoder().encode(usCsv) },
      { marketplace: "US", knownInvoiceNumbers: snapshot.invoices.map((i) => i.number) },
    );
    const expected = JSON.parse(
      JSON.stringify(
        planToJson(planSettlement(remittance, mappings.mappings, snapshot, { alreadyPosted: [] })),
      ),
    );
    expect(preview.body.plan).toEqual(expected);
    expect(preview.body.plan.documents.length).toBeGreaterThan(0);

    const fetched = await api(`${org}/remittances/${id}`, { token });
    expect(fetched.body.status).toBe("previewed");
    expect(fetched.body.remittance.payments[0].lines).toHaveLength(7);
    const exceptions = await api(`${org}/exceptions?remittanceId=${id}`, { token });
    expect(exceptions.body.exceptions.length).toBe(expected.exceptions.length);
  });

  it("uploads a grid from Excel; a broken file answers 422 with the parsed problems and an exception", async () => {
    const { token, org } = await connected();
    const rows = usCsv
      .split("\n")
      .map((l) => l.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((c) => c.replace(/^"|"$/g, "")));
    const grid = await api(`${org}/remittances`, {
      method: "POST",
      token,
      json: { fileName: "Remittance.xlsx", sheetName: "Sheet1", rows, locale: "us" },
    });
    expect(grid.status).toBe(201);
    expect(grid.body.remittance.format).toBe("vc-export-grid");

    const broken = await api(`${org}/remittances`, {
      method: "POST",
      token,
      headers: { "content-type": "application/octet-stream", "x-file-name": "bad.csv" },
      body: usCsv.replace('"$9,800.00"', "N/A"),
    });
    expect(broken.status).toBe(422);
    expect(broken.body.error.code).toBe("remittance_invalid");
    expect(broken.body.remittance.problems[0]).toMatchObject({ row: 8, column: "Amount Paid" });
    const ex = await api(`${org}/exceptions?remittanceId=${broken.body.id}&status=open`, { token });
    expect(ex.body.exceptions[0]).toMatchObject({ row: 8, code: "bad_amount", status: "open" });
    const patched = await api(`${org}/exceptions/${ex.body.exceptions[0].id}`, {
      method: "PATCH",
      token,
      json: { status: "resolved", note: "re-exported" },
    });
    expect(patched.body).toMatchObject({ status: "resolved", note: "re-exported" });
    const audit = await api(`${org}/audit`, { token });
    expect(
      audit.body.entries.map((e: { method: string; route: string }) => `${e.method} ${e.route}`),
    ).toContain("PATCH /v1/organisations/:orgId/exceptions/:id");
  });
});

/**
 * `vcx backfill` against the Worker (issue 6): two remittances given latest first are uploaded, then
 * previewed and posted in payment-date order, each job followed to its end; one line per file.
 */
import { describe, expect, it } from "vitest";
import { backfillCommand } from "../../worker/cli/commands/backfill";
import laterCsv from "../fixtures/remittances/us-40311877.csv?raw";
import earlierCsv from "../fixtures/remittances/us-backfill-40300001.csv?raw";
import { sandboxGrids } from "./fixtures";
import { api, apiKey, newTenant, sandbox, signIn } from "./helpers";

describe("vcx backfill (CLI) against the Worker", () => {
  it("posts a history of remittances in payment-date order, waiting for each job", async () => {
    const tenant = await newTenant();
    const { token } = await signIn([tenant.tenantId]);
    const org = `/v1/organisations/${tenant.tenantId}`;
    const grids = sandboxGrids();
    for (const sheet of Object.keys(grids))
      expect(
        (await api(`${org}/mappings/${sheet}`, { method: "PUT", token, json: { rows: grids[sheet] } }))
          .status,
      ).toBe(200);
    // The earlier remittance pays INV-D (not in the seed): create it in the sandbox organisation.
    const xero = (path: string, init: RequestInit = {}) =>
      sandbox(`/api.xro/2.0${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${tenant.accessToken}`,
          "xero-tenant-id": tenant.tenantId,
          "content-type": "application/json",
        },
      });
    const contacts = await xero("/Contacts");
    const contactId = contacts.body.Contacts.find(
      (c: { ContactNumber: string }) => c.ContactNumber === "AMAZON-VC",
    ).ContactID as string;
    const inv = await xero("/Invoices", {
      method: "PUT",
      body: JSON.stringify({
        Invoices: [
          {
            Type: "ACCREC",
            InvoiceNumber: "INV-D",
            Reference: "PO 5BKF1LLD",
            Contact: { ContactID: contactId },
            Date: "2026-02-03",
            DueDate: "2026-02-20",
            Status: "AUTHORISED",
            LineAmountTypes: "NoTax",
            LineItems: [{ Description: "Goods", Quantity: 1, UnitAmount: 5000, AccountCode: "200" }],
          },
        ],
      }),
    });
    expect([inv.status, inv.status === 200 ? "" : inv.text]).toEqual([200, ""]);
    await sandbox("/sandbox/clock", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ advanceMs: 61_000 }),
    });

    const key = await apiKey(token, tenant.tenantId);
    const out: string[] = [];
    const err: string[] = [];
    const files: Record<string, string> = { "later.csv": laterCsv, "earlier.csv": earlierCsv };
    const io = {
      readFile: async (f: string) => new TextEncoder().encode(files[f]),
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      env: { VCX_URL: "http://vcx.test", VCX_API_KEY: key },
      sleep: () => new Promise<void>((r) => setTimeout(r, 50)),
      fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
        api(String(input).replace("http://vcx.test", ""), init ?? {}).then(
          (r) => new Response(r.text, { status: r.status }),
        )) as typeof fetch,
    };
    const code = await backfillCommand(["later.csv", "earlier.csv", "--wait"], io);
    expect(err.join("")).toBe("");
    const lines = out.join("").trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^2026-02-05 earlier\.csv \([0-9a-f-]+\): done, (\d+)\/\1 posted, 0 failed, 0 held \(job rem-/,
    );
    expect(lines[1]).toMatch(
      /^2026-02-10 later\.csv \([0-9a-f-]+\): done, (\d+)\/\1 posted, 0 failed, 0 held \(job rem-/,
    );
    expect(code).toBe(0);
    // INV-D is paid by the earlier remittance.
    const paid = await xero("/Invoices?InvoiceNumbers=INV-D");
    expect(paid.body.Invoices[0].Status).toBe("PAID");

    // Usage: no files → 2.
    expect(await backfillCommand(["--wait"], io)).toBe(2);
  });
});

import { beforeEach, describe, expect, it } from "vitest";
import { call, invoiceBody, newOrg, patchTenant, seeded, setClock, xero } from "./helpers";

const PERIOD = "The document date cannot be before the period lock date, currently set at 31-Jan-2026";
const line = { Description: "x", Quantity: 1, UnitAmount: 10, AccountCode: "200" };
const firstError = (r: { body: { Elements: { ValidationErrors: { Message: string }[] }[] } }) =>
  r.body.Elements[0]?.ValidationErrors[0]?.Message;

describe("lock dates", () => {
  beforeEach(() => setClock("2026-02-10T12:00:00Z"));

  it("blocks approving, paying and posting on or before the period lock date for non-advisers", async () => {
    const x = xero(await newOrg());
    const { amazonId, invA } = await seeded(x);
    const onLock = await x.put(
      "/Invoices",
      invoiceBody(amazonId, [line], { Date: "2026-01-31", Status: "AUTHORISED" }),
    );
    expect(firstError(onLock)).toBe(PERIOD);
    const payment = await x.put("/Payments", {
      Payments: [
        { Invoice: { InvoiceID: invA.InvoiceID }, Account: { Code: "1210" }, Date: "2026-01-20", Amount: 1 },
      ],
    });
    expect(firstError(payment)).toBe(PERIOD);
    const journal = await x.put("/ManualJournals", {
      ManualJournals: [
        {
          Narration: "n",
          Date: "2026-01-15",
          Status: "POSTED",
          JournalLines: [
            { AccountCode: "6110", LineAmount: 1 },
            { AccountCode: "1210", LineAmount: -1 },
          ],
        },
      ],
    });
    expect(firstError(journal)).toBe(PERIOD);
    const open = await x.put(
      "/Invoices",
      invoiceBody(amazonId, [line], { Date: "2026-02-01", Status: "AUTHORISED" }),
    );
    expect(open.status).toBe(200);
  });

  it("still allows drafts in a locked period", async () => {
    const x = xero(await newOrg());
    const { amazonId } = await seeded(x);
    const draft = await x.put(
      "/Invoices",
      invoiceBody(amazonId, [line], { Date: "2026-01-10", Status: "DRAFT" }),
    );
    expect(draft.status).toBe(200);
    const j = await x.put("/ManualJournals", {
      ManualJournals: [
        {
          Narration: "n",
          Date: "2026-01-15",
          JournalLines: [
            { AccountCode: "6110", LineAmount: 1 },
            { AccountCode: "1210", LineAmount: -1 },
          ],
        },
      ],
    });
    expect(j.body.ManualJournals[0].Status).toBe("DRAFT");
    const post = await x.post(`/ManualJournals/${j.body.ManualJournals[0].ManualJournalID}`, {
      ManualJournals: [{ Status: "POSTED" }],
    });
    expect(firstError(post)).toBe(PERIOD);
  });

  it("lets an adviser connection post into the period lock, but never past the end-of-year lock", async () => {
    const org = await newOrg({ adviser: true });
    const x = xero(org);
    const { amazonId } = await seeded(x);
    const r = await x.put(
      "/Invoices",
      invoiceBody(amazonId, [line], { Date: "2026-01-20", Status: "AUTHORISED" }),
    );
    expect(r.status).toBe(200);
    await patchTenant(org.tenantId, { endOfYearLockDate: "2025-12-31" });
    const eoy = await x.put(
      "/Invoices",
      invoiceBody(amazonId, [line], { Date: "2025-12-31", Status: "AUTHORISED" }),
    );
    expect(firstError(eoy)).toBe(
      "The document date cannot be before the end of year lock date, currently set at 31-Dec-2025",
    );
  });

  it("the adviser flag is per connection and can be switched", async () => {
    const org = await newOrg();
    const x = xero(org);
    const { amazonId } = await seeded(x);
    const body = invoiceBody(amazonId, [line], { Date: "2026-01-20", Status: "AUTHORISED" });
    expect((await x.put("/Invoices", body)).status).toBe(400);
    await call(`/sandbox/connections/${org.connectionId}`, {
      method: "PATCH",
      body: JSON.stringify({ adviser: true }),
    });
    expect((await x.put("/Invoices", body)).status).toBe(200);
  });

  it("blocks allocations dated in the locked period", async () => {
    const x = xero(await newOrg());
    const { amazonId, invB } = await seeded(x);
    const cn = (
      await x.put("/CreditNotes", {
        CreditNotes: [
          {
            Type: "ACCRECCREDIT",
            Contact: { ContactID: amazonId },
            Date: "2026-02-10",
            Status: "AUTHORISED",
            LineItems: [line],
          },
        ],
      })
    ).body.CreditNotes[0];
    const r = await x.put(`/CreditNotes/${cn.CreditNoteID}/Allocations`, {
      Allocations: [{ Invoice: { InvoiceID: invB.InvoiceID }, Amount: 1, Date: "2026-01-31" }],
    });
    expect(firstError(r)).toBe(PERIOD);
  });
});

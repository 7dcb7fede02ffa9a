import { createScheduledController } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { reportCommand } from "../../worker/cli/commands/report";
import { DISPUTE_CSV_COLUMNS } from "../../worker/domain/monitoring/disputes";
import { type AlertWebhookPayload, verifyAlertWebhook } from "../../worker/domain/monitoring/webhook";
import { runScheduled } from "../../worker/src/cron";
import { recordPostedDocuments } from "../../worker/src/monitoring/store";
import usCsv from "../fixtures/remittances/us-40311877.csv?raw";
import { sandboxGrids } from "./fixtures";
import { api, apiKey, newTenant, sandbox, signIn, strangerSession, type Tenant, testEnv } from "./helpers";

// biome-ignore lint/suspicious/noExplicitAny: raw JSON in a test
type X = any;

const RECEIVER = "http://alerts.test/hook";
const SECRET = "receiver-secret-0123456789";

/** The local receiver: deliveries to alerts.test are verified and kept; everything else goes through. */
let received: AlertWebhookPayload[] = [];
let receiverStatus = 204;
beforeEach(() => {
  received = [];
  receiverStatus = 204;
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    if (!req.url.startsWith("http://alerts.test/")) return real(input as RequestInfo, init);
    const body = await req.text();
    const v = await verifyAlertWebhook(body, req.headers.get("x-vcx-signature"), SECRET, {
      now: new Date().toISOString(),
    });
    if (!v.ok) return new Response(v.reason, { status: 401 });
    if (receiverStatus < 300) received.push(v.payload);
    return new Response(null, { status: receiverStatus });
  });
});
afterEach(() => vi.restoreAllMocks());

async function xeroCall(t: Tenant, method: string, path: string, body?: unknown): Promise<X> {
  const r = await sandbox(`/api.xro/2.0${path}`, {
    method,
    headers: {
      authorization: `Bearer ${t.accessToken}`,
      "xero-tenant-id": t.tenantId,
      accept: "application/json",
      "content-type": "application/json",
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
  return r.body;
}

/** A connected organisation with the sandbox mappings and the alert webhook pointed at the receiver. */
async function ready() {
  const tenant = await newTenant();
  const { token } = await signIn([tenant.tenantId]);
  const org = `/v1/organisations/${tenant.tenantId}`;
  const grids = sandboxGrids();
  for (const sheet of Object.keys(grids)) {
    const r = await api(`${org}/mappings/${sheet}`, { method: "PUT", token, json: { rows: grids[sheet] } });
    expect(r.status).toBe(200);
  }
  const hook = await api(`${org}/alerts/webhook`, {
    method: "PUT",
    token,
    json: { url: RECEIVER, secret: SECRET },
  });
  expect(hook.status).toBe(200);
  return { tenant, token, org };
}

async function upload(org: string, token: string, csv: string, name = "us-40311877.csv") {
  const up = await api(`${org}/remittances`, {
    method: "POST",
    token,
    headers: { "content-type": "application/octet-stream", "x-file-name": name },
    body: csv,
  });
  expect(up.status).toBe(201);
  return up.body.id as string;
}

async function uploadAndPreview(org: string, token: string, csv = usCsv, name?: string) {
  const id = await upload(org, token, csv, name);
  const p = await api(`${org}/remittances/${id}/preview`, { method: "POST", token });
  expect(p.status).toBe(200);
  return { id, plan: p.body.plan };
}

const alertsOf = async (org: string, token: string, query = "status=all") =>
  (await api(`${org}/alerts?${query}`, { token })).body.alerts as X[];

/** Xero allows 60 calls a minute per organisation: move the sandbox clock past the window. */
const nextMinute = () =>
  sandbox("/sandbox/clock", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ advanceMs: 61_000 }),
  });

const cron = () => runScheduled(testEnv, createScheduledController({ cron: "*/15 * * * *" }).cron);

describe("deduction drift on upload/preview", () => {
  it("raises new codes once, again only for a code Amazon starts using, and delivers them signed", async () => {
    const { token, org } = await ready();
    await uploadAndPreview(org, token);
    const first = await alertsOf(org, token);
    const codes = first.filter((a) => a.kind === "new_deduction_code");
    expect(codes.map((a) => a.details.documentNumber).sort()).toEqual(
      ["123VCBSINV", "260201_PROVISION_FOR_RECEIVABLES", "3210-00000001", "INV-BSC", "INV-CPC"].sort(),
    );
    for (const a of first) expect(a).toMatchObject({ status: "open", organisationId: expect.any(String) });
    expect(received).toHaveLength(1);
    expect(received[0]?.alerts.map((a) => a.id).sort()).toEqual(first.map((a) => a.id).sort());
    expect(first.every((a) => a.deliveredAt)).toBe(true);

    // The same remittance again: nothing new, nothing delivered.
    await uploadAndPreview(org, token);
    expect(await alertsOf(org, token)).toHaveLength(first.length);
    expect(received).toHaveLength(1);

    // A remittance with a new chargeback suffix: exactly one new-code alert for it, once.
    const changed = usCsv.replace("123VCBSINV", "123VCQQINV").replace(/40311877/g, "40311878");
    await uploadAndPreview(org, token, changed, "us-40311878.csv");
    const after = await alertsOf(org, token);
    const fresh = after.filter((a) => !first.some((f) => f.id === a.id));
    expect(fresh.filter((a) => a.kind === "new_deduction_code")).toEqual([
      expect.objectContaining({ subject: expect.stringContaining("VCQQINV"), status: "open" }),
    ]);
    expect(fresh.every((a) => String(a.details.documentNumber) === "123VCQQINV")).toBe(true);
    expect(received).toHaveLength(2);
    expect(received[1]?.alerts.map((a) => a.id).sort()).toEqual(fresh.map((a) => a.id).sort());
    await uploadAndPreview(org, token, changed, "us-40311878.csv");
    await cron();
    expect(await alertsOf(org, token)).toHaveLength(after.length);
    expect(received).toHaveLength(2);

    // Acknowledge one; 404 for an unknown id.
    const ack = await api(`${org}/alerts/${encodeURIComponent(fresh[0]?.id)}`, {
      method: "PATCH",
      token,
      json: { note: "new chargeback type, mapping row added" },
    });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({
      status: "acknowledged",
      note: "new chargeback type, mapping row added",
    });
    expect(ack.body.acknowledgedBy).toBeTruthy();
    expect((await alertsOf(org, token, "status=acknowledged")).map((a) => a.id)).toEqual([fresh[0]?.id]);
    expect(
      (await api(`${org}/alerts/nope`, { method: "PATCH", token, json: { status: "resolved" } })).status,
    ).toBe(404);
  });

  it("keeps undelivered alerts and delivers them on the next scheduled run with the same delivery id", async () => {
    const { token, org, tenant } = await ready();
    receiverStatus = 503;
    await uploadAndPreview(org, token);
    expect(received).toHaveLength(0);
    const pending = await alertsOf(org, token);
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((a) => a.deliveredAt === null)).toBe(true);
    const health = await api(`${org}/health`, { token });
    expect(health.body.alertWebhook).toMatchObject({
      configured: true,
      source: "organisation",
      lastDelivery: { status: 503, error: "HTTP 503" },
    });
    receiverStatus = 204;
    await cron();
    expect(received.length).toBeGreaterThanOrEqual(1);
    const delivered = received.flatMap((p) => p.alerts.map((a) => a.id));
    for (const a of pending) expect(delivered).toContain(a.id);
    expect(received[0]?.organisation?.id).toBe(tenant.tenantId);
    expect((await alertsOf(org, token)).every((a) => a.deliveredAt !== null)).toBe(true);
  });
});

describe("archived accounts on reference refresh", () => {
  it("raises one alert when a mapped account is archived in Xero", async () => {
    const { tenant, token, org } = await ready();
    expect((await api(`${org}/reference/refresh`, { method: "POST", token })).status).toBe(200);
    expect((await alertsOf(org, token)).filter((a) => a.kind === "archived_account")).toEqual([]);

    const accounts = (await xeroCall(tenant, "GET", "/Accounts")).Accounts as X[];
    const acc = accounts.find((a) => a.Code === "6130");
    await xeroCall(tenant, "POST", `/Accounts/${acc.AccountID}`, { Accounts: [{ Status: "ARCHIVED" }] });

    for (let i = 0; i < 2; i++)
      expect((await api(`${org}/reference/refresh`, { method: "POST", token })).status).toBe(200);
    await cron();
    const archived = (await alertsOf(org, token)).filter((a) => a.kind === "archived_account");
    expect(archived).toEqual([
      expect.objectContaining({
        subject: "6130",
        severity: "critical",
        status: "open",
        details: expect.objectContaining({ accountCode: "6130", status: "archived" }),
      }),
    ]);
    expect(received.flatMap((p) => p.alerts).filter((a) => a.kind === "archived_account")).toHaveLength(1);

    // Restored in Xero: the alert resolves on the next refresh and is not raised again.
    await xeroCall(tenant, "POST", `/Accounts/${acc.AccountID}`, { Accounts: [{ Status: "ACTIVE" }] });
    await api(`${org}/reference/refresh`, { method: "POST", token });
    const after = (await alertsOf(org, token)).filter((a) => a.kind === "archived_account");
    expect(after).toEqual([expect.objectContaining({ subject: "6130", status: "resolved" })]);
  });
});

async function signedWebhook(events: X[]) {
  const body = JSON.stringify({ events, firstEventSequence: 1, lastEventSequence: 1, entropy: "x" });
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode("test-webhook-key"),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
  const sig = btoa(String.fromCharCode(...mac));
  return api("/v1/webhooks/xero", { method: "POST", headers: { "x-xero-signature": sig }, body });
}

describe("Xero-side changes to posted documents", () => {
  it("raises a voided alert once, from the webhook event and the scheduled comparison", async () => {
    const { tenant, token, org } = await ready();
    const contacts = (await xeroCall(tenant, "GET", "/Contacts")).Contacts as X[];
    const sales = ((await xeroCall(tenant, "GET", "/Accounts")).Accounts as X[]).find(
      (a) => a.Type === "REVENUE" && a.Status === "ACTIVE",
    );
    const created = await xeroCall(tenant, "PUT", "/Invoices", {
      Invoices: [
        {
          Type: "ACCREC",
          Contact: { ContactID: contacts[0].ContactID },
          Date: "2026-02-10",
          DueDate: "2026-03-10",
          Status: "AUTHORISED",
          LineAmountTypes: "NoTax",
          LineItems: [
            { Description: "Amazon PO invoice", Quantity: 1, UnitAmount: 123.45, AccountCode: sales.Code },
          ],
        },
      ],
    });
    const inv = created.Invoices[0];
    // What the posting engine records once Xero accepted the document.
    await recordPostedDocuments(testEnv.DB, tenant.tenantId, [
      {
        key: "po:TEST-1:invoice",
        type: "Invoice",
        xeroId: inv.InvoiceID,
        number: inv.InvoiceNumber,
        amount: 12345,
        currency: "USD",
        date: "2026-02-10",
      },
    ]);
    await cron();
    expect((await alertsOf(org, token)).filter((a) => a.kind.startsWith("xero_"))).toEqual([]);

    await xeroCall(tenant, "POST", `/Invoices/${inv.InvoiceID}`, { Invoices: [{ Status: "VOIDED" }] });
    const hook = await signedWebhook([
      {
        resourceUrl: `https://api.xero.com/api.xro/2.0/Invoices/${inv.InvoiceID}`,
        resourceId: inv.InvoiceID,
        eventDateUtc: "2026-02-11T10:00:00.000",
        eventType: "UPDATE",
        eventCategory: "INVOICE",
        tenantId: tenant.tenantId,
        tenantType: "ORGANISATION",
      },
    ]);
    expect(hook.status).toBe(200);
    await cron();
    await cron();
    expect((await api(`${org}/monitoring/check`, { method: "POST", token })).body.raised).toEqual([]);
    const voided = (await alertsOf(org, token)).filter((a) => a.kind.startsWith("xero_"));
    expect(voided).toEqual([
      expect.objectContaining({ kind: "xero_document_voided", severity: "critical", status: "open" }),
    ]);
    expect(received.flatMap((p) => p.alerts).filter((a) => a.kind === "xero_document_voided")).toHaveLength(
      1,
    );
    const processed = await testEnv.DB.prepare(
      "SELECT COUNT(*) AS n FROM webhook_events WHERE tenant_id = ?1 AND processed_at IS NOT NULL",
    )
      .bind(tenant.tenantId)
      .first<{ n: number }>();
    expect(processed?.n).toBe(1);
  });
});

describe("connections and API budget", () => {
  it("raises re-consent once when the grant needs reconnecting", async () => {
    const { tenant, token, org } = await ready();
    await testEnv.DB.prepare(
      "UPDATE xero_grants SET status = 'reconnect_needed' WHERE id = (SELECT grant_id FROM organisations WHERE id = ?1)",
    )
      .bind(tenant.tenantId)
      .run();
    await cron();
    await cron();
    const alerts = (await alertsOf(org, token)).filter((a) => a.kind === "connection_reconsent");
    expect(alerts).toEqual([expect.objectContaining({ severity: "critical", subject: tenant.tenantId })]);
    const health = await api(`${org}/health`, { token });
    expect(health.body).toMatchObject({ state: "action_needed", connection: { status: "needs_reconsent" } });
  });
});

describe("API budget", () => {
  it("raises a low-budget alert once per day and level", async () => {
    const created = await sandbox("/sandbox/tenants", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ dailyLimit: 100 }),
    });
    const tenant = created.body as Tenant;
    const { token } = await signIn([tenant.tenantId]);
    const org = `/v1/organisations/${tenant.tenantId}`;
    expect((await api(`${org}/reference/refresh`, { method: "POST", token })).status).toBe(200);
    await cron();
    await cron();
    const budget = (await alertsOf(org, token)).filter((a) => a.kind === "api_budget_low");
    expect(budget).toEqual([
      expect.objectContaining({ severity: "critical", details: expect.objectContaining({ limit: 5000 }) }),
    ]);
    expect(budget[0].details.remaining).toBeLessThan(100);
    const health = await api(`${org}/health`, { token });
    expect(health.body.apiBudget).toMatchObject({ limit: 5000, percentLeft: expect.any(Number) });
    expect(health.body.state).toBe("action_needed");
  });
});

describe("health, history, disputes", () => {
  it("shows health and one invoice's history across remittances", async () => {
    const { token, org, tenant } = await ready();
    await uploadAndPreview(org, token);
    const health = await api(`${org}/health`, { token });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      organisationId: tenant.tenantId,
      connection: { status: "active" },
      apiBudget: { limit: 5000, remaining: expect.any(Number) },
      lastImportAt: expect.any(String),
      alerts: { total: expect.any(Number) },
    });
    expect(health.body.exceptions.total).toBe(
      Object.values(health.body.exceptions.byAge as Record<string, number>).reduce((a, b) => a + b, 0),
    );
    const h = await api(`${org}/history/invoices/INV-B`, { token });
    expect(h.status).toBe(200);
    expect(h.body.events.map((e: X) => [e.type, e.documentNumber, e.amount])).toEqual([
      ["paid", "INV-B", "5000.00"],
      ["claimed", "INV-BSC", "-300.00"],
    ]);
    expect((await api(`${org}/history/invoices/NOPE`, { token })).status).toBe(404);
  });

  it("lists dispute deadlines, exports CSV and moves statuses through transitionDispute", async () => {
    const { token, org } = await ready();
    // Dates shifted to a few days ago, so the dispute windows are open.
    const d = new Date(Date.now() - 5 * 86_400_000);
    const us = `${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}/${d.getUTCFullYear()}`;
    const recent = usCsv.replace(/\d{2}\/\d{2}\/2026/g, us).replace(/40311877/g, "50311877");
    await upload(org, token, recent, "recent.csv");
    await upload(org, token, usCsv);
    const list = await api(`${org}/disputes`, { token });
    expect(list.status).toBe(200);
    const records = list.body.disputes as X[];
    const open = records.find((r) => r.paymentNumber === "50311877" && r.documentNumber === "INV-BSC");
    const old = records.find((r) => r.paymentNumber === "40311877" && r.documentNumber === "INV-BSC");
    expect(open).toMatchObject({
      status: "open",
      kind: expect.stringContaining("shortage"),
      amount: "300.00",
    });
    expect(open.daysLeft).toBeGreaterThan(0);
    expect(old).toMatchObject({ status: "expired" });

    const key = encodeURIComponent(open.id);
    const disputed = await api(`${org}/disputes/${key}`, {
      method: "PATCH",
      token,
      json: { status: "disputed", caseId: "CASE-1" },
    });
    expect(disputed.status).toBe(200);
    expect(disputed.body).toMatchObject({ status: "disputed", disputes: 1, caseId: "CASE-1" });
    const won = await api(`${org}/disputes/${key}`, { method: "PATCH", token, json: { status: "won" } });
    expect(won.body).toMatchObject({ status: "won", caseId: "CASE-1" });
    const again = await api(`${org}/disputes/${key}`, {
      method: "PATCH",
      token,
      json: { status: "disputed" },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("invalid_transition");
    const late = await api(`${org}/disputes/${encodeURIComponent(old.id)}`, {
      method: "PATCH",
      token,
      json: { status: "disputed" },
    });
    expect(late.status).toBe(409);
    expect(
      (await api(`${org}/disputes/nope`, { method: "PATCH", token, json: { status: "won" } })).status,
    ).toBe(404);
    expect(
      (await api(`${org}/disputes/${key}`, { method: "PATCH", token, json: { status: "maybe" } })).status,
    ).toBe(422);

    const csv = await api(`${org}/disputes?format=csv`, { token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0]).toBe(DISPUTE_CSV_COLUMNS.join(","));
    expect(lines).toHaveLength(records.length + 1);
    expect(lines.find((l) => l.startsWith(open.id))).toContain(",won,");
    const wonOnly = await api(`${org}/disputes?status=won`, { token });
    expect(wonOnly.body.disputes.map((r: X) => r.id)).toEqual([open.id]);
  });
});

/** Post a plan's documents to the sandbox as the posting engine would, and record what Xero accepted. */
async function postPlan(t: Tenant, plan: X): Promise<void> {
  const ids = new Map<string, string>();
  const posted: X[] = [];
  for (const d of plan.documents) {
    const body = structuredClone(d.body);
    let res: X;
    let id: string;
    switch (d.type) {
      case "CreditNote":
        res = await xeroCall(t, "PUT", "/CreditNotes", { CreditNotes: [body] });
        id = res.CreditNotes[0].CreditNoteID;
        break;
      case "Allocation":
        res = await xeroCall(t, "PUT", `/CreditNotes/${ids.get(d.creditNoteKey)}/Allocations`, {
          Allocations: [body],
        });
        id = `${ids.get(d.creditNoteKey)}:allocation`;
        break;
      case "RefundPayment":
        body.CreditNote = { ...(body.CreditNote ?? {}), CreditNoteID: ids.get(d.creditNoteKey) };
        res = await xeroCall(t, "PUT", "/Payments", { Payments: [body] });
        id = res.Payments[0].PaymentID;
        break;
      case "Payment":
        res = await xeroCall(t, "PUT", "/Payments", { Payments: [body] });
        id = res.Payments[0].PaymentID;
        break;
      case "ManualJournal":
        res = await xeroCall(t, "PUT", "/ManualJournals", { ManualJournals: [body] });
        id = res.ManualJournals[0].ManualJournalID;
        break;
      default:
        res = await xeroCall(t, "PUT", "/BankTransactions", { BankTransactions: [body] });
        id = res.BankTransactions[0].BankTransactionID;
    }
    ids.set(d.key, id);
    posted.push({ key: d.key, type: d.type, xeroId: id, amount: 0, currency: "USD", date: body.Date });
  }
  await recordPostedDocuments(testEnv.DB, t.tenantId, posted);
}

describe("month-end control report", () => {
  it("ties the fixture remittance to the sandbox trial balance to the cent once posted, and flags it before", async () => {
    const { tenant, token, org } = await ready();
    const { plan } = await uploadAndPreview(org, token);

    // Planned but not posted: every account VCX would move differs from the ledger, and says so.
    const before = await api(`${org}/reports/month/2026-02?basis=planned`, { token });
    expect(before.status).toBe(200);
    expect(before.body.basis).toBe("planned");
    expect(before.body.remittances.list).toEqual([
      expect.objectContaining({ paymentNumber: "40311877", amount: "12770.00" }),
    ]);
    const differing = (before.body.ties as X[]).filter((t) => t.status === "difference");
    expect(differing.length).toBeGreaterThan(0);
    expect(before.body.flags.some((f: string) => /the ledger shows/.test(f))).toBe(true);
    expect(before.headers.get("x-vcx-flags")).toBe(String(before.body.flags.length));

    await postPlan(tenant, plan);
    await nextMinute();
    const after = await api(`${org}/reports/month/2026-02`, { token });
    expect(after.status).toBe(200);
    expect(after.body.basis).toBe("posted");
    const ties = after.body.ties as X[];
    expect(ties.length).toBeGreaterThan(0);
    // Receivables also moved by the invoices raised in February outside this remittance (the seeded
    // INV-A and INV-B): exactly their total is flagged; every other figure ties to the cent.
    const raised = ((await xeroCall(tenant, "GET", "/Invoices?Statuses=AUTHORISED,PAID")).Invoices as X[])
      .filter((i) => i.Type === "ACCREC" && i.DateString?.startsWith("2026-02"))
      .reduce((t, i) => t + Math.round(Number(i.Total) * 100), 0);
    expect(raised).toBe(1_500_000);
    for (const t of ties.filter((x) => !x.figure.startsWith("Provisions"))) {
      if (t.figure === "Accounts receivable movement")
        expect(t).toMatchObject({ status: "difference", difference: (raised / 100).toFixed(2) });
      else expect(t, `${t.figure} ${t.accountCode}`).toMatchObject({ status: "ok", difference: "0.00" });
    }
    expect(after.body.flags.filter((f: string) => /the ledger shows/.test(f))).toHaveLength(1);

    // The ledger figures are the sandbox trial balance's own: movement in February for each account.
    const tb = async (asAt: string) =>
      Object.fromEntries(
        (
          (await sandbox(`/sandbox/tenants/${tenant.tenantId}/trial-balance?asAt=${asAt}`)).body
            .Accounts as X[]
        ).map((a) => [a.Code, Math.round(Number(a.Balance) * 100)]),
      );
    const [end, start] = [await tb("2026-02-28"), await tb("2026-01-31")];
    for (const t of ties.filter((x) => !x.figure.startsWith("Provisions"))) {
      const movement = (end[t.accountCode] ?? 0) - (start[t.accountCode] ?? 0);
      expect(Math.round(Number(t.ledger) * 100), t.accountCode).toBe(movement);
    }
    expect(after.body.clearing).toMatchObject({ movement: "0.00", zero: true });
    expect(after.body.remittances.list[0]).toMatchObject({ status: "posted" });

    await nextMinute();
    const csv = await api(`${org}/reports/month/2026-02?format=csv`, { token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.text.split(/\r?\n/)[0]).toBe(
      "Section,Item,Account,Kind,Date,Currency,Amount,Ledger,Difference,Status,Detail",
    );
    expect((await api(`${org}/reports/month/2026-13`, { token })).status).toBe(422);

    // Someone edits the ledger in Xero: the report flags the difference to the cent.
    const clearing = after.body.clearing.accountCode;
    await xeroCall(tenant, "PUT", "/ManualJournals", {
      ManualJournals: [
        {
          Narration: "manual adjustment",
          Date: "2026-02-20",
          Status: "POSTED",
          JournalLines: [
            { AccountCode: clearing, LineAmount: 0.01, Description: "x" },
            { AccountCode: "6120", LineAmount: -0.01, Description: "x" },
          ],
        },
      ],
    });
    await nextMinute();
    const edited = await api(`${org}/reports/month/2026-02`, { token });
    const tie = (edited.body.ties as X[]).find((t) => t.accountCode === clearing);
    expect(tie).toMatchObject({ status: "difference", difference: "0.01" });

    // vcx report month against the running Worker.
    const key = await apiKey(token, tenant.tenantId);
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      readFile: async () => new Uint8Array(),
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      env: { VCX_URL: "http://vcx.test", VCX_API_KEY: key },
      fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
        api(String(input).replace("http://vcx.test", ""), init ?? {}).then(
          (r) => new Response(r.text, { status: r.status, headers: r.headers }),
        )) as typeof fetch,
    };
    await nextMinute();
    const code = await reportCommand(["month", "2026-02", "--json"], io);
    expect(err.join("")).toBe("");
    expect(code).toBe(1);
    const fromCli = JSON.parse(out.join(""));
    expect(fromCli.ties).toEqual(edited.body.ties);
    out.length = 0;
    await nextMinute();
    expect(await reportCommand(["month", "2026-02", "--csv"], io)).toBe(1);
    expect(err.join("")).toBe("");
    expect(out.join("")).toContain("Section,Item,Account");
    out.length = 0;
    await nextMinute();
    expect(await reportCommand(["month", "2026-02"], io)).toBe(1);
    expect(out.join("")).toContain("2026-02");
    expect(
      await reportCommand(["month", "2026-02"], {
        ...io,
        env: { VCX_URL: "http://vcx.test", VCX_API_KEY: "vcxk_bad" },
      }),
    ).toBe(1);
    expect(err.join("")).toContain("VCX answered 401");
    expect(await reportCommand(["month", "2026-02", "--url", "http://vcx.test"], { ...io, env: {} })).toBe(2);
  });
});

describe("authorisation", () => {
  it("answers 404 for another user's organisation and 401 without credentials", async () => {
    const { tenant, token, org } = await ready();
    await uploadAndPreview(org, token);
    const stranger = await strangerSession();
    const other = await newTenant();
    const otherKey = await apiKey((await signIn([other.tenantId])).token, other.tenantId);
    const paths: [string, string, unknown?][] = [
      ["GET", "/health"],
      ["GET", "/alerts"],
      ["PATCH", "/alerts/x", { status: "acknowledged" }],
      ["GET", "/alerts/webhook"],
      ["PUT", "/alerts/webhook", { url: "http://evil.test/" }],
      ["POST", "/monitoring/check"],
      ["GET", "/disputes"],
      ["GET", "/disputes?format=csv"],
      ["PATCH", "/disputes/x", { status: "won" }],
      ["GET", "/history/invoices/INV-B"],
      ["GET", "/reports/month/2026-02"],
    ];
    for (const [method, path, json] of paths) {
      const init = { method, ...(json !== undefined ? { json } : {}) };
      expect((await api(`${org}${path}`, { ...init, token: stranger })).status, path).toBe(404);
      expect((await api(`${org}${path}`, { ...init, token: otherKey })).status, path).toBe(404);
      expect((await api(`${org}${path}`, init)).status, path).toBe(401);
    }
    const own = await api(`${org}/alerts/webhook`, { token });
    expect(own.body).toEqual({ url: RECEIVER, enabled: true, source: "organisation" });
    expect(tenant.tenantId).toBeTruthy();
  });

  it("documents the monitoring routes in the OpenAPI document", async () => {
    const doc = (await api("/v1/openapi.json")).body;
    for (const p of [
      "health",
      "alerts",
      "alerts/{id}",
      "alerts/webhook",
      "disputes",
      "disputes/{key}",
      "history/invoices/{number}",
      "reports/month/{period}",
    ])
      expect(doc.paths[`/v1/organisations/{orgId}/${p}`], p).toBeTruthy();
  });
});

/**
 * Purchase orders through the API Worker (issue 7), in workerd against the Xero sandbox and the stand-in of
 * Amazon's static SP-API sandbox (both bound as services): Amazon's own example payloads imported and
 * previewed, held POs, idempotent imports, the pull through the stand-in (paging, 429/500), authorisation.
 */
import { describe, expect, it } from "vitest";
import orderExample from "../../../shared/specs/amazon-sp-api/examples/vendorOrders.getPurchaseOrder.200.json?raw";
import ordersExample from "../../../shared/specs/amazon-sp-api/examples/vendorOrders.getPurchaseOrders.200.json?raw";
import statusExample from "../../../shared/specs/amazon-sp-api/examples/vendorOrders.getPurchaseOrdersStatus.200.json?raw";
import { poCommand } from "../../worker/cli/commands/po";
import type { PlannedInvoice } from "../../worker/domain/po/plan";
import { recordInvoicePosted } from "../../worker/src/purchase-orders/store";
import poAck855 from "../fixtures/po/x12-855-po-ack.edi?raw";
import { sandboxGrids } from "./fixtures";
import {
  api,
  apiKey,
  newTenant,
  type Reply,
  sandbox,
  signIn,
  strangerSession,
  type Tenant,
  testEnv,
} from "./helpers";

const STANDIN = "http://amazon.test";
const LWA = {
  clientId: "amzn1.application-oa2-client.standin",
  clientSecret: "standin-secret",
  refreshToken: "Atzr|standin-refresh",
};

/** SKU map for the products of Amazon's examples, onto the items the sandbox seeds. */
const SKUS = [
  ["ASIN", "Vendor SKU", "Item Code", "Units Per Case", "Agreed Cost Per Each", "Currency", "Tax Type"],
  ["B07DFVDRAB", "8806098286500", "B07DFVDRAB", "1", "346.27", "USD", ""],
  ["B07DFYF5AB", "8806098286123", "8806093095123", "1", "229.47", "USD", ""],
  ["B07DFYF5XY", "8806098286789", "028877454078", "1", "20.00", "USD", ""],
  // Amazon's example orders this coffee in CASES of 10; the map says 12 → wrong case pack.
  ["B01LNRIIAB", "", "0017817748000", "12", "94.97", "USD", ""],
];

function grids(): Record<string, string[][]> {
  const g = sandboxGrids();
  const settings = g.Settings ?? [];
  const acme = settings[1] ?? [];
  return {
    ...g,
    SKUs: SKUS,
    Settings: [
      settings[0] ?? [],
      acme,
      ...["999US", "998US", "API01"].map((v) => acme.map((c, i) => (i === 0 ? v : c))),
    ],
  };
}

async function connected() {
  const tenant = await newTenant();
  const { token } = await signIn([tenant.tenantId]);
  const org = `/v1/organisations/${tenant.tenantId}`;
  const g = grids();
  for (const sheet of ["Deductions", "Settings", "SKUs"]) {
    const r = await api(`${org}/mappings/${sheet}`, { method: "PUT", token, json: { rows: g[sheet] } });
    if (r.status !== 200) throw new Error(`mappings ${sheet}: ${r.status} ${r.text}`);
  }
  return { tenant, token, org };
}

const upload = (org: string, token: string, name: string, content: string, query = "") =>
  api(`${org}/purchase-orders${query}`, {
    method: "POST",
    token,
    headers: { "content-type": "application/octet-stream", "x-file-name": name },
    body: content,
  });

async function xeroInvoices(t: Tenant) {
  const r = await sandbox("/api.xro/2.0/Invoices", {
    headers: {
      authorization: `Bearer ${t.accessToken}`,
      "xero-tenant-id": t.tenantId,
      accept: "application/json",
    },
  });
  return r.body.Invoices as { InvoiceNumber: string; Type: string; Reference?: string }[];
}

/** Xero allows 60 calls a minute per organisation: move the sandbox clock past the window. */
const nextMinute = () =>
  sandbox("/sandbox/clock", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ advanceMs: 61_000 }),
  });

const FINAL = new Set(["done", "failed", "cancelled"]);

/** Poll the job (each read syncs it into D1) until it is final. */
async function until(jobId: string, token: string, timeoutMs = 25_000): Promise<Reply> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await api(`/v1/jobs/${jobId}`, { token });
    expect(r.status).toBe(200);
    if (FINAL.has(r.body.state) || Date.now() > deadline) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function standin(path: string, init: RequestInit = {}) {
  const res = await testEnv.AMAZON?.fetch(`${STANDIN}${path}`, init);
  if (!res) throw new Error("AMAZON is not bound");
  return res.json() as Promise<{
    requests: { path: string; query: Record<string, string>; status: number }[];
  }>;
}

describe("purchase orders: Amazon's example payloads into the sandbox org", () => {
  it("imports the status example and previews an ACCREC invoice in eaches for what Amazon received", async () => {
    const { tenant, token, org } = await connected();
    const up = await upload(org, token, "status.json", statusExample);
    expect(up.status).toBe(201);
    expect(up.body.import.format).toBe("sp-api-status");
    expect(up.body.created.orders).toEqual(["2JK3S9VB"]);

    const pv = await api(`${org}/purchase-orders/preview`, { method: "POST", token, json: {} });
    expect(pv.status).toBe(200);
    const plan = pv.body.plan;
    expect(plan.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
    expect(plan.orders).toEqual([
      expect.objectContaining({ purchaseOrderNumber: "2JK3S9VB", status: "planned" }),
    ]);
    expect(plan.invoices).toHaveLength(1);
    const inv = plan.invoices[0] as PlannedInvoice;
    expect(inv).toMatchObject({ type: "Invoice", endpoint: "PUT /Invoices", role: "inv", dependsOn: [] });
    expect(inv.key).toBe("vcx1:999US:2JK3S9VB:inv:1");
    expect(inv.body).toMatchObject({ Type: "ACCREC", Reference: "2JK3S9VB", CurrencyCode: "USD" });
    // Line 1: received 1 (Amazon reported it as 1 Case of 1); line 2: received 10 of 15 accepted;
    // line 3 was rejected and is not invoiced.
    expect(inv.body.LineItems.map((l) => [l.ItemCode, l.Quantity, l.UnitAmount])).toEqual([
      ["B07DFVDRAB", 1, 346.27],
      ["8806093095123", 10, 229.47],
    ]);
    expect(inv.subtotal).toBe(34627 + 229470);
    expect(inv.record).toMatchObject({ key: inv.key, purchaseOrderNumber: "2JK3S9VB" });

    const list = await api(`${org}/purchase-orders`, { token });
    expect(list.status).toBe(200);
    expect(list.body.purchaseOrders).toEqual([
      expect.objectContaining({ purchaseOrderNumber: "2JK3S9VB", status: "planned", plannedKeys: [inv.key] }),
    ]);

    // The posting engine's round trip: the document goes to Xero, the record comes back; the next preview
    // plans nothing more for those eaches and the PO reads as invoiced.
    const put = await sandbox("/api.xro/2.0/Invoices", {
      method: "PUT",
      headers: {
        authorization: `Bearer ${tenant.accessToken}`,
        "xero-tenant-id": tenant.tenantId,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify({ Invoices: [inv.body] }),
    });
    expect(put.status).toBe(200);
    const xeroId = put.body.Invoices[0].InvoiceID as string;
    expect(
      await recordInvoicePosted(testEnv.DB, tenant.tenantId, inv.record, { xeroInvoiceId: xeroId }),
    ).toBe(true);
    expect(await recordInvoicePosted(testEnv.DB, tenant.tenantId, inv.record)).toBe(false);
    const again = await api(`${org}/purchase-orders/preview`, { method: "POST", token, json: {} });
    expect(again.status).toBe(200);
    expect(again.body.plan.invoices).toEqual([]);
    expect(again.body.plan.exceptions.filter((e: { severity: string }) => e.severity === "blocking")).toEqual(
      [],
    );
    const after = await api(`${org}/purchase-orders`, { token });
    expect(after.body.purchaseOrders[0]).toMatchObject({
      status: "invoiced",
      invoices: [{ key: inv.key, xeroInvoiceId: xeroId }],
    });
    expect((await xeroInvoices(tenant)).filter((i) => i.Reference === "2JK3S9VB")).toHaveLength(1);
    // The stored preview is what a post step takes.
    const stored = await api(`${org}/purchase-orders/preview`, { token });
    expect(stored.status).toBe(200);
    expect(stored.body.plan.invoices).toEqual([]);
  });

  it("posts the stored preview through the posting engine: one invoice in Xero, recorded; nothing twice", async () => {
    const { tenant, token, org } = await connected();
    expect((await upload(org, token, "status.json", statusExample)).status).toBe(201);
    const pv = await api(`${org}/purchase-orders/preview`, { method: "POST", token, json: {} });
    expect(pv.status).toBe(200);
    const inv = pv.body.plan.invoices[0] as PlannedInvoice;
    expect(pv.body.plan.invoices).toHaveLength(1);
    await nextMinute();

    const post = await api(`${org}/purchase-orders/post`, { method: "POST", token });
    expect(post.status).toBe(202);
    expect(post.body).toMatchObject({ jobId: expect.stringMatching(/^po-/), created: true, total: 1 });
    const job = await until(post.body.jobId, token);
    expect(job.body).toMatchObject({ state: "done", total: 1, posted: 1, organisationId: tenant.tenantId });
    const doc = job.body.documents[0];
    expect(doc).toMatchObject({
      key: inv.key,
      type: "Invoice",
      state: "posted",
      xeroNumber: inv.body.InvoiceNumber,
    });
    const mine = (await xeroInvoices(tenant)).filter((i) => i.Reference === "2JK3S9VB");
    expect(mine.map((i) => i.InvoiceNumber)).toEqual([inv.body.InvoiceNumber]);

    // Reading the job recorded the posted invoice: the PO reads as invoiced, with Xero's id.
    const list = await api(`${org}/purchase-orders`, { token });
    expect(list.body.purchaseOrders[0]).toMatchObject({
      status: "invoiced",
      invoices: [{ key: inv.key, invoiceNumber: inv.body.InvoiceNumber, xeroInvoiceId: doc.xeroId }],
    });

    // The same preview posted again is the same job: nothing sent.
    const same = await api(`${org}/purchase-orders/post`, { method: "POST", token });
    expect(same.status).toBe(202);
    expect(same.body).toMatchObject({ jobId: post.body.jobId, created: false, state: "done" });

    // A second preview plans nothing; posting it creates nothing.
    const again = await api(`${org}/purchase-orders/preview`, { method: "POST", token, json: {} });
    expect(again.status).toBe(200);
    expect(again.body.plan.invoices).toEqual([]);
    const none = await api(`${org}/purchase-orders/post`, { method: "POST", token });
    expect(none.status).toBe(422);
    expect(none.body.error.code).toBe("nothing_to_post");
    expect((await xeroInvoices(tenant)).filter((i) => i.Reference === "2JK3S9VB")).toHaveLength(1);
  });

  it("holds an unknown SKU and a wrong case pack before anything is created", async () => {
    const { tenant, token, org } = await connected();
    const before = (await xeroInvoices(tenant)).length;
    const up = await upload(org, token, "orders.json", ordersExample);
    expect(up.status).toBe(201);
    expect(up.body.created.orders.sort()).toEqual(["2JK3S9VC", "3TRD2IAB"]);
    const pv = await api(`${org}/purchase-orders/preview`, {
      method: "POST",
      token,
      json: { basis: "accepted" },
    });
    expect(pv.status).toBe(200);
    const { plan } = pv.body;
    expect(plan.invoices).toEqual([]);
    const held = (code: string) =>
      plan.exceptions.filter((e: { code: string; severity: string }) => e.code === code);
    expect(held("unmapped_product")).toEqual([
      expect.objectContaining({
        severity: "blocking",
        purchaseOrderNumber: "2JK3S9VC",
        sequence: 3,
        product: expect.stringContaining("B07MC84QAB"),
      }),
    ]);
    expect(held("case_pack_mismatch")).toEqual([
      expect.objectContaining({ severity: "blocking", purchaseOrderNumber: "3TRD2IAB", sequence: 1 }),
    ]);
    const list = await api(`${org}/purchase-orders?status=held`, { token });
    expect(
      list.body.purchaseOrders.map((p: { purchaseOrderNumber: string }) => p.purchaseOrderNumber).sort(),
    ).toEqual(["2JK3S9VC", "3TRD2IAB"]);
    expect(list.body.purchaseOrders[0].exceptions.length).toBeGreaterThan(0);
    expect((await xeroInvoices(tenant)).length).toBe(before);
  });

  it("a replayed import creates nothing new; other files of the same PO merge into it", async () => {
    const { token, org } = await connected();
    const first = await upload(org, token, "po.json", orderExample);
    expect(first.status).toBe(201);
    expect(first.body.created).toEqual({ orders: ["TestPO3"], changed: ["TestPO3"], pieces: 1 });
    const replay = await upload(org, token, "renamed.json", orderExample);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({
      replayed: true,
      import: { id: first.body.import.id },
      created: { orders: [], pieces: 0 },
    });
    // The same facts in a different file (re-serialised) are recognised too.
    const reformatted = JSON.stringify(JSON.parse(orderExample), null, 1);
    const same = await upload(org, token, "reformatted.json", reformatted);
    expect(same.status).toBe(201);
    expect(same.body.created).toEqual({ orders: [], changed: [], pieces: 0 });
    const list = await api(`${org}/purchase-orders`, { token });
    expect(list.body.purchaseOrders).toHaveLength(1);
    expect(list.body.purchaseOrders[0].order.lines[0]).toMatchObject({
      orderedEaches: 10,
      asin: "B01XYZ3Z02",
    });
    const n = await testEnv.DB.prepare("SELECT COUNT(*) AS n FROM po_pieces WHERE org_id = ?1")
      .bind(org.split("/").pop())
      .first<{ n: number }>();
    expect(n?.n).toBe(1);
  });

  it("accepts an X12 855 and refuses a file that is neither SP-API JSON nor X12", async () => {
    const { token, org } = await connected();
    const edi = await upload(org, token, "ack.edi", poAck855, "?vendorCode=API01");
    expect(edi.status).toBe(201);
    expect(edi.body.import.format).toBe("x12-855");
    expect(edi.body.created.orders.length).toBeGreaterThan(0);
    const bad = await upload(org, token, "notes.txt", "hello");
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe("po_file_invalid");
    const media = await api(`${org}/purchase-orders`, {
      method: "POST",
      token,
      headers: { "content-type": "text/plain" },
      body: "x",
    });
    expect(media.status).toBe(415);
  });
});

describe("purchase orders: pull through the Amazon stand-in", () => {
  const connect = (org: string, token: string) =>
    api(`${org}/purchase-orders/amazon-connection`, {
      method: "PUT",
      token,
      json: { ...LWA, region: "na", sandbox: true, pullEnabled: false },
    });

  it("stores the connection encrypted and never shows the secrets", async () => {
    const { tenant, token, org } = await connected();
    expect((await api(`${org}/purchase-orders/amazon-connection`, { token })).status).toBe(404);
    const r = await connect(org, token);
    expect(r.status).toBe(200);
    expect(r.body.connection).toMatchObject({ region: "na", sandbox: true, spApiBaseUrl: STANDIN });
    expect(r.text).not.toContain(LWA.clientSecret);
    expect(r.text).not.toContain(LWA.refreshToken);
    const row = await testEnv.DB.prepare("SELECT * FROM amazon_connections WHERE org_id = ?1")
      .bind(tenant.tenantId)
      .first<Record<string, string>>();
    expect(JSON.stringify(row)).not.toContain(LWA.refreshToken);
    expect(row?.refresh_token_enc).toMatch(/^v1\./);
  });

  it("pages through the stand-in (nextToken) and survives a 429 and a 500; a second pull creates nothing", async () => {
    const { token, org } = await connected();
    expect(
      (await api(`${org}/purchase-orders/pull`, { method: "POST", token, json: {} })).body.error.code,
    ).toBe("amazon_not_connected");
    expect((await connect(org, token)).status).toBe(200);
    // Amazon's documented request for the second page (and the catch-all for the first).
    const range = {
      createdAfter: "2019-08-20T14:00:00",
      createdBefore: "2019-08-21T00:00:00",
      includeDetails: false,
      sortOrder: "DESC" as const,
      includeStatus: false,
    };
    const seen = (await standin("/__standin/requests")).requests.length;
    await standin("/__standin/faults", { method: "POST", body: JSON.stringify({ status: 429, count: 1 }) });
    await standin("/__standin/faults", { method: "POST", body: JSON.stringify({ status: 500, count: 1 }) });
    const r = await api(`${org}/purchase-orders/pull`, { method: "POST", token, json: range });
    expect(r.status).toBe(200);
    expect(r.body.pull.status).toBe("ok");
    expect(r.body.pull.windows).toEqual([{ after: range.createdAfter, before: range.createdBefore }]);
    expect(r.body.pull.orders.sort()).toEqual(
      ["2JK3S9XY", "3TRD2ABC", "mock-purchaseOrderNumber1", "mock-purchaseOrderNumber2"].sort(),
    );
    expect(r.body.pull.stored.newOrders).toHaveLength(4);
    const calls = (await standin("/__standin/requests")).requests.slice(seen);
    const listCalls = calls.filter((c) => c.path === "/vendor/orders/v1/purchaseOrders");
    expect(listCalls.map((c) => c.status)).toEqual([429, 500, 200, 200]);
    expect(listCalls[3]?.query.nextToken).toBe("MDAwMDAwMDAwMQ==");

    const again = await api(`${org}/purchase-orders/pull`, { method: "POST", token, json: range });
    expect(again.status).toBe(200);
    expect(again.body.pull.stored).toEqual({ newOrders: [], changedOrders: [], newPieces: 0 });
    const list = await api(`${org}/purchase-orders`, { token });
    expect(list.body.purchaseOrders).toHaveLength(4);
    expect(new Set(list.body.purchaseOrders.map((p: { source: string }) => p.source))).toEqual(
      new Set(["pull"]),
    );
    const conn = await api(`${org}/purchase-orders/amazon-connection`, { token });
    expect(conn.body.connection.lastPull).toMatchObject({ status: "ok", until: range.createdBefore });
  });

  it("reports a pull that keeps failing instead of storing anything", async () => {
    const { token, org } = await connected();
    await connect(org, token);
    await standin("/__standin/faults", { method: "POST", body: JSON.stringify({ status: 500, count: 5 }) });
    const r = await api(`${org}/purchase-orders/pull`, {
      method: "POST",
      token,
      json: {
        createdAfter: "2019-08-20T14:00:00",
        createdBefore: "2019-08-21T00:00:00",
        includeStatus: false,
      },
    });
    expect(r.status).toBe(502);
    expect(r.body.pull.status).toBe("failed");
    expect(r.body.pull.problems[0]).toMatchObject({ severity: "error", code: "amazon_unavailable" });
    expect((await api(`${org}/purchase-orders`, { token })).body.purchaseOrders).toEqual([]);
  });
});

describe("purchase orders: authorisation", () => {
  it("another organisation's purchase orders are a 404 (stranger, or a key of another org); no token is 401", async () => {
    const a = await connected();
    const b = await connected();
    await upload(a.org, a.token, "po.json", orderExample);
    const keyB = await apiKey(b.token, b.tenant.tenantId);
    const stranger = await strangerSession();
    for (const token of [stranger, keyB]) {
      for (const [method, path] of [
        ["GET", ""],
        ["POST", ""],
        ["POST", "/preview"],
        ["POST", "/pull"],
        ["GET", "/preview"],
        ["POST", "/post"],
        ["GET", "/amazon-connection"],
        ["PUT", "/amazon-connection"],
      ] as const) {
        const r = await api(`${a.org}/purchase-orders${path}`, {
          method,
          token,
          ...(method === "GET" ? {} : { json: {} }),
        });
        expect(r.status, `${method} ${path}`).toBe(404);
        expect(r.body.error.code).toBe("not_found");
      }
    }
    expect((await api(`${a.org}/purchase-orders`)).status).toBe(401);
    const keyA = await apiKey(a.token, a.tenant.tenantId);
    const own = await api(`${a.org}/purchase-orders`, { token: keyA });
    expect(own.status).toBe(200);
    expect(own.body.purchaseOrders).toHaveLength(1);
  });
});

describe("vcx po import|pull|preview|post (CLI) against the Worker", () => {
  it("imports (twice: nothing new), pulls, previews and posts with an API key from the environment", async () => {
    const { tenant, token, org } = await connected();
    const key = await apiKey(token, tenant.tenantId);
    await api(`${org}/purchase-orders/amazon-connection`, {
      method: "PUT",
      token,
      json: { ...LWA, sandbox: true, pullEnabled: false },
    });
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      readFile: async () => new TextEncoder().encode(statusExample),
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      env: { VCX_URL: "http://vcx.test", VCX_API_KEY: key },
      fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
        api(String(input).replace("http://vcx.test", ""), init ?? {}).then(
          (r) => new Response(r.text, { status: r.status }),
        )) as typeof fetch,
    };
    const imported = await poCommand(["import", "status.json"], io);
    expect(err.join("")).toBe("");
    expect(imported).toBe(0);
    expect(out.join("")).toMatch(
      /status\.json: imported as [0-9a-f-]+ \(sp-api-status\), 1 PO\(s\); new 2JK3S9VB/,
    );
    out.length = 0;
    expect(await poCommand(["import", "status.json"], io)).toBe(0);
    expect(out.join("")).toContain("already imported");
    out.length = 0;
    expect(
      await poCommand(
        ["pull", "--after", "2019-08-20T14:00:00", "--before", "2019-08-21T00:00:00", "--no-status"],
        io,
      ),
    ).toBe(0);
    expect(out.join("")).toContain("ok, 2 PO(s)");
    out.length = 0;
    // The pulled mock POs carry no net cost / unmapped products: held, so exit 1 — and the report says why.
    expect(await poCommand(["preview", "--po", "2JK3S9VB"], io)).toBe(0);
    expect(out.join("")).toContain("2JK3S9VB-1");
    expect(out.join("")).toContain("B07DFVDRAB 1 × 346.27");
    expect(await poCommand(["preview"], io)).toBe(1);
    expect(await poCommand(["preview"], { ...io, env: {} })).toBe(2);
    expect(err.join("")).toContain("Give the Worker URL");

    // post --wait: the stored preview's invoice through the posting engine, with a progress bar.
    await nextMinute();
    out.length = 0;
    err.length = 0;
    const posting = { ...io, sleep: () => new Promise<void>((res) => setTimeout(res, 50)) };
    expect(await poCommand(["post", "--wait"], posting)).toBe(0);
    expect(err.join("")).toBe("");
    expect(out[0]).toMatch(/^Posting job po-[0-9a-f]+\n$/);
    expect(out.join("")).toContain(`[${"#".repeat(30)}] 1/1 posted, 0 failed, 0 held  done\n`);
    expect(out.join("")).toContain("posted Invoice 2JK3S9VB-1");
    out.length = 0;
    expect(await poCommand(["post"], posting)).toBe(0);
    expect(out.join("")).toMatch(/^Already posted by job po-[0-9a-f]+\n$/);
    expect((await xeroInvoices(tenant)).filter((i) => i.InvoiceNumber === "2JK3S9VB-1")).toHaveLength(1);
  });
});

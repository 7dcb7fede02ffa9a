/**
 * The pull connector against the local stand-in of Amazon's static sandbox (served from the model's
 * x-amzn-api-sandbox cases): LWA refresh-token flow, the documented requests, nextToken paging, 7-day windows,
 * the 6-month cap, and surviving 429/500 from the stand-in.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  AMAZON_ENDPOINTS,
  AmazonApiError,
  type AmazonConnectorConfig,
  SpApiClient,
} from "../../../worker/amazon/client";
import { pullPurchaseOrders } from "../../../worker/amazon/pull";
import { dateWindows } from "../../../worker/amazon/windows";
import { createAmazonStandin } from "../../../worker/amazon-standin/app";
import standinWorker from "../../../worker/amazon-standin/index";
import standinModel from "../../../worker/amazon-standin/vendorOrders.json";
import { readPoValue } from "../../../worker/domain/po/json";
import { planPoInvoices } from "../../../worker/domain/po/plan";
import { example, poMappings, poOrg, SHARED } from "./builders";

const CREDS = {
  clientId: "amzn1.application-oa2-client.test",
  clientSecret: "s3cret",
  refreshToken: "Atzr|test-refresh",
};
const BASE = "http://amazon-standin.test";
const config: AmazonConnectorConfig = {
  lwaTokenUrl: `${BASE}/auth/o2/token`,
  spApiBaseUrl: BASE,
  ...CREDS,
};
const NOW = Date.parse("2019-09-25T00:00:00Z");

function setup(opts: { maxAttempts?: number } = {}) {
  const standin = createAmazonStandin({ ...CREDS, controls: true });
  const sleeps: number[] = [];
  const client = new SpApiClient(config, {
    fetch: async (req) => standin.app.fetch(req),
    now: () => NOW,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}),
  });
  return { standin, client, sleeps };
}

describe("the stand-in", () => {
  it("carries Amazon's vendorOrders.json model unchanged (JSON-equal to shared/specs)", () => {
    const shared = JSON.parse(readFileSync(new URL("amazon-sp-api/vendorOrders.json", SHARED), "utf8"));
    expect(standinModel).toEqual(shared);
  });

  it("serves the example files' responses for their documented requests", async () => {
    const { client } = setup();
    const orders = await client.getPurchaseOrders({
      limit: 2,
      createdAfter: "2019-08-20T14:00:00",
      createdBefore: "2019-09-21T00:00:00",
      sortOrder: "DESC",
      includeDetails: true,
    });
    expect(orders).toEqual(JSON.parse(example("vendorOrders.getPurchaseOrders.200.json")));
    const status = await client.getPurchaseOrdersStatus({
      limit: 1,
      createdAfter: "2020-08-17T14:00:00",
      createdBefore: "2020-08-18T00:00:00",
    });
    expect(status).toEqual(JSON.parse(example("vendorOrders.getPurchaseOrdersStatus.200.json")));
    const one = (await client.getPurchaseOrder("4Z32PABC")) as { payload: { purchaseOrderNumber: string } };
    expect(one.payload.purchaseOrderNumber).toBe("4Z32PABC");
  });

  it("answers Amazon's documented 400 and refuses requests without a valid LWA token", async () => {
    const { client, standin } = setup();
    await expect(client.getPurchaseOrder("null")).rejects.toMatchObject({
      status: 400,
      errors: [{ code: "InvalidRequest" }],
    });
    const res = await standin.app.fetch(new Request(`${BASE}/vendor/orders/v1/purchaseOrders`));
    expect(res.status).toBe(403);
  });

  it("the Worker entry serves the token endpoint from its vars", async () => {
    const env = { LWA_CLIENT_ID: "a", LWA_CLIENT_SECRET: "b", LWA_REFRESH_TOKEN: "c" };
    const body = "grant_type=refresh_token&refresh_token=c&client_id=a&client_secret=b";
    const res = await standinWorker.fetch(
      new Request(`${BASE}/auth/o2/token`, {
        method: "POST",
        body,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
      env,
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { token_type: string }).token_type).toBe("bearer");
  });
});

describe("Login with Amazon", () => {
  it("exchanges the refresh token once and reuses the access token until it expires", async () => {
    const { client, standin } = setup();
    await client.getPurchaseOrder("4Z32PABC");
    await client.getPurchaseOrder("4Z32PABC");
    const token = await client.tokens.accessToken();
    expect(token).toBe("Atza|standin-1");
    expect(standin.requests.every((r) => r.status === 200)).toBe(true);
  });

  it("a wrong refresh token is an error naming LWA's answer", async () => {
    const standin = createAmazonStandin(CREDS);
    const client = new SpApiClient(
      { ...config, refreshToken: "wrong" },
      { fetch: async (r) => standin.app.fetch(r) },
    );
    await expect(client.getPurchaseOrder("4Z32PABC")).rejects.toThrow(/invalid_grant/);
  });

  it("production endpoints are configuration", () => {
    expect(AMAZON_ENDPOINTS.lwaTokenUrl).toBe("https://api.amazon.com/auth/o2/token");
    expect(AMAZON_ENDPOINTS.na).toBe("https://sellingpartnerapi-na.amazon.com");
  });
});

describe("pulling purchase orders", () => {
  it("pages through nextToken: the first page (Amazon's mock) then the documented nextToken page", async () => {
    const { client, standin } = setup();
    const r = await pullPurchaseOrders(client, {
      createdAfter: "2019-08-20T14:00:00",
      createdBefore: "2019-08-21T00:00:00",
      query: { includeDetails: false, sortOrder: "DESC" },
      now: NOW,
    });
    expect(r.windows).toEqual([{ after: "2019-08-20T14:00:00", before: "2019-08-21T00:00:00" }]);
    const sp = standin.requests.filter((q) => q.path.startsWith("/vendor"));
    expect(sp.map((q) => q.query["nextToken"])).toEqual([undefined, "MDAwMDAwMDAwMQ=="]);
    expect(r.orders.map((o) => o.purchaseOrderNumber)).toEqual([
      "mock-purchaseOrderNumber1",
      "mock-purchaseOrderNumber2",
      "2JK3S9XY",
      "3TRD2ABC",
    ]);
    expect(r.problems.filter((p) => p.severity === "error")).toEqual([]);
  });

  it("survives a 429 and a 500 from the stand-in with back-off and gets the same data", async () => {
    const { client, standin, sleeps } = setup();
    standin.fail(429, 1);
    standin.fail(500, 1);
    const r = await pullPurchaseOrders(client, {
      createdAfter: "2019-08-20T14:00:00",
      createdBefore: "2019-08-21T00:00:00",
      query: { includeDetails: false, sortOrder: "DESC" },
      now: NOW,
    });
    expect(standin.requests.map((q) => q.status)).toEqual([429, 500, 200, 200]);
    expect(sleeps).toEqual([1000, 2000]);
    expect(r.orders.map((o) => o.purchaseOrderNumber)).toEqual([
      "mock-purchaseOrderNumber1",
      "mock-purchaseOrderNumber2",
      "2JK3S9XY",
      "3TRD2ABC",
    ]);
  });

  it("gives up after the attempts allowed and reports the failure as a problem, not an exception", async () => {
    const { client, standin } = setup({ maxAttempts: 3 });
    standin.fail(503, 5);
    const r = await pullPurchaseOrders(client, {
      createdAfter: "2019-08-20T14:00:00",
      createdBefore: "2019-08-21T00:00:00",
      now: NOW,
    });
    expect(r.orders).toEqual([]);
    expect(r.problems.map((p) => p.code)).toEqual(["amazon_unavailable"]);
    expect(standin.requests.length).toBe(3);
  });

  it("status pages merge into the orders: the sandbox status example's 2JK3S9VB plans an invoice end to end", async () => {
    const { client } = setup();
    const json = await client.getPurchaseOrdersStatus({
      limit: 1,
      createdAfter: "2020-08-17T14:00:00",
      createdBefore: "2020-08-18T00:00:00",
    });
    const page = readPoValue("status", json);
    expect(page.nextToken).toBe("MDAwMDAwMDAwMZ==");
    const plan = planPoInvoices(page.orders, poMappings(), poOrg());
    expect(plan.invoices.map((i) => [i.key, i.subtotal])).toEqual([["vcx1:999US:2JK3S9VB:inv:1", 264097]]);
  });

  it("a repeated nextToken stops paging with a warning instead of looping", async () => {
    const { client } = setup();
    const r = await pullPurchaseOrders(client, {
      createdAfter: "2019-08-01T00:00:00",
      createdBefore: "2019-08-02T00:00:00",
      now: NOW,
    });
    expect(r.problems.map((p) => p.code)).toContain("paging_loop");
  });
});

describe("date windows", () => {
  it("splits a range into windows of at most 7 days that tile it exactly", () => {
    const p = dateWindows("2019-08-20T14:00:00", "2019-09-21T00:00:00", NOW);
    expect(p.windows).toHaveLength(5);
    expect(p.windows[0]).toEqual({ after: "2019-08-20T14:00:00", before: "2019-08-27T14:00:00" });
    expect(p.windows.at(-1)?.before).toBe("2019-09-21T00:00:00");
    for (const [i, w] of p.windows.entries()) {
      expect(Date.parse(`${w.before}Z`) - Date.parse(`${w.after}Z`)).toBeLessThanOrEqual(7 * 86_400_000);
      if (i > 0) expect(w.after).toBe(p.windows[i - 1]?.before);
    }
  });

  it("cuts the range at six months back and keeps the caller's zone style", () => {
    const p = dateWindows("2019-01-01T00:00:00Z", "2019-03-30T00:00:00Z", NOW);
    expect(p.cappedAt).toBe("2019-03-25T00:00:00Z");
    expect(p.windows).toEqual([{ after: "2019-03-25T00:00:00Z", before: "2019-03-30T00:00:00Z" }]);
    expect(dateWindows("2019-01-01T00:00:00Z", "2019-02-01T00:00:00Z", NOW).windows).toEqual([]);
    expect(dateWindows("x", "y", NOW).windows).toEqual([]);
  });

  it("a pull older than six months says so", async () => {
    const { client } = setup();
    const r = await pullPurchaseOrders(client, {
      createdAfter: "2018-01-01T00:00:00",
      createdBefore: "2018-01-02T00:00:00",
      now: NOW,
    });
    expect(r.windows).toEqual([]);
    expect(r.problems.map((p) => p.code)).toEqual(["history_capped"]);
  });

  it("AmazonApiError carries status and Amazon's error list", () => {
    const e = new AmazonApiError("x", 400, [{ code: "InvalidInput", message: "m" }]);
    expect([e.status, e.errors[0]?.code]).toEqual([400, "InvalidInput"]);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { bytesToBase64, hmacSha256, sha256Hex } from "../../worker/src/auth/crypto";
import usCsv from "../fixtures/remittances/us-40311877.csv?raw";
import { ADDIN, api, apiKey, newTenant, signIn, strangerSession, testEnv } from "./helpers";

let orgA = "";
let orgB = "";
let owner = "";
let keyA = "";
let remittanceA = "";

beforeAll(async () => {
  const a = await newTenant();
  const b = await newTenant();
  orgA = a.tenantId;
  orgB = b.tenantId;
  owner = (await signIn([orgA, orgB])).token;
  keyA = await apiKey(owner, orgA);
  const up = await api(`/v1/organisations/${orgA}/remittances`, {
    method: "POST",
    token: owner,
    headers: { "content-type": "application/octet-stream", "x-file-name": "a.csv" },
    body: usCsv,
  });
  remittanceA = up.body.id;
});

/** Every authenticated organisation route, as [method, path under /v1/organisations/:orgId]. */
const ORG_ROUTES: [string, string][] = [
  ["GET", "/status"],
  ["GET", "/reference"],
  ["POST", "/reference/refresh"],
  ["GET", "/mappings"],
  ["POST", "/mappings/validate"],
  ["PUT", "/mappings/Deductions"],
  ["GET", "/remittances"],
  ["POST", "/remittances"],
  ["GET", "/remittances/REM"],
  ["POST", "/remittances/REM/preview"],
  ["GET", "/exceptions"],
  ["PATCH", "/exceptions/EXC"],
  ["GET", "/audit"],
];
const OTHER_ROUTES: [string, string][] = [
  ["GET", "/v1/organisations"],
  ["POST", "/v1/auth/logout"],
  ["GET", "/v1/api-keys"],
  ["POST", "/v1/api-keys"],
  ["DELETE", "/v1/api-keys/some-id"],
  ["POST", "/v1/connections/custom"],
  ["POST", "/v1/remittances/parse"],
];

const call = (method: string, path: string, token?: string) =>
  api(path.replace("REM", remittanceA).replace("EXC", "no-such-exception"), {
    method,
    ...(token ? { token } : {}),
    ...(method === "GET" ? {} : { json: {} }),
  });

describe("authorisation matrix", () => {
  it("refuses every route without a credential (401, one envelope)", async () => {
    for (const [method, path] of [
      ...ORG_ROUTES.map(([m, p]) => [m, `/v1/organisations/${orgA}${p}`] as const),
      ...OTHER_ROUTES,
    ]) {
      const r = await call(method, path);
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.body.error.code).toBe("unauthorized");
      expect(r.body.error.requestId).toBeTruthy();
    }
  });

  it("refuses an expired session and a revoked key", async () => {
    const user = await testEnv.DB.prepare("SELECT user_id FROM user_organisations WHERE org_id = ?1")
      .bind(orgA)
      .first<{ user_id: string }>();
    const expired = "vcxs_expired-session-token";
    await testEnv.DB.prepare(
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
    )
      .bind(await sha256Hex(expired), user?.user_id, "2020-01-01T00:00:00Z", "2020-01-01T08:00:00Z")
      .run();
    const revoked = await apiKey(owner, orgA, "to revoke");
    const keys = await api("/v1/api-keys", { token: owner });
    const id = keys.body.apiKeys.find((k: { name: string }) => k.name === "to revoke").id;
    expect((await api(`/v1/api-keys/${id}`, { method: "DELETE", token: owner })).status).toBe(204);
    for (const token of [expired, revoked, "garbage", "vcxk_unknown"]) {
      for (const [method, path] of ORG_ROUTES) {
        const r = await call(method, `/v1/organisations/${orgA}${path}`, token);
        expect(r.status, `${token} ${method} ${path}`).toBe(401);
      }
    }
  });

  it("answers 404 for another user's organisation, exactly as for one that does not exist", async () => {
    const stranger = await strangerSession();
    const missing = await call("GET", `/v1/organisations/${crypto.randomUUID()}/status`, owner);
    for (const [method, path] of ORG_ROUTES) {
      const r = await call(method, `/v1/organisations/${orgA}${path}`, stranger);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe(missing.body.error.code);
      expect(r.body.error.message).toBe(missing.body.error.message);
    }
    expect((await api("/v1/organisations", { token: stranger })).body.organisations).toEqual([]);
    const key = await api("/v1/api-keys", {
      method: "POST",
      token: stranger,
      json: { organisationId: orgA, name: "x" },
    });
    expect(key.status).toBe(404);
  });

  it("an API key reaches only its own organisation and cannot manage keys", async () => {
    expect((await call("GET", `/v1/organisations/${orgA}/remittances`, keyA)).status).toBe(200);
    for (const [method, path] of ORG_ROUTES) {
      expect((await call(method, `/v1/organisations/${orgB}${path}`, keyA)).status, `${method} ${path}`).toBe(
        404,
      );
    }
    expect(
      (await api("/v1/organisations", { token: keyA })).body.organisations.map((o: { id: string }) => o.id),
    ).toEqual([orgA]);
    expect((await api("/v1/api-keys", { token: keyA })).status).toBe(403);
  });

  it("another organisation's remittance id is not found", async () => {
    for (const path of [`/remittances/${remittanceA}`, `/remittances/${remittanceA}/preview`]) {
      const r = await api(`/v1/organisations/${orgB}${path}`, {
        method: path.endsWith("preview") ? "POST" : "GET",
        token: owner,
      });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe("not_found");
    }
    expect((await api(`/v1/organisations/${orgA}/remittances/${remittanceA}`, { token: owner })).status).toBe(
      200,
    );
  });
});

describe("transport security", () => {
  it("answers an oversized upload with a clear 413", async () => {
    const big = new Uint8Array(17 * 1024 * 1024);
    const r = await api(`/v1/organisations/${orgA}/remittances`, {
      method: "POST",
      token: owner,
      headers: { "content-type": "application/octet-stream" },
      body: big,
    });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe("payload_too_large");
    expect(r.body.error.message).toContain("16 MiB");
    const small = await api("/v1/api-keys", {
      method: "POST",
      token: owner,
      json: { organisationId: orgA, name: "x".repeat(2 * 1024 * 1024) },
    });
    expect(small.status).toBe(413);
  });

  it("allows CORS only for the add-in origin", async () => {
    const preflight = (origin: string) =>
      api("/v1/organisations", {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "GET",
          "access-control-request-headers": "authorization",
        },
      });
    expect((await preflight(ADDIN)).headers.get("access-control-allow-origin")).toBe(ADDIN);
    expect((await preflight("https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
    const get = await api("/v1/organisations", { token: owner, headers: { origin: "https://evil.example" } });
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("validates input with field paths in the envelope", async () => {
    const r = await api("/v1/api-keys", { method: "POST", token: owner, json: { organisationId: orgA } });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("validation_failed");
    expect(r.body.error.issues[0].path).toEqual(["name"]);
  });

  it("serves the OpenAPI document", async () => {
    const r = await api("/v1/openapi.json");
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe("3.1.0");
    expect(Object.keys(r.body.paths)).toContain("/v1/organisations/{orgId}/remittances/{id}/preview");
  });
});

describe("Xero webhooks", () => {
  const sign = async (body: string) =>
    bytesToBase64(await hmacSha256("test-webhook-key", new TextEncoder().encode(body)));
  const post = (body: string, signature: string) =>
    api("/v1/webhooks/xero", {
      method: "POST",
      headers: { "x-xero-signature": signature, "content-type": "application/json" },
      body,
    });

  it("answers intent-to-receive: 200 for a good signature, 401 for a bad one", async () => {
    const body = JSON.stringify({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: "X" });
    expect((await post(body, await sign(body))).status).toBe(200);
    expect((await post(body, await sign(`${body} `))).status).toBe(401);
    expect((await post(body, "not base64 !!")).status).toBe(401);
    expect((await post(body, "")).status).toBe(401);
  });

  it("records invoice and credit-note events once (at-least-once delivery)", async () => {
    const event = (category: string, id: string) => ({
      resourceUrl: `https://api.xero.com/api.xro/2.0/${category}/${id}`,
      resourceId: id,
      eventDateUtc: "2026-02-10T12:00:00.000",
      eventType: "UPDATE",
      eventCategory: category,
      tenantId: orgA,
      tenantType: "ORGANISATION",
    });
    const body = JSON.stringify({
      events: [event("INVOICE", "i-1"), event("CREDITNOTE", "c-1"), event("CONTACT", "k-1")],
      entropy: "Y",
    });
    const sig = await sign(body);
    expect((await post(body, sig)).status).toBe(200);
    expect((await post(body, sig)).status).toBe(200);
    const rows = await testEnv.DB.prepare(
      "SELECT category, resource_id FROM webhook_events WHERE tenant_id = ?1 ORDER BY category",
    )
      .bind(orgA)
      .all();
    expect(rows.results).toEqual([
      { category: "CREDITNOTE", resource_id: "c-1" },
      { category: "INVOICE", resource_id: "i-1" },
    ]);
  });
});

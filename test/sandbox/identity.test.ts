import { beforeEach, describe, expect, it } from "vitest";
import { advanceClock, call, raw, setClock } from "./helpers";

const CLIENT = "VCXSANDBOXCLIENTID";
const basic = (id: string, secret: string) => `Basic ${btoa(`${id}:${secret}`)}`;
const REDIRECT = "http://localhost:8787/oauth/callback";

async function token(form: Record<string, string>, auth = basic(CLIENT, "vcx-sandbox-secret")) {
  return call("/connect/token", {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
}

async function consent(tenantIds: string[], scope = "offline_access accounting.invoices") {
  const page = await raw(
    `/identity/connect/authorize?response_type=code&client_id=${CLIENT}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=${encodeURIComponent(scope)}&state=xyz`,
  );
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("<form");
  const form = new URLSearchParams({
    response_type: "code",
    client_id: CLIENT,
    redirect_uri: REDIRECT,
    scope,
    state: "xyz",
  });
  for (const t of tenantIds) form.append("tenant", t);
  const res = await raw("/identity/connect/authorize", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
    redirect: "manual",
  });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location") ?? "");
  expect(location.searchParams.get("state")).toBe("xyz");
  return location.searchParams.get("code") ?? "";
}

const US = "a3f0c1de-5b1e-4c5a-9d1e-000000000001";

describe("identity", () => {
  beforeEach(() => setClock("2026-02-10T12:00:00Z"));

  it("runs the code flow: consent → code → tokens → /connections → API call", async () => {
    const code = await consent([US]);
    const t = await token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ token_type: "Bearer", expires_in: 1800 });
    expect(t.body.refresh_token).toBeTruthy();
    const claims = JSON.parse(atob(t.body.access_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    const conns = await call(`/connections?authEventId=${claims.authentication_event_id}`, {
      headers: { authorization: `Bearer ${t.body.access_token}` },
    });
    expect(conns.body).toEqual([expect.objectContaining({ tenantId: US, tenantType: "ORGANISATION" })]);
    const org = await call("/api.xro/2.0/Organisation", {
      headers: { authorization: `Bearer ${t.body.access_token}`, "xero-tenant-id": US },
    });
    expect(org.status).toBe(200);
    // a code is single-use
    expect((await token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT })).body.error).toBe(
      "invalid_grant",
    );
  });

  it("expires access tokens after 30 minutes with a TokenExpired 401", async () => {
    const t = await token({
      grant_type: "authorization_code",
      code: await consent([US]),
      redirect_uri: REDIRECT,
    });
    await advanceClock(30 * 60_000);
    const r = await call("/api.xro/2.0/Organisation", {
      headers: { authorization: `Bearer ${t.body.access_token}`, "xero-tenant-id": US },
    });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ Title: "Unauthorized", Status: 401 });
    expect(r.body.Detail).toMatch(/^TokenExpired: token expired at /);
  });

  it("rotates refresh tokens; the previous one works for 30 minutes of grace, then invalid_grant", async () => {
    const first = await token({
      grant_type: "authorization_code",
      code: await consent([US]),
      redirect_uri: REDIRECT,
    });
    const r1 = await token({ grant_type: "refresh_token", refresh_token: first.body.refresh_token });
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).not.toBe(first.body.refresh_token);
    await advanceClock(29 * 60_000);
    expect(
      (await token({ grant_type: "refresh_token", refresh_token: first.body.refresh_token })).status,
    ).toBe(200);
    await advanceClock(2 * 60_000);
    const late = await token({ grant_type: "refresh_token", refresh_token: first.body.refresh_token });
    expect(late.status).toBe(400);
    expect(late.body.error).toBe("invalid_grant");
    expect((await token({ grant_type: "refresh_token", refresh_token: r1.body.refresh_token })).status).toBe(
      200,
    );
  });

  it("client_credentials for a custom connection needs no xero-tenant-id", async () => {
    const t = await token(
      { grant_type: "client_credentials" },
      basic("VCXCUSTOMCONNECTIONID", "vcx-custom-secret"),
    );
    expect(t.status).toBe(200);
    expect(t.body.refresh_token).toBeUndefined();
    const r = await call("/api.xro/2.0/Organisation", {
      headers: { authorization: `Bearer ${t.body.access_token}` },
    });
    expect(r.status).toBe(200);
    expect(r.body.Organisations[0].OrganisationID).toBe(US);
    expect((await token({ grant_type: "client_credentials" })).body.error).toBe("unauthorized_client");
  });

  it("requires xero-tenant-id and a connection for that tenant (403), and a token (401)", async () => {
    const t = await token({
      grant_type: "authorization_code",
      code: await consent([US]),
      redirect_uri: REDIRECT,
    });
    const auth = { authorization: `Bearer ${t.body.access_token}` };
    expect((await call("/api.xro/2.0/Organisation", { headers: auth })).status).toBe(403);
    const other = await call("/api.xro/2.0/Organisation", {
      headers: { ...auth, "xero-tenant-id": crypto.randomUUID() },
    });
    expect(other.status).toBe(403);
    expect(other.body.Title).toBe("Forbidden");
    expect((await call("/api.xro/2.0/Organisation", { headers: { "xero-tenant-id": US } })).status).toBe(401);
    expect((await token({ grant_type: "client_credentials" }, basic(CLIENT, "wrong"))).body.error).toBe(
      "invalid_client",
    );
  });

  it("revocation removes the user's connections; DELETE /connections/{id} disconnects one", async () => {
    const t = await token({
      grant_type: "authorization_code",
      code: await consent([US]),
      redirect_uri: REDIRECT,
    });
    const auth = { authorization: `Bearer ${t.body.access_token}` };
    const conns = (await call("/connections", { headers: auth })).body;
    const del = await raw(`/connections/${conns[0].id}`, { method: "DELETE", headers: auth });
    expect(del.status).toBe(204);
    expect(
      (await call("/api.xro/2.0/Organisation", { headers: { ...auth, "xero-tenant-id": US } })).status,
    ).toBe(403);
    const t2 = await token({
      grant_type: "authorization_code",
      code: await consent([US]),
      redirect_uri: REDIRECT,
    });
    const rev = await call("/connect/revocation", {
      method: "POST",
      headers: {
        authorization: basic(CLIENT, "vcx-sandbox-secret"),
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ token: t2.body.refresh_token }).toString(),
    });
    expect(rev.status).toBe(200);
    expect(
      (await token({ grant_type: "refresh_token", refresh_token: t2.body.refresh_token })).body.error,
    ).toBe("invalid_grant");
  });
});

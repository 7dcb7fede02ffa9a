import { describe, expect, it } from "vitest";
import { api, consent, newTenant, oneTimeCodeOf, sandbox, signIn, testEnv } from "./helpers";

describe("Sign in with Xero and connections (against the sandbox)", () => {
  it("signs in through the Office-dialog flow and records each connected organisation", async () => {
    const a = await newTenant({ name: "Alpha Co" });
    const b = await newTenant({ version: "UK", name: "Beta Ltd" });
    const { callbackUrl } = await consent([a.tenantId, b.tenantId]);
    const page = await api(callbackUrl, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.text).toContain("Office.context.ui.messageParent");
    expect(page.text).toContain('"type\\":\\"vcx-auth\\"');
    expect(page.text).toContain("https://addin.vcx.test");
    const code = oneTimeCodeOf(page.text);
    const session = await api("/v1/auth/exchange", { method: "POST", json: { code } });
    expect(session.status).toBe(200);
    expect(session.body.token).toMatch(/^vcxs_/);
    expect(Date.parse(session.body.expiresAt)).toBeGreaterThan(Date.now());
    expect(session.body.user.id).toBeTruthy();

    const orgs = await api("/v1/organisations", { token: session.body.token });
    expect(orgs.status).toBe(200);
    const mine = orgs.body.organisations.filter((o: { id: string }) =>
      [a.tenantId, b.tenantId].includes(o.id),
    );
    expect(mine.map((o: { name: string; connection: string }) => [o.name, o.connection]).sort()).toEqual([
      ["Alpha Co", "ok"],
      ["Beta Ltd", "ok"],
    ]);

    const status = await api(`/v1/organisations/${b.tenantId}/status`, { token: session.body.token });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      id: b.tenantId,
      baseCurrency: "GBP",
      periodLockDate: "2026-01-31",
      endOfYearLockDate: null,
      connection: "ok",
    });
    expect(status.body.apiBudget.dayRemaining).toBeGreaterThan(0);
  });

  it("the one-time code works once", async () => {
    const { callbackUrl } = await consent([(await newTenant()).tenantId]);
    const code = oneTimeCodeOf((await api(callbackUrl)).text);
    expect((await api("/v1/auth/exchange", { method: "POST", json: { code } })).status).toBe(200);
    const again = await api("/v1/auth/exchange", { method: "POST", json: { code } });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe("invalid_code");
  });

  it("refuses a state it did not issue, and a replayed callback", async () => {
    const { callbackUrl } = await consent([(await newTenant()).tenantId]);
    const forged = callbackUrl.replace(/state=[^&]+/, "state=forged");
    const bad = await api(forged);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "state_mismatch" });
    expect(bad.body.error.requestId).toBeTruthy();
    expect((await api(callbackUrl)).status).toBe(200);
    const replay = await api(callbackUrl);
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe("state_mismatch");
  });

  it("refuses a Xero code that was already used (state valid)", async () => {
    const tenant = await newTenant();
    const first = await consent([tenant.tenantId]);
    expect((await api(first.callbackUrl)).status).toBe(200);
    // A fresh state, but the old (used) code.
    const second = await consent([tenant.tenantId]);
    const oldCode = new URL(`http://x${first.callbackUrl}`).searchParams.get("code") ?? "";
    const replayed = await api(
      `/v1/auth/xero/callback?code=${encodeURIComponent(oldCode)}&state=${second.state}`,
    );
    expect(replayed.status).toBe(400);
    expect(replayed.body.error.code).toBe("code_rejected");
  });

  it("stores Xero tokens encrypted: not readable without the key", async () => {
    const tenant = await newTenant();
    await signIn([tenant.tenantId]);
    const grant = await testEnv.DB.prepare(
      "SELECT g.* FROM xero_grants g JOIN organisations o ON o.grant_id = g.id WHERE o.id = ?1",
    )
      .bind(tenant.tenantId)
      .first<{ id: string; access_token_enc: string; refresh_token_enc: string }>();
    expect(grant?.access_token_enc).toMatch(/^v1\./);
    expect(grant?.access_token_enc).not.toContain("eyJ");
    const { TokenCipher } = await import("../../worker/src/auth/crypto");
    const wrong = await TokenCipher.fromSecret(btoa("x".repeat(32)));
    await expect(wrong.decrypt(grant?.access_token_enc ?? "", `vcx:${grant?.id}:access`)).rejects.toThrow();
    const right = await TokenCipher.fromSecret(testEnv.TOKEN_ENCRYPTION_KEY);
    expect(await right.decrypt(grant?.access_token_enc ?? "", `vcx:${grant?.id}:access`)).toMatch(/^eyJ/);
    // Bound to its grant: the same ciphertext does not open under another grant id.
    await expect(right.decrypt(grant?.access_token_enc ?? "", "vcx:other:access")).rejects.toThrow();
  });

  it("connects a custom connection (client_credentials) and reaches its organisation", async () => {
    const { token } = await signIn([(await newTenant()).tenantId]);
    const r = await api("/v1/connections/custom", {
      method: "POST",
      token,
      json: { clientId: "VCXCUSTOMCONNECTIONID", clientSecret: "vcx-custom-secret" },
    });
    expect(r.status).toBe(201);
    const orgId = r.body.organisation.id;
    const status = await api(`/v1/organisations/${orgId}/status`, { token });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ connection: "ok", connectionKind: "custom", baseCurrency: "USD" });
    const wrong = await api("/v1/connections/custom", {
      method: "POST",
      token,
      json: { clientId: "VCXCUSTOMCONNECTIONID", clientSecret: "nope" },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe("custom_connection_rejected");
  });

  it("logout revokes the session", async () => {
    const { token } = await signIn([(await newTenant()).tenantId]);
    expect((await api("/v1/auth/logout", { method: "POST", token })).status).toBe(204);
    expect((await api("/v1/organisations", { token })).status).toBe(401);
    void sandbox;
  });
});

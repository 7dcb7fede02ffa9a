import { describe, expect, it } from "vitest";
import { TokenCipher } from "../../worker/src/auth/crypto";
import { api, newTenant, sandbox, signIn, testEnv } from "./helpers";

async function grantOf(orgId: string) {
  return testEnv.DB.prepare(
    "SELECT g.* FROM xero_grants g JOIN organisations o ON o.grant_id = g.id WHERE o.id = ?1",
  )
    .bind(orgId)
    .first<{
      id: string;
      refresh_count: number;
      refresh_token_enc: string;
      access_expires_at: string;
      status: string;
    }>();
}

describe("token refresh in the grant's Durable Object", () => {
  it("refreshes exactly once for many concurrent requests, rotating both tokens", async () => {
    const tenant = await newTenant();
    const { token } = await signIn([tenant.tenantId]);
    const before = await grantOf(tenant.tenantId);
    await testEnv.DB.prepare(
      "UPDATE xero_grants SET access_expires_at = '2000-01-01T00:00:00.000Z' WHERE id = ?1",
    )
      .bind(before?.id)
      .run();
    // Five at once: Xero's per-organisation concurrency limit.
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => api(`/v1/organisations/${tenant.tenantId}/status`, { token })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(5).fill(200));
    const after = await grantOf(tenant.tenantId);
    expect(after?.refresh_count).toBe(1);
    expect(after?.refresh_token_enc).not.toBe(before?.refresh_token_enc);
    expect(Date.parse(after?.access_expires_at ?? "")).toBeGreaterThan(Date.now());
    // And the next call uses the new token without refreshing again.
    expect(
      (await api(`/v1/organisations/${tenant.tenantId}/reference/refresh`, { method: "POST", token })).status,
    ).toBe(200);
    expect((await grantOf(tenant.tenantId))?.refresh_count).toBe(1);
  });

  it("answers Xero's 429 with a 503 envelope and Retry-After, not a 500", async () => {
    const tenant = await newTenant();
    const { token } = await signIn([tenant.tenantId]);
    const fault = await sandbox("/sandbox/faults", {
      method: "POST",
      body: JSON.stringify({
        kind: "rate-limit",
        retryAfter: 42,
        problem: "minute",
        pathPrefix: "/api.xro/2.0/Organisation",
      }),
    });
    expect(fault.status, fault.text).toBe(201);
    const r = await api(`/v1/organisations/${tenant.tenantId}/status`, { token });
    await sandbox("/sandbox/faults", { method: "DELETE" });
    expect(r.status).toBe(503);
    expect(r.headers.get("retry-after")).toBe("42");
    expect(r.body.error.code).toBe("xero_rate_limited");
    expect(r.body.retryAfterSeconds).toBe(42);
  });

  it("turns invalid_grant into reconnect_needed, once, instead of a crash loop", async () => {
    const tenant = await newTenant();
    const { token } = await signIn([tenant.tenantId]);
    const grant = await grantOf(tenant.tenantId);
    const cipher = await TokenCipher.fromSecret(testEnv.TOKEN_ENCRYPTION_KEY);
    const bogus = await cipher.encrypt("not-a-refresh-token", `vcx:${grant?.id}:refresh`);
    await testEnv.DB.prepare(
      "UPDATE xero_grants SET access_expires_at = '2000-01-01T00:00:00.000Z', refresh_token_enc = ?2 WHERE id = ?1",
    )
      .bind(grant?.id, bogus)
      .run();
    const r = await api(`/v1/organisations/${tenant.tenantId}/reference/refresh`, { method: "POST", token });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("reconnect_needed");
    expect((await grantOf(tenant.tenantId))?.status).toBe("reconnect_needed");
    const orgs = await api("/v1/organisations", { token });
    expect(orgs.body.organisations.find((o: { id: string }) => o.id === tenant.tenantId).connection).toBe(
      "reconnect_needed",
    );
    const status = await api(`/v1/organisations/${tenant.tenantId}/status`, { token });
    expect(status.status).toBe(200);
    expect(status.body.connection).toBe("reconnect_needed");
    // Signing in again reconnects.
    await signIn([tenant.tenantId]);
    expect(
      (await api(`/v1/organisations/${tenant.tenantId}/reference/refresh`, { method: "POST", token })).status,
    ).toBe(200);
  });
});

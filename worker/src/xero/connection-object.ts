/**
 * XeroConnection Durable Object. Two kinds of instance, one class:
 *  - `grant:<grantId>` — the single refresher of one Xero token set (a consent can cover several
 *    organisations, so the token set, not the organisation, is what must never be refreshed twice).
 *    Concurrent callers share one in-flight refresh; the rotated access + refresh tokens are written in one
 *    UPDATE (atomic, version-guarded); `invalid_grant` marks the grant "reconnect_needed" once instead of
 *    retrying in a loop.
 *  - `org:<tenantId>` — one per Xero organisation: keeps its last seen API budget (X-*-Remaining headers).
 *    The posting engine (issue 6) adds the organisation's queue and rate-limit gate here.
 */
import { DurableObject } from "cloudflare:workers";
import { TokenCipher } from "../auth/crypto";
import type { Env } from "../env";
import { type GrantRow, getGrant, sealTokens, tokenContext } from "../store/organisations";
import { nowIso } from "../store/time";
import type { XeroLimits } from "./client";
import { xeroConfig } from "./config";
import { clientCredentials, refreshTokens, type TokenSet, XeroGrantError } from "./identity";

export type AccessResult =
  | { ok: true; token: string; expiresAt: string }
  | { ok: false; reason: "reconnect_needed" | "not_connected" };

/** Refresh this long before Xero's 30-minute expiry. */
const EARLY_MS = 2 * 60_000;
/** A forced refresh (after a 401) within this window of the last one reuses it. */
const FORCE_DEBOUNCE_MS = 10_000;

export class XeroConnection extends DurableObject<Env> {
  private cached?: { token: string; expiresMs: number };
  private refreshing?: Promise<AccessResult>;
  private lastRefreshMs = 0;

  /** A valid access token for the grant, refreshing (once, for all concurrent callers) when needed. */
  async accessToken(grantId: string, force = false): Promise<AccessResult> {
    if (this.refreshing) return this.refreshing;
    const now = Date.now();
    const recent = now - this.lastRefreshMs < FORCE_DEBOUNCE_MS;
    if (this.cached && (!force || recent) && this.cached.expiresMs - EARLY_MS > now) {
      return { ok: true, token: this.cached.token, expiresAt: nowIso(this.cached.expiresMs) };
    }
    const grant = await getGrant(this.env.DB, grantId);
    if (this.refreshing) return this.refreshing;
    if (!grant) return { ok: false, reason: "not_connected" };
    if (grant.status === "reconnect_needed") return { ok: false, reason: "reconnect_needed" };
    const cipher = await TokenCipher.fromSecret(this.env.TOKEN_ENCRYPTION_KEY);
    const expiresMs = Date.parse(grant.access_expires_at);
    if (expiresMs - EARLY_MS > now && (!force || recent)) {
      const token = await cipher.decrypt(grant.access_token_enc, tokenContext(grantId, "access"));
      this.cached = { token, expiresMs };
      return { ok: true, token, expiresAt: grant.access_expires_at };
    }
    if (this.refreshing) return this.refreshing;
    this.refreshing = this.refresh(grant, cipher).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(grant: GrantRow, cipher: TokenCipher): Promise<AccessResult> {
    const cfg = xeroConfig(this.env);
    let tokens: TokenSet;
    try {
      if (grant.kind === "custom") {
        if (!grant.client_credentials_enc) return this.markReconnect(grant.id);
        const creds = JSON.parse(
          await cipher.decrypt(grant.client_credentials_enc, tokenContext(grant.id, "client")),
        ) as { clientId: string; clientSecret: string };
        tokens = await clientCredentials(cfg, creds.clientId, creds.clientSecret);
      } else {
        if (!grant.refresh_token_enc) return this.markReconnect(grant.id);
        tokens = await refreshTokens(
          cfg,
          await cipher.decrypt(grant.refresh_token_enc, tokenContext(grant.id, "refresh")),
        );
      }
    } catch (e) {
      if (e instanceof XeroGrantError && e.reconnectNeeded) return this.markReconnect(grant.id);
      throw e;
    }
    const sealed = await sealTokens(cipher, grant.id, {
      accessToken: tokens.access_token,
      expiresInSeconds: tokens.expires_in,
      refreshToken: tokens.refresh_token,
    });
    // Both rotated tokens in one statement: never the new access token without the new refresh token.
    await this.env.DB.prepare(
      `UPDATE xero_grants SET access_token_enc = ?2, access_expires_at = ?3,
         refresh_token_enc = COALESCE(?4, refresh_token_enc), token_version = token_version + 1,
         refresh_count = refresh_count + 1, updated_at = ?5
       WHERE id = ?1 AND token_version = ?6`,
    )
      .bind(grant.id, sealed.access, sealed.expiresAt, sealed.refresh, nowIso(), grant.token_version)
      .run();
    this.lastRefreshMs = Date.now();
    this.cached = { token: tokens.access_token, expiresMs: Date.parse(sealed.expiresAt) };
    return { ok: true, token: tokens.access_token, expiresAt: sealed.expiresAt };
  }

  private async markReconnect(grantId: string): Promise<AccessResult> {
    this.cached = undefined;
    await this.env.DB.prepare(
      "UPDATE xero_grants SET status = 'reconnect_needed', updated_at = ?2 WHERE id = ?1",
    )
      .bind(grantId, nowIso())
      .run();
    return { ok: false, reason: "reconnect_needed" };
  }

  async recordLimits(limits: XeroLimits): Promise<void> {
    if (limits.dayRemaining === undefined && limits.minuteRemaining === undefined) return;
    await this.ctx.storage.put("limits", limits);
  }

  async limits(): Promise<XeroLimits | null> {
    return (await this.ctx.storage.get<XeroLimits>("limits")) ?? null;
  }
}

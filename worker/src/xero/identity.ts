/**
 * Xero identity over plain fetch (xero-node's XeroClient cannot run in workerd: openid-client v5):
 * authorize URL, code exchange, refresh (rotating), client_credentials, revocation and /connections.
 */
import { z } from "zod";
import type { XeroConfig } from "./config";
import { XERO_SCOPES } from "./config";

export const tokenSetSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number(),
  refresh_token: z.string().optional(),
  id_token: z.string().optional(),
  scope: z.string().optional(),
});
export type TokenSet = z.infer<typeof tokenSetSchema>;

export const connectionSchema = z.object({
  id: z.string(),
  authEventId: z.string().nullish(),
  tenantId: z.string(),
  tenantType: z.string(),
  tenantName: z.string().nullish(),
});
export type XeroConnectionInfo = z.infer<typeof connectionSchema>;

/** The token endpoint refused the grant: `invalid_grant` means the user must reconnect. */
export class XeroGrantError extends Error {
  override name = "XeroGrantError";
  constructor(
    readonly error: string,
    readonly status: number,
  ) {
    super(`Xero token endpoint refused the grant: ${error} (HTTP ${status})`);
  }
  get reconnectNeeded(): boolean {
    return (
      this.error === "invalid_grant" ||
      this.error === "unauthorized_client" ||
      this.error === "invalid_client"
    );
  }
}

export function authorizeUrl(cfg: XeroConfig, state: string): string {
  const url = new URL(cfg.loginUrl);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", cfg.clientId);
  url.searchParams.set("redirect_uri", cfg.redirectUri);
  url.searchParams.set("scope", XERO_SCOPES);
  url.searchParams.set("state", state);
  return url.toString();
}

async function tokenRequest(
  cfg: XeroConfig,
  form: Record<string, string>,
  credentials: { clientId: string; clientSecret: string } = cfg,
): Promise<TokenSet> {
  const res = await cfg.fetch(`${cfg.identityUrl}/connect/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${btoa(`${credentials.clientId}:${credentials.clientSecret}`)}`,
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
    },
    body: new URLSearchParams(form).toString(),
  });
  const json = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new XeroGrantError(json.error ?? "http_error", res.status);
  return tokenSetSchema.parse(json);
}

export const exchangeCode = (cfg: XeroConfig, code: string) =>
  tokenRequest(cfg, { grant_type: "authorization_code", code, redirect_uri: cfg.redirectUri });

export const refreshTokens = (cfg: XeroConfig, refreshToken: string) =>
  tokenRequest(cfg, { grant_type: "refresh_token", refresh_token: refreshToken });

export const clientCredentials = (cfg: XeroConfig, clientId: string, clientSecret: string) =>
  tokenRequest(cfg, { grant_type: "client_credentials" }, { clientId, clientSecret });

export async function listConnections(
  cfg: XeroConfig,
  accessToken: string,
  authEventId?: string,
): Promise<XeroConnectionInfo[]> {
  const url = new URL(`${cfg.apiUrl}/connections`);
  if (authEventId) url.searchParams.set("authEventId", authEventId);
  const res = await cfg.fetch(url.toString(), {
    headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
  });
  if (!res.ok) throw new Error(`Xero /connections answered ${res.status}`);
  return z.array(connectionSchema).parse(await res.json());
}

/** The claims VCX reads from Xero's access/id tokens (received directly from the token endpoint). */
export interface XeroClaims {
  xeroUserId?: string;
  authEventId?: string;
  email?: string;
  name?: string;
}

export function readClaims(jwt: string | undefined): XeroClaims {
  const payload = jwt?.split(".")[1];
  if (!payload) return {};
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
    const str = (k: string) => (typeof json[k] === "string" ? (json[k] as string) : undefined);
    const given = [str("given_name"), str("family_name")].filter(Boolean).join(" ");
    return {
      xeroUserId: str("xero_userid") ?? str("sub"),
      authEventId: str("authentication_event_id"),
      email: str("email"),
      name: str("name") ?? (given || undefined),
    };
  } catch {
    return {};
  }
}

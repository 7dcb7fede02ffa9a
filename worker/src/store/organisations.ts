/**
 * Organisations (Xero tenants), the Xero grants (token sets) that reach them, and which users may reach
 * them. A grant's tokens are AES-GCM ciphertexts bound to the grant id; only the grant's XeroConnection
 * Durable Object refreshes them.
 */
import type { TokenCipher } from "../auth/crypto";
import { nowIso } from "./time";

export type ConnectionKind = "oauth" | "custom";
export type ConnectionStatus = "ok" | "reconnect_needed";

export interface GrantRow {
  id: string;
  kind: ConnectionKind;
  user_id: string;
  auth_event_id: string | null;
  status: ConnectionStatus;
  access_token_enc: string;
  access_expires_at: string;
  refresh_token_enc: string | null;
  client_credentials_enc: string | null;
  token_version: number;
  refresh_count: number;
}

/** An organisation with its grant's kind and status. */
export interface OrgRow {
  id: string;
  name: string;
  base_currency: string | null;
  grant_id: string;
  xero_connection_id: string | null;
  kind: ConnectionKind;
  status: ConnectionStatus;
}

export interface TokenInput {
  accessToken: string;
  expiresInSeconds: number;
  refreshToken?: string | undefined;
}

/** Encryption context: binds a ciphertext to its grant and purpose. */
export const tokenContext = (grantId: string, what: "access" | "refresh" | "client") =>
  `vcx:${grantId}:${what}`;

export async function sealTokens(cipher: TokenCipher, grantId: string, t: TokenInput) {
  return {
    access: await cipher.encrypt(t.accessToken, tokenContext(grantId, "access")),
    refresh: t.refreshToken ? await cipher.encrypt(t.refreshToken, tokenContext(grantId, "refresh")) : null,
    expiresAt: nowIso(Date.now() + t.expiresInSeconds * 1000),
  };
}

export interface GrantInput {
  kind: ConnectionKind;
  userId: string;
  authEventId?: string | undefined;
  tokens: TokenInput;
  clientCredentials?: { clientId: string; clientSecret: string };
  organisations: { id: string; name: string; xeroConnectionId?: string | undefined }[];
}

/**
 * Record a consent (or custom connection): the new grant, its organisations pointed at it, and access for
 * the consenting user — one atomic batch. Returns the grant id.
 */
export async function recordGrant(db: D1Database, cipher: TokenCipher, input: GrantInput): Promise<string> {
  const grantId = crypto.randomUUID();
  const sealed = await sealTokens(cipher, grantId, input.tokens);
  const client = input.clientCredentials
    ? await cipher.encrypt(JSON.stringify(input.clientCredentials), tokenContext(grantId, "client"))
    : null;
  const now = nowIso();
  const statements = [
    db
      .prepare(
        `INSERT INTO xero_grants (id, kind, user_id, auth_event_id, status, access_token_enc, access_expires_at,
           refresh_token_enc, client_credentials_enc, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'ok', ?5, ?6, ?7, ?8, ?9, ?9)`,
      )
      .bind(
        grantId,
        input.kind,
        input.userId,
        input.authEventId ?? null,
        sealed.access,
        sealed.expiresAt,
        sealed.refresh,
        client,
        now,
      ),
  ];
  for (const org of input.organisations) {
    statements.push(
      db
        .prepare(
          `INSERT INTO organisations (id, name, grant_id, xero_connection_id, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?5)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, grant_id = excluded.grant_id,
             xero_connection_id = excluded.xero_connection_id, updated_at = excluded.updated_at`,
        )
        .bind(org.id, org.name, grantId, org.xeroConnectionId ?? null, now),
      db
        .prepare("INSERT OR IGNORE INTO user_organisations (user_id, org_id, granted_at) VALUES (?1, ?2, ?3)")
        .bind(input.userId, org.id, now),
    );
  }
  await db.batch(statements);
  return grantId;
}

const ORG_SELECT = `SELECT o.id, o.name, o.base_currency, o.grant_id, o.xero_connection_id, g.kind, g.status
  FROM organisations o JOIN xero_grants g ON g.id = o.grant_id`;

export const getOrg = (db: D1Database, orgId: string) =>
  db.prepare(`${ORG_SELECT} WHERE o.id = ?1`).bind(orgId).first<OrgRow>();

export const getGrant = (db: D1Database, grantId: string) =>
  db.prepare("SELECT * FROM xero_grants WHERE id = ?1").bind(grantId).first<GrantRow>();

export async function userOrganisations(db: D1Database, userId: string): Promise<OrgRow[]> {
  const r = await db
    .prepare(
      `${ORG_SELECT} JOIN user_organisations u ON u.org_id = o.id WHERE u.user_id = ?1 ORDER BY o.name`,
    )
    .bind(userId)
    .all<OrgRow>();
  return r.results;
}

export async function allConnectedOrganisations(db: D1Database): Promise<OrgRow[]> {
  return (await db.prepare(`${ORG_SELECT} WHERE g.status = 'ok'`).all<OrgRow>()).results;
}

export async function userCanAccess(db: D1Database, userId: string, orgId: string): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS ok FROM user_organisations WHERE user_id = ?1 AND org_id = ?2")
    .bind(userId, orgId)
    .first<{ ok: number }>();
  return row !== null;
}

export async function setOrgDetails(
  db: D1Database,
  orgId: string,
  name: string | undefined,
  baseCurrency: string | undefined,
) {
  await db
    .prepare(
      "UPDATE organisations SET name = COALESCE(?2, name), base_currency = COALESCE(?3, base_currency), updated_at = ?4 WHERE id = ?1",
    )
    .bind(orgId, name ?? null, baseCurrency ?? null, nowIso())
    .run();
}

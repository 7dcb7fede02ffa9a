/** API keys for the CLI and automation: named, scoped to one organisation, revocable, hashed at rest. */
import { nowIso } from "../store/time";
import { randomToken, sha256Hex } from "./crypto";

export const API_KEY_PREFIX = "vcxk_";

export interface ApiKeyView {
  id: string;
  name: string;
  organisationId: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export async function createApiKey(
  db: D1Database,
  userId: string,
  orgId: string,
  name: string,
): Promise<{ id: string; key: string }> {
  const id = crypto.randomUUID();
  const key = randomToken(API_KEY_PREFIX);
  await db
    .prepare(
      "INSERT INTO api_keys (id, key_hash, user_id, org_id, name, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(id, await sha256Hex(key), userId, orgId, name, nowIso())
    .run();
  return { id, key };
}

export async function listApiKeys(db: D1Database, userId: string): Promise<ApiKeyView[]> {
  const r = await db
    .prepare(
      `SELECT id, name, org_id AS organisationId, created_at AS createdAt, last_used_at AS lastUsedAt,
         revoked_at AS revokedAt FROM api_keys WHERE user_id = ?1 ORDER BY created_at`,
    )
    .bind(userId)
    .all<ApiKeyView>();
  return r.results;
}

/** Revoke one of the user's keys; false when the user has no such key. */
export async function revokeApiKey(db: D1Database, userId: string, id: string): Promise<boolean> {
  const r = await db
    .prepare("UPDATE api_keys SET revoked_at = ?3 WHERE id = ?1 AND user_id = ?2 AND revoked_at IS NULL")
    .bind(id, userId, nowIso())
    .run();
  return r.meta.changes > 0;
}

/** The user and organisation of a live key, or null. */
export async function apiKeyPrincipal(
  db: D1Database,
  key: string,
): Promise<{ userId: string; orgId: string } | null> {
  const hash = await sha256Hex(key);
  const row = await db
    .prepare("SELECT id, user_id, org_id FROM api_keys WHERE key_hash = ?1 AND revoked_at IS NULL")
    .bind(hash)
    .first<{ id: string; user_id: string; org_id: string }>();
  if (!row) return null;
  await db.prepare("UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1").bind(row.id, nowIso()).run();
  return { userId: row.user_id, orgId: row.org_id };
}

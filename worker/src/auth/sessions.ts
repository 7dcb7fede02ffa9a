/** Sessions: short-lived bearer tokens bound to a VCX user; only their SHA-256 is stored. */
import type { Env } from "../env";
import { nowIso } from "../store/time";
import { randomToken, sha256Hex } from "./crypto";

export const SESSION_PREFIX = "vcxs_";

export async function createSession(env: Env, userId: string): Promise<{ token: string; expiresAt: string }> {
  const token = randomToken(SESSION_PREFIX);
  const ttl = Number(env.SESSION_TTL_SECONDS ?? 28_800) || 28_800;
  const expiresAt = nowIso(Date.now() + ttl * 1000);
  await env.DB.prepare(
    "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
  )
    .bind(await sha256Hex(token), userId, nowIso(), expiresAt)
    .run();
  return { token, expiresAt };
}

/** The user of a live session, or null (unknown, expired or revoked — indistinguishable to callers). */
export async function sessionUser(db: D1Database, token: string): Promise<string | null> {
  const row = await db
    .prepare("SELECT user_id FROM sessions WHERE token_hash = ?1 AND revoked_at IS NULL AND expires_at > ?2")
    .bind(await sha256Hex(token), nowIso())
    .first<{ user_id: string }>();
  return row?.user_id ?? null;
}

export async function revokeSession(db: D1Database, token: string): Promise<void> {
  await db
    .prepare("UPDATE sessions SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL")
    .bind(await sha256Hex(token), nowIso())
    .run();
}

/** Cron: drop expired and revoked sessions, states and one-time codes. */
export async function expireSessions(db: D1Database): Promise<number> {
  const now = nowIso();
  const results = await db.batch([
    db.prepare("DELETE FROM sessions WHERE expires_at <= ?1 OR revoked_at IS NOT NULL").bind(now),
    db.prepare("DELETE FROM oauth_states WHERE expires_at <= ?1").bind(now),
    db.prepare("DELETE FROM auth_codes WHERE expires_at <= ?1 OR used_at IS NOT NULL").bind(now),
  ]);
  return results[0]?.meta.changes ?? 0;
}

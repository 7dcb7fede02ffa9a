import { nowIso } from "./time";

export interface UserRow {
  id: string;
  xero_user_id: string;
  email: string | null;
  name: string | null;
}

/** The VCX user for a Xero user id, created on first sign-in; email/name refreshed when Xero sends them. */
export async function upsertUser(
  db: D1Database,
  xeroUserId: string,
  email: string | undefined,
  name: string | undefined,
): Promise<UserRow> {
  await db
    .prepare(
      `INSERT INTO users (id, xero_user_id, email, name, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (xero_user_id) DO UPDATE SET email = COALESCE(excluded.email, users.email),
         name = COALESCE(excluded.name, users.name)`,
    )
    .bind(crypto.randomUUID(), xeroUserId, email ?? null, name ?? null, nowIso())
    .run();
  const row = await db
    .prepare("SELECT * FROM users WHERE xero_user_id = ?1")
    .bind(xeroUserId)
    .first<UserRow>();
  if (!row) throw new Error("user upsert failed");
  return row;
}

export const getUser = (db: D1Database, id: string) =>
  db.prepare("SELECT * FROM users WHERE id = ?1").bind(id).first<UserRow>();

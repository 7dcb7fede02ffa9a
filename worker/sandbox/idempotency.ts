/**
 * Idempotency-Key (≤ 128 chars, per app): within 6 minutes of the first call the same key with the
 * same method/URL/tenant/body replays the original response; with a different request → 400. After
 * 6 minutes the key is forgotten and the request is new (the source of real-life duplicates).
 */
export const IDEMPOTENCY_WINDOW_MS = 6 * 60_000;
export const MAX_KEY_LENGTH = 128;

export type IdempotencyLookup =
  | { kind: "new" }
  | { kind: "replay"; status: number; body: string }
  | { kind: "mismatch" };

export class IdempotencyStore {
  constructor(private readonly sql: SqlStorage) {}

  lookup(app: string, key: string, fingerprint: string, now: number): IdempotencyLookup {
    const row = this.sql
      .exec(
        "SELECT fingerprint, created_ms, status, body FROM idempotency WHERE app = ? AND key = ?",
        app,
        key,
      )
      .toArray()[0];
    if (!row) return { kind: "new" };
    if (now - Number(row["created_ms"]) >= IDEMPOTENCY_WINDOW_MS) {
      this.sql.exec("DELETE FROM idempotency WHERE app = ? AND key = ?", app, key);
      return { kind: "new" };
    }
    if (row["fingerprint"] !== fingerprint) return { kind: "mismatch" };
    return { kind: "replay", status: Number(row["status"]), body: String(row["body"]) };
  }

  store(app: string, key: string, fingerprint: string, now: number, status: number, body: string): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO idempotency (app, key, fingerprint, created_ms, status, body) VALUES (?, ?, ?, ?, ?, ?)",
      app,
      key,
      fingerprint,
      now,
      status,
      body,
    );
  }
}

export function fingerprint(method: string, url: URL, tenantId: string, body: string): string {
  const params = [...url.searchParams.entries()].sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([method.toUpperCase(), url.pathname.toLowerCase(), params, tenantId, body]);
}

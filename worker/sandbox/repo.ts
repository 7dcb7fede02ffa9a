/**
 * Storage over the Durable Object's SQLite. Documents are JSON bodies keyed by (tenant, kind, id) with an
 * indexed business number; global identity state uses tenant "". SQLite calls are synchronous, so each
 * request handler runs atomically inside the single sandbox object.
 */

export type Kind =
  | "org"
  | "account"
  | "taxrate"
  | "item"
  | "contact"
  | "invoice"
  | "creditnote"
  | "payment"
  | "allocation"
  | "journal"
  | "banktx"
  | "app"
  | "connection"
  | "grant"
  | "setting";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS docs (tenant TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL,
     num TEXT, seq INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (tenant, kind, id))`,
  `CREATE INDEX IF NOT EXISTS docs_num ON docs (tenant, kind, num)`,
  `CREATE TABLE IF NOT EXISTS idempotency (app TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
     created_ms INTEGER NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (app, key))`,
  `CREATE TABLE IF NOT EXISTS rate_windows (scope TEXT PRIMARY KEY, window INTEGER NOT NULL, count INTEGER NOT NULL)`,
];

export class Repo {
  private seq = 0;

  constructor(readonly sql: SqlStorage) {
    for (const stmt of SCHEMA) sql.exec(stmt);
    const row = sql.exec("SELECT COALESCE(MAX(seq), 0) AS m FROM docs").one();
    this.seq = Number(row["m"]);
  }

  get<T>(tenant: string, kind: Kind, id: string): T | undefined {
    const rows = this.sql
      .exec("SELECT body FROM docs WHERE tenant = ? AND kind = ? AND id = ?", tenant, kind, id)
      .toArray();
    return rows[0] ? (JSON.parse(String(rows[0]["body"])) as T) : undefined;
  }

  byNumber<T>(tenant: string, kind: Kind, num: string): T | undefined {
    const rows = this.sql
      .exec(
        "SELECT body FROM docs WHERE tenant = ? AND kind = ? AND num = ? COLLATE NOCASE",
        tenant,
        kind,
        num,
      )
      .toArray();
    return rows[0] ? (JSON.parse(String(rows[0]["body"])) as T) : undefined;
  }

  /** All documents of a kind, in insertion order. */
  list<T>(tenant: string, kind: Kind): T[] {
    return this.sql
      .exec("SELECT body FROM docs WHERE tenant = ? AND kind = ? ORDER BY seq", tenant, kind)
      .toArray()
      .map((r) => JSON.parse(String(r["body"])) as T);
  }

  put(tenant: string, kind: Kind, id: string, body: unknown, num?: string): void {
    this.seq += 1;
    this.sql.exec(
      `INSERT INTO docs (tenant, kind, id, num, seq, body) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant, kind, id) DO UPDATE SET num = excluded.num, body = excluded.body`,
      tenant,
      kind,
      id,
      num ?? null,
      this.seq,
      JSON.stringify(body),
    );
  }

  delete(tenant: string, kind: Kind, id: string): void {
    this.sql.exec("DELETE FROM docs WHERE tenant = ? AND kind = ? AND id = ?", tenant, kind, id);
  }

  setting<T>(name: string): T | undefined {
    return this.get<T>("", "setting", name);
  }

  setSetting(name: string, value: unknown): void {
    this.put("", "setting", name, value);
  }
}

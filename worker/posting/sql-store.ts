/**
 * PostingStore on Durable Object SQLite (`ctx.storage.sql`). Rows are JSON with the columns needed to
 * find and order them; `transactionSync` makes multi-row steps atomic.
 */
import type { PostingStore } from "./store";
import type { BatchRecord, DocRecord, JobRecord, LedgerEntry } from "./types";

export interface SqlLike {
  exec(query: string, ...bindings: unknown[]): { toArray(): Record<string, unknown>[] };
}

const SCHEMA = [
  "CREATE TABLE IF NOT EXISTS posting_jobs (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, json TEXT NOT NULL)",
  "CREATE TABLE IF NOT EXISTS posting_docs (job_id TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY (job_id, key))",
  "CREATE TABLE IF NOT EXISTS posting_ledger (key TEXT PRIMARY KEY, json TEXT NOT NULL)",
  "CREATE TABLE IF NOT EXISTS posting_batches (key TEXT PRIMARY KEY, job_id TEXT NOT NULL, json TEXT NOT NULL)",
  "CREATE TABLE IF NOT EXISTS posting_meta (name TEXT PRIMARY KEY, json TEXT NOT NULL)",
];

const parse = <T>(row: Record<string, unknown> | undefined): T | undefined =>
  row === undefined ? undefined : (JSON.parse(String(row["json"])) as T);

export class SqlPostingStore implements PostingStore {
  constructor(
    private readonly sql: SqlLike,
    private readonly runInTransaction: <T>(fn: () => T) => T = (fn) => fn(),
  ) {
    for (const s of SCHEMA) sql.exec(s);
  }

  /** For a Durable Object: `SqlPostingStore.forDurableObject(ctx.storage)`. */
  static forDurableObject(storage: { sql: SqlLike; transactionSync<T>(fn: () => T): T }): SqlPostingStore {
    return new SqlPostingStore(storage.sql, (fn) => storage.transactionSync(fn));
  }

  private one<T>(query: string, ...b: unknown[]): T | undefined {
    return parse<T>(this.sql.exec(query, ...b).toArray()[0]);
  }
  private all<T>(query: string, ...b: unknown[]): T[] {
    return this.sql
      .exec(query, ...b)
      .toArray()
      .map((r) => parse<T>(r) as T);
  }

  putJob(job: JobRecord): void {
    this.sql.exec(
      "INSERT INTO posting_jobs (id, created_at, json) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json",
      job.id,
      job.createdAt,
      JSON.stringify(job),
    );
  }
  getJob(id: string): JobRecord | undefined {
    return this.one("SELECT json FROM posting_jobs WHERE id = ?", id);
  }
  listJobs(): JobRecord[] {
    return this.all("SELECT json FROM posting_jobs ORDER BY created_at, rowid");
  }
  putDocs(docs: readonly DocRecord[]): void {
    this.runInTransaction(() => {
      for (const d of docs) {
        this.sql.exec(
          "INSERT INTO posting_docs (job_id, key, seq, json) VALUES (?, ?, ?, ?) ON CONFLICT (job_id, key) DO UPDATE SET seq = excluded.seq, json = excluded.json",
          d.jobId,
          d.key,
          d.seq,
          JSON.stringify(d),
        );
      }
    });
  }
  getDocs(jobId: string): DocRecord[] {
    return this.all("SELECT json FROM posting_docs WHERE job_id = ? ORDER BY seq", jobId);
  }
  getDoc(jobId: string, key: string): DocRecord | undefined {
    return this.one("SELECT json FROM posting_docs WHERE job_id = ? AND key = ?", jobId, key);
  }
  putLedger(entry: LedgerEntry): void {
    this.sql.exec(
      "INSERT INTO posting_ledger (key, json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET json = excluded.json",
      entry.key,
      JSON.stringify(entry),
    );
  }
  getLedger(key: string): LedgerEntry | undefined {
    return this.one("SELECT json FROM posting_ledger WHERE key = ?", key);
  }
  putBatch(batch: BatchRecord): void {
    this.sql.exec(
      "INSERT INTO posting_batches (key, job_id, json) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET json = excluded.json",
      batch.key,
      batch.jobId,
      JSON.stringify(batch),
    );
  }
  getBatch(key: string): BatchRecord | undefined {
    return this.one("SELECT json FROM posting_batches WHERE key = ?", key);
  }
  deleteBatch(key: string): void {
    this.sql.exec("DELETE FROM posting_batches WHERE key = ?", key);
  }
  listBatches(jobId: string): BatchRecord[] {
    return this.all("SELECT json FROM posting_batches WHERE job_id = ?", jobId);
  }
  getMeta<T>(name: string): T | undefined {
    return this.one("SELECT json FROM posting_meta WHERE name = ?", name);
  }
  setMeta(name: string, value: unknown): void {
    this.sql.exec(
      "INSERT INTO posting_meta (name, json) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET json = excluded.json",
      name,
      JSON.stringify(value),
    );
  }
  transaction<T>(fn: () => T): T {
    return this.runInTransaction(fn);
  }
}

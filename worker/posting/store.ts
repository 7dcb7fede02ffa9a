/**
 * Storage behind the posting engine: synchronous (Durable Object SQLite is), row-at-a-time, with a
 * transaction for multi-row steps. Two implementations share one conformance suite
 * (test/posting/store.test.ts): MemoryPostingStore (tests, soak) and SqlPostingStore (ctx.storage.sql).
 */
import type { BatchRecord, DocRecord, JobRecord, LedgerEntry } from "./types";

export interface PostingStore {
  putJob(job: JobRecord): void;
  getJob(id: string): JobRecord | undefined;
  /** Oldest first. */
  listJobs(): JobRecord[];
  putDocs(docs: readonly DocRecord[]): void;
  /** In seq order. */
  getDocs(jobId: string): DocRecord[];
  getDoc(jobId: string, key: string): DocRecord | undefined;
  putLedger(entry: LedgerEntry): void;
  getLedger(key: string): LedgerEntry | undefined;
  putBatch(batch: BatchRecord): void;
  getBatch(key: string): BatchRecord | undefined;
  deleteBatch(key: string): void;
  listBatches(jobId: string): BatchRecord[];
  getMeta<T>(name: string): T | undefined;
  setMeta(name: string, value: unknown): void;
  /** Run `fn` atomically. */
  transaction<T>(fn: () => T): T;
}

const clone = <T>(v: T): T => structuredClone(v);

export class MemoryPostingStore implements PostingStore {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly docs = new Map<string, Map<string, DocRecord>>();
  private readonly ledger = new Map<string, LedgerEntry>();
  private readonly batches = new Map<string, BatchRecord>();
  private readonly meta = new Map<string, unknown>();

  putJob(job: JobRecord): void {
    this.jobs.set(job.id, clone(job));
  }
  getJob(id: string): JobRecord | undefined {
    const j = this.jobs.get(id);
    return j && clone(j);
  }
  listJobs(): JobRecord[] {
    return [...this.jobs.values()].map(clone).sort((a, b) => a.createdAt - b.createdAt);
  }
  putDocs(docs: readonly DocRecord[]): void {
    for (const d of docs) {
      const m = this.docs.get(d.jobId) ?? new Map<string, DocRecord>();
      this.docs.set(d.jobId, m);
      m.set(d.key, clone(d));
    }
  }
  getDocs(jobId: string): DocRecord[] {
    return [...(this.docs.get(jobId)?.values() ?? [])].map(clone).sort((a, b) => a.seq - b.seq);
  }
  getDoc(jobId: string, key: string): DocRecord | undefined {
    const d = this.docs.get(jobId)?.get(key);
    return d && clone(d);
  }
  putLedger(entry: LedgerEntry): void {
    this.ledger.set(entry.key, clone(entry));
  }
  getLedger(key: string): LedgerEntry | undefined {
    const e = this.ledger.get(key);
    return e && clone(e);
  }
  putBatch(batch: BatchRecord): void {
    this.batches.set(batch.key, clone(batch));
  }
  getBatch(key: string): BatchRecord | undefined {
    const b = this.batches.get(key);
    return b && clone(b);
  }
  deleteBatch(key: string): void {
    this.batches.delete(key);
  }
  listBatches(jobId: string): BatchRecord[] {
    return [...this.batches.values()].filter((b) => b.jobId === jobId).map(clone);
  }
  getMeta<T>(name: string): T | undefined {
    const v = this.meta.get(name);
    return v === undefined ? undefined : (clone(v) as T);
  }
  setMeta(name: string, value: unknown): void {
    this.meta.set(name, clone(value));
  }
  transaction<T>(fn: () => T): T {
    return fn();
  }
}

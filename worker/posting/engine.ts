/**
 * The posting engine: executes plans into one Xero organisation exactly once.
 *
 * - Every document's state is stored *before* each step (planned → sending → posted | failed | held), and
 *   every request is stored before it leaves (BatchRecord: exact bytes + Idempotency-Key), so a restart
 *   can replay it byte for byte while Xero still remembers the key, or look the documents up after.
 * - Ready documents (all parents posted) go in batches of ≤ 50 per endpoint, `summarizeErrors=false`,
 *   `unitdp=4`, with a deterministic Idempotency-Key (the document key for one document; a digest of the
 *   member keys and their generations for a batch). Allocations go one per credit note (the id is in the
 *   URL); refunds get their credit note's id in the body.
 * - An ambiguous outcome (no answer, 5xx, 504 after commit) is retried with the *same* key and bytes while
 *   the key is inside Xero's 6-minute window (Xero replays the original answer); after that — or after
 *   repeated errors — the documents are looked up in Xero by Reference/Narration (credit notes,
 *   payments, journals, bank transactions), by InvoiceNumber (`InvoiceNumbers=`: purchase-order invoices,
 *   whose Reference is the bare PO number) or on the credit note (allocations). Found → posted; not found
 *   → planned again with a new key generation. A document is never sent again without that proof.
 * - Right before sending, lock dates (GET /Organisation) and the paid/approved state and amount due of the
 *   invoices being paid or allocated to (GET /Invoices?IDs=) are re-checked. If the world changed, the
 *   job is re-planned when the caller gave a re-planner, else the documents are held with an exception.
 * - Undo: a job of reversal steps in reverse order (delete allocations and payments, void credit notes,
 *   delete bank transactions, reverse journals, void invoices — or delete them while still drafts — when
 *   they have no payments or credits), each checked in Xero before it is acted on.
 */
import { fnv1a64, MAX_KEY_LENGTH } from "../domain/plan/keys";
import type { Plan } from "../domain/plan/model";
import { type Clock, systemClock } from "./clock";
import { type LimiterOptions, RateLimiter } from "./rate-limiter";
import { elementMessages, explain, isHeld, replyMessage } from "./reasons";
import type { PostingStore } from "./store";
import type { XeroCall, XeroReply, XeroTransport } from "./transport";
import type {
  BatchRecord,
  DocError,
  DocRecord,
  DocumentType,
  JobRecord,
  JobView,
  LedgerEntry,
  PostableDocument,
  UndoAction,
} from "./types";
import { KINDS, whereString, xeroDay, xeroLink } from "./wire";

export const IDEMPOTENCY_WINDOW_MS = 6 * 60_000;

/** Re-plan with fresh data; `alreadyPosted` are keys the organisation already has. */
export type Replanner = (job: JobRecord, alreadyPosted: string[]) => Promise<Plan | undefined>;

export interface EngineOptions {
  store: PostingStore;
  transport: XeroTransport;
  clock?: Clock;
  limits?: LimiterOptions;
  /** ≤ 50 (Xero's guidance). */
  batchSize?: number;
  /** The connecting user is an Adviser (may post inside PeriodLockDate, not EndOfYearLockDate). */
  isAdviser?: boolean;
  /** Re-read Organisation (lock dates) when the last read is older than this. Default 60 s. */
  organisationMaxAgeMs?: number;
  /** Re-read the invoices of a payment/allocation batch when older than this. Default 0: every batch. */
  invoiceMaxAgeMs?: number;
  /**
   * Re-check invoice state (GET /Invoices?IDs=) before payment/allocation batches. Default true. When
   * false, Xero's own per-element validation (not authorised, over the amount due) is the only guard: the
   * document is then held from Xero's message instead of before sending — one read fewer per batch.
   */
  recheckInvoices?: boolean;
  /** Longest in-process wait; a longer one ends `run()` with `{ state: "waiting", until }` (alarm). */
  maxSleepMs?: number;
  /** Same-key resends of one ambiguous request before looking up instead. Default 3. */
  maxSameKeySends?: number;
  /** Keep this much of the 6-minute window in reserve for clock skew. Default 60 s. */
  idempotencyMarginMs?: number;
  replan?: Replanner;
  /** The organisation (tenant id): scopes Idempotency-Keys, which Xero keeps per app. */
  keyScope?: string;
}

export type RunResult = { state: "idle" } | { state: "waiting"; until: number };

/** A read/lookup could not be done now (Xero erroring or rate-limited for long). */
class RetryLater extends Error {
  constructor(readonly until: number) {
    super("retry later");
  }
}

interface ElementOutcome {
  ok: boolean;
  id?: string;
  number?: string;
  error?: DocError;
}

const TERMINAL = new Set(["posted", "failed", "held", "reversed"]);
const isDocType = (t: DocRecord["type"]): t is DocumentType => t !== "Undo";

function clipKey(key: string): string {
  return key.length <= MAX_KEY_LENGTH ? key : `${key.slice(0, MAX_KEY_LENGTH - 18)}~h${fnv1a64(key)}`;
}

/** The key text written into Reference/Narration: the plan key, suffixed after an undo. */
export function postedKey(key: string, postGen: number): string {
  return postGen > 0 ? clipKey(`${key}~r${postGen}`) : key;
}

/** The body as sent: Reference/Narration carry `postedKey`, parents' Xero ids filled in. */
function wireBody(doc: DocRecord, parentId?: string): Record<string, unknown> {
  const body = structuredClone(doc.body);
  if (doc.postGen > 0) {
    for (const f of ["Reference", "Narration"]) {
      const v = body[f];
      if (typeof v === "string" && v.endsWith(`| ${doc.key}`)) {
        const next = postedKey(doc.key, doc.postGen);
        const text = v.slice(0, v.length - doc.key.length - 2);
        const max = f === "Reference" ? 255 : 4000;
        body[f] = `${text.slice(0, Math.max(0, max - next.length - 3)).trimEnd()} | ${next}`;
      }
    }
  }
  if (doc.type === "RefundPayment" && parentId) body["CreditNote"] = { CreditNoteID: parentId };
  return body;
}

/**
 * Xero keeps Idempotency-Keys per *app*, across every organisation it is connected to: the key is scoped
 * by the organisation (`scope`, a digest of the tenant id) so two organisations' documents never collide.
 */
function idempotencyKey(docs: DocRecord[], scope: string): string {
  const [first] = docs;
  if (docs.length === 1 && first) {
    const k = postedKey(first.key, first.postGen);
    return clipKey(`${scope}${first.keyGen > 0 ? `${k}~g${first.keyGen}` : k}`);
  }
  const parts = docs.map((d) => `${d.key}~r${d.postGen}~g${d.keyGen}`).join("\n");
  return `${scope}vcxb1:${docs.length}:${fnv1a64(parts)}:${fnv1a64(`${parts}\n#`)}`;
}

/** Give up on a document after this many "not in Xero, try a new key" rounds. */
const MAX_KEY_GENERATIONS = 8;

function docDate(p: PostableDocument): string | undefined {
  const d = (p.body as { Date?: unknown }).Date;
  return typeof d === "string" ? d : undefined;
}

export class PostingEngine {
  readonly store: PostingStore;
  readonly limiter: RateLimiter;
  private readonly transport: XeroTransport;
  private readonly clock: Clock;
  private readonly batchSize: number;
  private readonly o: EngineOptions;
  private org?: { at: number; lock?: string };
  private readonly invoices = new Map<string, { at: number; status: string; due: number }>();
  private active?: Promise<RunResult>;
  private readonly scope: string;
  private orgRead?: Promise<void>;
  private readonly inflight = new Set<Promise<unknown>>();
  /** Calls made, by kind, for efficiency figures. */
  readonly calls = { writes: 0, reads: 0 };

  constructor(o: EngineOptions) {
    this.o = o;
    this.store = o.store;
    this.transport = o.transport;
    this.clock = o.clock ?? systemClock;
    this.batchSize = Math.min(50, Math.max(1, o.batchSize ?? 50));
    this.limiter = new RateLimiter(this.clock, o.store, o.limits);
    this.scope = o.keyScope ? `${fnv1a64(o.keyScope.toLowerCase()).slice(0, 12)}:` : "";
  }

  // ---- jobs -------------------------------------------------------------------------------------------

  /** Queue a plan's documents as a job. Documents the organisation already has are marked posted. */
  submit(
    plan: { documents: readonly PostableDocument[] },
    jobId: string = crypto.randomUUID(),
    opts: { paused?: boolean } = {},
  ): JobRecord {
    const now = this.clock.now();
    const existing = this.store.getJob(jobId);
    if (existing) return existing;
    const job: JobRecord = {
      id: jobId,
      kind: "post",
      state: opts.paused ? "paused" : "queued",
      createdAt: now,
      updatedAt: now,
      replans: 0,
    };
    const docs = plan.documents.map((p, seq) => this.docFromPlan(jobId, seq, p));
    this.store.transaction(() => {
      this.store.putJob(job);
      this.store.putDocs(docs);
    });
    return job;
  }

  private docFromPlan(jobId: string, seq: number, p: PostableDocument): DocRecord {
    const ledger = this.store.getLedger(p.key);
    const doc: DocRecord = {
      jobId,
      seq,
      key: p.key,
      type: p.type,
      dependsOn: [...p.dependsOn],
      ...("creditNoteKey" in p ? { creditNoteKey: p.creditNoteKey } : {}),
      description: p.description,
      body: structuredClone(p.body) as unknown as Record<string, unknown>,
      ...(docDate(p) ? { date: docDate(p) } : {}),
      state: "planned",
      keyGen: 0,
      postGen: ledger?.postGen ?? 0,
    };
    if (ledger?.state === "posted") {
      doc.state = "posted";
      doc.xeroId = ledger.xeroId;
      if (ledger.xeroNumber) doc.xeroNumber = ledger.xeroNumber;
      doc.link = xeroLink(p.type, ledger.xeroId);
    }
    return doc;
  }

  /** Queue the reversal of everything a job posted (newest first). */
  undo(jobId: string, undoJobId: string = `${jobId}:undo`): JobRecord {
    const existing = this.store.getJob(undoJobId);
    if (existing) return existing;
    const now = this.clock.now();
    const posted = this.store
      .getDocs(jobId)
      .filter((d) => d.state === "posted" && d.xeroId && isDocType(d.type))
      .reverse();
    const byKey = new Map(this.store.getDocs(jobId).map((d) => [d.key, d]));
    let prev: string | undefined;
    const steps: DocRecord[] = posted.map((d, seq) => {
      const type = d.type as DocumentType;
      const action: UndoAction = { targetKey: d.key, targetType: type, xeroId: d.xeroId as string };
      if (type === "Allocation" && d.creditNoteKey) {
        const cn = byKey.get(d.creditNoteKey)?.xeroId ?? this.store.getLedger(d.creditNoteKey)?.xeroId;
        if (cn) action.creditNoteId = cn;
      }
      const key = clipKey(`${d.key}:undo${d.postGen > 0 ? d.postGen : ""}`);
      if (type === "ManualJournal") action.reversal = reversingJournal(wireBody(d), key);
      const step: DocRecord = {
        jobId: undoJobId,
        seq,
        key,
        type: "Undo",
        dependsOn: prev ? [prev] : [],
        description: `Reverse ${type} ${d.xeroNumber ?? d.xeroId} (${d.description})`,
        body: action.reversal ?? {},
        state: "planned",
        keyGen: 0,
        postGen: 0,
        undo: action,
      };
      prev = key;
      return step;
    });
    const job: JobRecord = {
      id: undoJobId,
      kind: "undo",
      state: "queued",
      createdAt: now,
      updatedAt: now,
      undoOf: jobId,
      replans: 0,
    };
    this.store.transaction(() => {
      this.store.putJob(job);
      this.store.putDocs(steps);
    });
    return job;
  }

  pause(jobId: string): JobRecord | undefined {
    return this.setJobState(jobId, (j) =>
      j.state === "done" || j.state === "cancelled" ? j.state : "paused",
    );
  }

  resume(jobId: string): JobRecord | undefined {
    return this.setJobState(jobId, (j) => (j.state === "paused" ? "queued" : j.state));
  }

  /** Stop a job: what is not yet sent is held ("cancelled"); what is in flight is settled first. */
  cancel(jobId: string): JobRecord | undefined {
    const job = this.setJobState(jobId, (j) => (j.state === "done" ? j.state : "cancelled"));
    if (job?.state === "cancelled") {
      const held = this.store
        .getDocs(jobId)
        .filter((d) => d.state === "planned")
        .map((d) => ({
          ...d,
          state: "held" as const,
          error: {
            reason: "The job was cancelled before this document was sent.",
            messages: [],
            code: "cancelled" as const,
          },
        }));
      this.store.putDocs(held);
    }
    return job;
  }

  private setJobState(jobId: string, next: (j: JobRecord) => JobRecord["state"]): JobRecord | undefined {
    const job = this.store.getJob(jobId);
    if (!job) return undefined;
    const updated = { ...job, state: next(job), updatedAt: this.clock.now() };
    this.store.putJob(updated);
    return updated;
  }

  view(jobId: string): JobView | undefined {
    const job = this.store.getJob(jobId);
    if (!job) return undefined;
    const docs = this.store.getDocs(jobId);
    const count = (s: DocRecord["state"]) => docs.filter((d) => d.state === s).length;
    return {
      id: job.id,
      kind: job.kind,
      state: job.state,
      total: docs.length,
      posted: count("posted"),
      failed: count("failed"),
      held: count("held"),
      reversed: count("reversed"),
      sending: count("sending"),
      planned: count("planned"),
      ...(job.waitUntil ? { waitUntil: new Date(job.waitUntil).toISOString() } : {}),
      documents: docs.map((d) => ({
        key: d.key,
        type: d.type,
        state: d.state,
        description: d.description,
        ...(d.xeroId ? { xeroId: d.xeroId } : {}),
        ...(d.xeroNumber ? { xeroNumber: d.xeroNumber } : {}),
        ...(d.link ? { link: d.link } : {}),
        ...(d.error ? { error: d.error } : {}),
      })),
    };
  }

  // ---- running ----------------------------------------------------------------------------------------

  /** Work through every runnable job, oldest first. One run at a time; concurrent callers share it. */
  run(): Promise<RunResult> {
    if (!this.active) {
      this.active = this.runAll().finally(() => {
        this.active = undefined;
      });
    }
    return this.active;
  }

  /** Resolves when every request this engine started has settled (tests: after a simulated crash). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private async runAll(): Promise<RunResult> {
    for (const job of this.store.listJobs()) {
      if (!["queued", "running", "waiting"].includes(job.state)) continue;
      const r = await this.runJob(job.id);
      if (r.state === "waiting") return r;
    }
    return { state: "idle" };
  }

  private async runJob(jobId: string): Promise<RunResult> {
    this.setJobState(jobId, () => "running");
    try {
      // Requests left in flight by a previous run (a restart): settle them before anything else.
      for (const b of this.store.listBatches(jobId)) {
        const r = await this.transmit(b);
        if (r) return this.waiting(jobId, r.until);
      }
      for (;;) {
        const job = this.store.getJob(jobId);
        if (job?.state !== "running") break;
        this.propagateHolds(jobId);
        const docs = this.store.getDocs(jobId);
        const stateOf = new Map(docs.map((d) => [d.key, d.state]));
        const ready = docs.filter(
          (d) =>
            d.state === "planned" &&
            d.dependsOn.every((k) => {
              const s = stateOf.get(k);
              return s ? s === "posted" : this.store.getLedger(k)?.state === "posted";
            }),
        );
        if (ready.length === 0) {
          if (docs.some((d) => !TERMINAL.has(d.state))) {
            // Something is sending (a stored batch not settled): settle it.
            const batches = this.store.listBatches(jobId);
            if (batches.length === 0) {
              this.markStuck(jobId);
              continue;
            }
            for (const b of batches) {
              const r = await this.transmit(b);
              if (r) return this.waiting(jobId, r.until);
            }
            continue;
          }
          this.finish(jobId);
          break;
        }
        // Launch up to the concurrency limit; the limiter paces them.
        const batches = this.takeBatches(ready, this.limiter.concurrent);
        const results = await Promise.all(batches.map((b) => this.track(this.sendBatch(jobId, b))));
        const wait = results.find((r): r is { until: number } => r !== undefined);
        if (wait) return this.waiting(jobId, wait.until);
      }
    } catch (e) {
      if (e instanceof RetryLater) return this.waiting(jobId, e.until);
      throw e;
    }
    return { state: "idle" };
  }

  private waiting(jobId: string, until: number): RunResult {
    const job = this.store.getJob(jobId);
    if (job && job.state === "running") this.store.putJob({ ...job, state: "waiting", waitUntil: until });
    return { state: "waiting", until };
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p)).catch(() => undefined);
    return p;
  }

  private finish(jobId: string): void {
    const docs = this.store.getDocs(jobId);
    const job = this.store.getJob(jobId);
    if (!job) return;
    const bad = docs.some((d) => d.state === "failed" || d.state === "held");
    const { waitUntil: _, ...rest } = job;
    this.store.putJob({ ...rest, state: bad ? "failed" : "done", updatedAt: this.clock.now() });
  }

  /** Planned documents whose parent failed or was held cannot be posted: hold them, saying why. */
  private propagateHolds(jobId: string): void {
    for (;;) {
      const docs = this.store.getDocs(jobId);
      const states = new Map(docs.map((d) => [d.key, d.state]));
      const changed = docs
        .filter((d) => d.state === "planned")
        .flatMap((d) => {
          const bad = d.dependsOn.find((k) => {
            const s = states.get(k);
            return s === "failed" || s === "held" || s === "reversed";
          });
          if (!bad) return [];
          return [
            {
              ...d,
              state: "held" as const,
              error: {
                reason: `Waits for ${bad}, which was not posted (${states.get(bad)}).`,
                messages: [],
                code: "parent_not_posted" as const,
              },
            },
          ];
        });
      if (changed.length === 0) return;
      this.store.putDocs(changed);
    }
  }

  private markStuck(jobId: string): void {
    // A document in `sending` without its stored batch cannot happen (both are written in one
    // transaction); if storage was tampered with, look the document up rather than guess.
    const docs = this.store.getDocs(jobId).filter((d) => d.state === "sending");
    for (const d of docs) {
      const batch: BatchRecord = {
        key: `stuck:${d.key}`,
        jobId,
        docKeys: [d.key],
        method: "PUT",
        path: "",
        bodyText: "",
        firstSentAt: Number.NEGATIVE_INFINITY,
        sends: Number.POSITIVE_INFINITY,
      };
      this.store.transaction(() => {
        this.store.putBatch(batch);
        this.store.putDocs([{ ...d, batchKey: batch.key }]);
      });
    }
  }

  /** Group ready documents: ≤ batchSize per endpoint, allocations and undo steps alone, in send order. */
  private takeBatches(ready: DocRecord[], max: number): DocRecord[][] {
    const out: DocRecord[][] = [];
    const open = new Map<string, DocRecord[]>();
    for (const d of ready) {
      const group = d.type === "Undo" ? "undo" : KINDS[d.type].group;
      if (group === "allocation" || group === "undo") {
        out.push([d]);
      } else {
        let cur = open.get(group);
        if (!cur || cur.length >= this.batchSize) {
          cur = [];
          open.set(group, cur);
          out.push(cur);
        }
        cur.push(d);
      }
    }
    return out.slice(0, max);
  }

  // ---- one batch --------------------------------------------------------------------------------------

  private async sendBatch(jobId: string, docs: DocRecord[]): Promise<{ until: number } | undefined> {
    const [first] = docs;
    if (!first) return undefined;
    if (first.type === "Undo") return this.undoStep(first);
    const toSend = await this.preflight(jobId, docs);
    if (toSend.length === 0) return undefined;
    const kind = KINDS[first.type as DocumentType];
    let path = kind.path;
    const elements: Record<string, unknown>[] = [];
    for (const d of toSend) {
      const parent = d.creditNoteKey ? this.parentId(jobId, d.creditNoteKey) : undefined;
      if (d.creditNoteKey && !parent) {
        this.setDocs([
          {
            ...d,
            state: "held",
            error: { reason: "Its credit note has no Xero id.", messages: [], code: "parent_not_posted" },
          },
        ]);
        return undefined;
      }
      if (d.type === "Allocation") path = `/CreditNotes/${parent}/Allocations`;
      elements.push(wireBody(d, parent));
    }
    const batch: BatchRecord = {
      key: idempotencyKey(toSend, this.scope),
      jobId,
      docKeys: toSend.map((d) => d.key),
      method: "PUT",
      path,
      bodyText: JSON.stringify({ [kind.plural]: elements }),
      firstSentAt: this.clock.now(),
      sends: 0,
    };
    // Recorded before the request leaves.
    this.store.transaction(() => {
      this.store.putBatch(batch);
      this.store.putDocs(toSend.map((d) => ({ ...d, state: "sending" as const, batchKey: batch.key })));
    });
    return this.transmit(batch);
  }

  private parentId(jobId: string, key: string): string | undefined {
    return this.store.getDoc(jobId, key)?.xeroId ?? this.store.getLedger(key)?.xeroId;
  }

  /** Send (or re-send) a stored batch until its outcome is known. */
  private async transmit(stored: BatchRecord): Promise<{ until: number } | undefined> {
    let batch = stored;
    const window = IDEMPOTENCY_WINDOW_MS - (this.o.idempotencyMarginMs ?? 60_000);
    const maxSends = this.o.maxSameKeySends ?? 3;
    for (;;) {
      const age = this.clock.now() - batch.firstSentAt;
      if (batch.sends >= maxSends || (batch.sends > 0 && age >= window)) return this.resolveByLookup(batch);
      const slot = await this.limiter.acquire(this.o.maxSleepMs);
      if (typeof slot !== "function") return slot;
      batch = {
        ...batch,
        sends: batch.sends + 1,
        firstSentAt: batch.sends === 0 ? this.clock.now() : batch.firstSentAt,
      };
      this.store.putBatch(batch);
      let reply: XeroReply;
      try {
        this.calls.writes += 1;
        reply = await this.transport({
          method: batch.method,
          path: batch.path,
          query: { summarizeErrors: "false", unitdp: "4" },
          bodyText: batch.bodyText,
          idempotencyKey: batch.key,
        });
      } finally {
        slot();
      }
      this.limiter.observe(reply.status, reply.headers);
      const s = reply.status;
      if (s >= 200 && s < 300) {
        this.applyResults(batch, reply.body);
        return undefined;
      }
      if (s === 429) {
        // Refused before anything happened: not a send.
        batch = { ...batch, sends: batch.sends - 1 };
        this.store.putBatch(batch);
        continue;
      }
      const ambiguous = s === 0 || s >= 500 || s === 408 || s === 409;
      const messages = replyMessage(reply.body);
      if (!ambiguous && !messages.some((m) => /idempotency/i.test(m))) {
        this.settle(
          batch,
          batch.docKeys.map(() => ({ ok: false, error: explain(messages, s) })),
        );
        return undefined;
      }
      if (!ambiguous) return this.resolveByLookup(batch);
      await this.clock.sleep(Math.min(30_000, 500 * 2 ** batch.sends));
    }
  }

  private applyResults(batch: BatchRecord, body: unknown): void {
    const first = this.store.getDoc(batch.jobId, batch.docKeys[0] ?? "");
    if (!first || first.type === "Undo") return;
    const kind = KINDS[first.type];
    const arr = (body as Record<string, unknown> | null)?.[kind.plural];
    const els = Array.isArray(arr) ? arr : [];
    const outcomes: (ElementOutcome | undefined)[] = batch.docKeys.map((_, i) => {
      const el = els[i] as Record<string, unknown> | undefined;
      if (!el) return undefined;
      const messages = elementMessages(el);
      if (el["StatusAttributeString"] === "ERROR" || el["HasErrors"] === true || messages.length > 0) {
        return { ok: false, error: explain(messages) };
      }
      const id = el[kind.idField];
      if (typeof id !== "string") return undefined;
      const num = kind.numberField ? el[kind.numberField] : undefined;
      return { ok: true, id, ...(typeof num === "string" ? { number: num } : {}) };
    });
    if (outcomes.every((o) => o !== undefined)) {
      this.settle(batch, outcomes as ElementOutcome[]);
      return;
    }
    // An answer without every element is as good as no answer for the missing ones.
    this.settle(
      batch,
      outcomes.map((o) => o ?? { ok: false, error: { reason: "__verify__", messages: [] } }),
    );
  }

  /** Write the outcome of each document of a batch and forget the batch, atomically. */
  private settle(batch: BatchRecord, outcomes: ElementOutcome[]): void {
    const docs = batch.docKeys.map((k) => this.store.getDoc(batch.jobId, k)).filter((d) => d !== undefined);
    const updates: DocRecord[] = [];
    const ledger: LedgerEntry[] = [];
    docs.forEach((d, i) => {
      const o = outcomes[i];
      const { batchKey: _, verify: __, ...rest } = d;
      if (!o || o.error?.reason === "__lookup__") {
        // Not in Xero (looked up): planned again under a new key — unless Xero keeps refusing.
        if (d.keyGen + 1 >= MAX_KEY_GENERATIONS) {
          const error = {
            reason: "Xero did not accept the document after repeated attempts; try again later.",
            messages: [],
          };
          updates.push({ ...rest, state: "failed", error });
          return;
        }
        updates.push({ ...rest, state: "planned", keyGen: d.keyGen + 1 });
        return;
      }
      if (o.error?.reason === "__verify__") {
        // Outcome unknown: planned again, but looked up before it is sent.
        updates.push({ ...rest, state: "planned", keyGen: d.keyGen + 1, verify: true });
        return;
      }
      if (o.ok && o.id && isDocType(d.type)) {
        const cn = d.creditNoteKey ? this.parentId(d.jobId, d.creditNoteKey) : undefined;
        updates.push({
          ...rest,
          state: "posted",
          xeroId: o.id,
          ...(o.number ? { xeroNumber: o.number } : {}),
          link: xeroLink(d.type, o.id, cn ? { creditNoteId: cn } : undefined),
        });
        ledger.push({
          key: d.key,
          type: d.type,
          state: "posted",
          xeroId: o.id,
          ...(o.number ? { xeroNumber: o.number } : {}),
          jobId: d.jobId,
          postGen: d.postGen,
        });
        return;
      }
      const error = o.error ?? { reason: "Xero rejected the document.", messages: [] };
      updates.push({ ...rest, state: isHeld(error) ? "held" : "failed", error });
    });
    this.store.transaction(() => {
      this.store.putDocs(updates);
      for (const e of ledger) this.store.putLedger(e);
      this.store.deleteBatch(batch.key);
    });
  }

  /** After an ambiguous outcome: ask Xero whether each document exists before anything is sent again. */
  private async resolveByLookup(batch: BatchRecord): Promise<undefined> {
    const docs = batch.docKeys
      .map((k) => this.store.getDoc(batch.jobId, k))
      .filter((d): d is DocRecord => d !== undefined);
    const found = await this.lookup(docs);
    this.settle(
      batch,
      docs.map((d) => {
        const f = found.get(d.key);
        return f
          ? { ok: true, id: f.id, ...(f.number ? { number: f.number } : {}) }
          : { ok: false, error: { reason: "__lookup__", messages: [] } };
      }),
    );
    return undefined;
  }

  /** Find documents in Xero by the key written into them. */
  async lookup(docs: DocRecord[]): Promise<Map<string, { id: string; number?: string }>> {
    const found = new Map<string, { id: string; number?: string }>();
    const byField = new Map<string, DocRecord[]>();
    for (const d of docs) {
      if (!isDocType(d.type)) continue;
      if (d.type === "Allocation") {
        const hit = await this.findAllocation(d);
        if (hit) found.set(d.key, { id: hit });
        continue;
      }
      const kind = KINDS[d.type];
      const k = `${kind.path}|${kind.searchField}`;
      byField.set(k, [...(byField.get(k) ?? []), d]);
    }
    for (const group of byField.values()) {
      for (let i = 0; i < group.length; i += 10) {
        const chunk = group.slice(i, i + 10);
        const first = chunk[0] as DocRecord & { type: DocumentType };
        const kind = KINDS[first.type];
        const field = kind.searchField as string;
        const wanted = new Map<string, DocRecord>();
        for (const d of chunk) {
          const text = wireBody(d)[field];
          if (typeof text === "string") wanted.set(text.toLowerCase(), d);
        }
        const values = chunk.map((d) => String(wireBody(d)[field]));
        const query: Record<string, string> = kind.searchFilter
          ? { [kind.searchFilter]: values.join(",") }
          : { where: values.map((v) => `${field}==${whereString(v)}`).join(" OR ") };
        const reply = await this.read(kind.path, query);
        const list = (reply.body as Record<string, unknown>)[kind.plural];
        for (const el of Array.isArray(list) ? (list as Record<string, unknown>[]) : []) {
          if (kind.dead.includes(String(el["Status"]))) continue;
          const d = wanted.get(String(el[field] ?? "").toLowerCase());
          const id = el[kind.idField];
          if (!d || typeof id !== "string") continue;
          const num = kind.numberField ? el[kind.numberField] : undefined;
          found.set(d.key, { id, ...(typeof num === "string" ? { number: num } : {}) });
        }
      }
    }
    return found;
  }

  private async findAllocation(d: DocRecord): Promise<string | undefined> {
    const cn = d.creditNoteKey ? this.parentId(d.jobId, d.creditNoteKey) : undefined;
    if (!cn) return undefined;
    const reply = await this.read(`/CreditNotes/${cn}`, {});
    const notes = (reply.body as { CreditNotes?: { Allocations?: Record<string, unknown>[] }[] }).CreditNotes;
    const body = d.body as { Invoice?: { InvoiceID?: string; InvoiceNumber?: string }; Amount?: number };
    for (const a of notes?.[0]?.Allocations ?? []) {
      const inv = a["Invoice"] as { InvoiceID?: string; InvoiceNumber?: string } | undefined;
      const same =
        (body.Invoice?.InvoiceID && inv?.InvoiceID?.toLowerCase() === body.Invoice.InvoiceID.toLowerCase()) ||
        (body.Invoice?.InvoiceNumber && inv?.InvoiceNumber === body.Invoice.InvoiceNumber);
      if (same && Number(a["Amount"]) === Number(body.Amount) && a["IsDeleted"] !== true) {
        return String(a["AllocationID"]);
      }
    }
    return undefined;
  }

  /** A GET through the limiter, retried on 5xx/no answer; RetryLater when Xero stays unavailable. */
  private async read(path: string, query: Record<string, string>): Promise<XeroReply> {
    for (let attempt = 0; ; attempt++) {
      const slot = await this.limiter.acquire(this.o.maxSleepMs);
      if (typeof slot !== "function") throw new RetryLater(slot.until);
      let reply: XeroReply;
      try {
        this.calls.reads += 1;
        const call: XeroCall = { method: "GET", path, query: { ...query, unitdp: "4" } };
        reply = await this.transport(call);
      } finally {
        slot();
      }
      this.limiter.observe(reply.status, reply.headers);
      if (reply.status === 200) return reply;
      if (reply.status === 429) continue;
      if (reply.status === 404) return { ...reply, body: {} };
      if (attempt >= 4) throw new RetryLater(this.clock.now() + 60_000);
      await this.clock.sleep(Math.min(30_000, 500 * 2 ** attempt));
    }
  }

  // ---- checks right before sending --------------------------------------------------------------------

  private async preflight(jobId: string, docs: DocRecord[]): Promise<DocRecord[]> {
    const now = this.clock.now();
    // Documents whose earlier outcome is unknown are looked up before anything is sent.
    const need = docs.filter((d) => d.verify);
    if (need.length) {
      const found = await this.lookup(need);
      const batch: BatchRecord = {
        key: `verify:${need[0]?.key}`,
        jobId,
        docKeys: need.map((d) => d.key),
        method: "PUT",
        path: "",
        bodyText: "",
        firstSentAt: now,
        sends: 0,
      };
      this.settle(
        batch,
        need.map((d) => {
          const f = found.get(d.key);
          return f
            ? { ok: true, id: f.id, ...(f.number ? { number: f.number } : {}) }
            : { ok: false, error: { reason: "__lookup__", messages: [] } };
        }),
      );
      const verified = new Map(need.map((d) => [d.key, this.store.getDoc(jobId, d.key) as DocRecord]));
      docs = docs.map((d) => verified.get(d.key) ?? d).filter((d) => d.state === "planned");
    }
    const changed: { doc: DocRecord; error: DocError }[] = [];
    if (!this.org || now - this.org.at > (this.o.organisationMaxAgeMs ?? 60_000)) {
      // One read shared by concurrent batches.
      this.orgRead ??= this.readOrganisation(now).finally(() => {
        this.orgRead = undefined;
      });
      await this.orgRead;
    }
    const lock = this.org?.lock;

    for (const d of docs) {
      if (lock && d.date && d.date <= lock) {
        changed.push({
          doc: d,
          error: {
            reason: `The period up to ${lock} is now locked in Xero and this document is dated ${d.date}; re-plan to date it on the first open day.`,
            messages: [],
            code: "period_locked",
          },
        });
      }
    }
    // Invoices being paid or allocated to: still approved, and with enough due?
    const invoiceOf = (d: DocRecord) =>
      (d.body as { Invoice?: { InvoiceID?: string } }).Invoice?.InvoiceID?.toLowerCase();
    const targets =
      this.o.recheckInvoices === false
        ? []
        : docs.filter((d) => (d.type === "Payment" || d.type === "Allocation") && invoiceOf(d));
    if (targets.length) {
      const maxAge = this.o.invoiceMaxAgeMs ?? 0;
      const ids = [...new Set(targets.map((d) => invoiceOf(d) as string))];
      const stale = ids.filter((id) => {
        const c = this.invoices.get(id);
        return !c || now - c.at > maxAge || maxAge === 0;
      });
      if (stale.length) {
        const r = await this.read("/Invoices", { IDs: stale.join(",") });
        const list = (r.body as { Invoices?: Record<string, unknown>[] }).Invoices ?? [];
        for (const id of stale) this.invoices.delete(id);
        for (const inv of list) {
          const due = Math.round(Number(inv["AmountDue"]) * 100);
          this.invoices.set(String(inv["InvoiceID"]).toLowerCase(), {
            at: now,
            status: String(inv["Status"]),
            due,
          });
        }
      }
      const asked = new Map<string, number>();
      for (const d of targets) {
        const id = invoiceOf(d) as string;
        asked.set(
          id,
          (asked.get(id) ?? 0) + Math.round(Number((d.body as { Amount?: number }).Amount) * 100),
        );
      }
      for (const d of targets) {
        const id = invoiceOf(d) as string;
        const inv = this.invoices.get(id);
        const err = (code: DocError["code"], reason: string) =>
          changed.push({ doc: d, error: { reason, messages: [], code } });
        if (!inv) err("invoice_not_found", "The invoice is no longer in Xero (deleted since the preview).");
        else if (inv.status === "PAID")
          err(
            "invoice_already_paid",
            "The invoice was paid in Xero since the preview; it is not paid twice.",
          );
        else if (inv.status !== "AUTHORISED")
          err(
            "invoice_not_authorised",
            `The invoice is ${inv.status} in Xero now (it was approved at the preview).`,
          );
        else if ((asked.get(id) ?? 0) > inv.due)
          err(
            "amount_exceeds_due",
            "The invoice has less due in Xero than at the preview (part paid or credited since).",
          );
      }
    }
    if (changed.length === 0) return docs;
    const job = this.store.getJob(jobId);
    if (this.o.replan && job && job.kind === "post" && job.replans < 3) {
      await this.replan(job);
      return [];
    }
    const heldKeys = new Set(changed.map((c) => c.doc.key));
    this.setDocs(changed.map((c) => ({ ...c.doc, state: "held" as const, error: c.error })));
    return docs.filter((d) => !heldKeys.has(d.key));
  }

  private async readOrganisation(now: number): Promise<void> {
    const r = await this.read("/Organisation", {});
    const o = ((r.body as { Organisations?: Record<string, unknown>[] }).Organisations ?? [])[0] ?? {};
    const period = xeroDay(o["PeriodLockDate"]);
    const endOfYear = xeroDay(o["EndOfYearLockDate"]);
    const candidates = [endOfYear, this.o.isAdviser ? undefined : period].filter((x): x is string => !!x);
    const lock = candidates.sort().at(-1);
    this.org = { at: now, ...(lock ? { lock } : {}) };
  }

  /** Re-plan with fresh data: unsent documents take the new plan's bodies; ones no longer planned are held. */
  private async replan(job: JobRecord): Promise<void> {
    this.store.putJob({ ...job, replans: job.replans + 1 });
    this.org = undefined;
    this.invoices.clear();
    const docs = this.store.getDocs(job.id);
    const posted = docs.filter((d) => d.state === "posted").map((d) => d.key);
    const plan = await this.o.replan?.(job, posted);
    if (!plan) return;
    const planned = new Map(plan.documents.map((p) => [p.key, p]));
    const updates: DocRecord[] = [];
    let seq = docs.length;
    for (const d of docs) {
      if (d.state !== "planned" && d.state !== "held") continue;
      const p = planned.get(d.key);
      if (p) {
        const fresh = this.docFromPlan(job.id, d.seq, p);
        updates.push({ ...fresh, keyGen: d.keyGen });
      } else if (d.state === "planned") {
        updates.push({
          ...d,
          state: "held",
          error: {
            reason: "The re-plan with fresh Xero data no longer includes this document.",
            messages: [],
            code: "replanned_away",
          },
        });
      }
    }
    const known = new Set(docs.map((d) => d.key));
    for (const p of plan.documents) if (!known.has(p.key)) updates.push(this.docFromPlan(job.id, seq++, p));
    this.store.putDocs(updates);
  }

  private setDocs(docs: DocRecord[]): void {
    this.store.putDocs(docs);
  }

  // ---- undo -------------------------------------------------------------------------------------------

  private async undoStep(step: DocRecord): Promise<{ until: number } | undefined> {
    const a = step.undo as UndoAction;
    this.setDocs([{ ...step, state: "sending" }]);
    const done = (id: string) => {
      const orig = this.store.getLedger(a.targetKey);
      const target = this.store.getJob(step.jobId)?.undoOf;
      this.store.transaction(() => {
        this.store.putDocs([{ ...step, state: "posted", xeroId: id }]);
        if (orig) this.store.putLedger({ ...orig, state: "reversed", postGen: orig.postGen + 1 });
        const od = target ? this.store.getDoc(target, a.targetKey) : undefined;
        if (od) this.store.putDocs([{ ...od, state: "reversed" }]);
      });
      return undefined;
    };
    const fail = (messages: string[], status?: number) => {
      const error = explain(messages, status);
      this.setDocs([{ ...step, state: "failed", error }]);
      return undefined;
    };
    for (let attempt = 0; attempt < 6; attempt++) {
      let invoiceStatus: string | undefined;
      // Check first: is it already reversed?
      switch (a.targetType) {
        case "Invoice": {
          const r = await this.read(`/Invoices/${a.xeroId}`, {});
          const inv = (r.body as { Invoices?: Record<string, unknown>[] }).Invoices?.[0];
          if (!inv || KINDS.Invoice.dead.includes(String(inv["Status"]))) return done(a.xeroId);
          const settled = ["Payments", "CreditNotes", "Prepayments", "Overpayments"].some(
            (f) => Array.isArray(inv[f]) && (inv[f] as unknown[]).length > 0,
          );
          if (settled || Number(inv["AmountPaid"] ?? 0) > 0 || Number(inv["AmountCredited"] ?? 0) > 0) {
            this.setDocs([
              {
                ...step,
                state: "failed",
                error: {
                  reason:
                    "The invoice has payments or credits in Xero; remove them there first, then undo again.",
                  messages: [],
                },
              },
            ]);
            return undefined;
          }
          invoiceStatus = String(inv["Status"]);
          break;
        }
        case "Payment":
        case "RefundPayment": {
          const r = await this.read(`/Payments/${a.xeroId}`, {});
          const p = (r.body as { Payments?: { Status?: string }[] }).Payments?.[0];
          if (!p || p.Status === "DELETED") return done(a.xeroId);
          break;
        }
        case "Allocation": {
          const r = await this.read(`/CreditNotes/${a.creditNoteId}`, {});
          const cn = (r.body as { CreditNotes?: { Allocations?: { AllocationID?: string }[] }[] })
            .CreditNotes?.[0];
          if (!cn?.Allocations?.some((x) => x.AllocationID?.toLowerCase() === a.xeroId.toLowerCase()))
            return done(a.xeroId);
          break;
        }
        case "CreditNote":
        case "BankTransaction": {
          const kind = KINDS[a.targetType];
          const r = await this.read(`${kind.path}/${a.xeroId}`, {});
          const x = ((r.body as Record<string, { Status?: string }[]>)[kind.plural] ?? [])[0];
          if (!x || kind.dead.includes(String(x.Status))) return done(a.xeroId);
          break;
        }
        case "ManualJournal": {
          const found = await this.lookupReversal(step);
          if (found) return done(found);
          break;
        }
      }
      const slot = await this.limiter.acquire(this.o.maxSleepMs);
      if (typeof slot !== "function") {
        this.setDocs([{ ...step, state: "planned" }]);
        return slot;
      }
      let reply: XeroReply;
      try {
        this.calls.writes += 1;
        reply = await this.transport(this.undoCall(step, invoiceStatus));
      } finally {
        slot();
      }
      this.limiter.observe(reply.status, reply.headers);
      if (reply.status === 429) continue;
      if (reply.status >= 200 && reply.status < 300) {
        const plural = a.targetType === "ManualJournal" ? "ManualJournals" : undefined;
        if (plural) {
          const el = ((reply.body as Record<string, Record<string, unknown>[]>)[plural] ?? [])[0];
          const msgs = elementMessages(el);
          if (msgs.length) return fail(msgs);
          if (el && typeof el["ManualJournalID"] === "string") return done(el["ManualJournalID"]);
          continue;
        }
        const body = reply.body as Record<string, Record<string, unknown>[]> | null;
        const el = body ? Object.values(body).find(Array.isArray)?.[0] : undefined;
        const msgs = elementMessages(el);
        if (msgs.length) return fail(msgs);
        continue; // confirm with the check at the top of the loop
      }
      if (reply.status >= 500 || reply.status === 0) {
        await this.clock.sleep(Math.min(30_000, 500 * 2 ** attempt));
        continue;
      }
      return fail(replyMessage(reply.body), reply.status);
    }
    this.setDocs([{ ...step, state: "planned" }]);
    return { until: this.clock.now() + 60_000 };
  }

  private undoCall(step: DocRecord, invoiceStatus?: string): XeroCall {
    const a = step.undo as UndoAction;
    const q = { summarizeErrors: "false" };
    switch (a.targetType) {
      case "Invoice":
        // An approved invoice is voided; a draft (or submitted) one cannot be voided in Xero, only deleted.
        return {
          method: "POST",
          path: `/Invoices/${a.xeroId}`,
          query: q,
          bodyText: JSON.stringify({
            Invoices: [
              {
                InvoiceID: a.xeroId,
                Status: invoiceStatus && invoiceStatus !== "AUTHORISED" ? "DELETED" : "VOIDED",
              },
            ],
          }),
          idempotencyKey: step.key,
        };
      case "Payment":
      case "RefundPayment":
        return {
          method: "POST",
          path: `/Payments/${a.xeroId}`,
          query: q,
          bodyText: JSON.stringify({ Payments: [{ PaymentID: a.xeroId, Status: "DELETED" }] }),
          idempotencyKey: step.key,
        };
      case "Allocation":
        return { method: "DELETE", path: `/CreditNotes/${a.creditNoteId}/Allocations/${a.xeroId}` };
      case "CreditNote":
        return {
          method: "POST",
          path: `/CreditNotes/${a.xeroId}`,
          query: q,
          bodyText: JSON.stringify({ CreditNotes: [{ CreditNoteID: a.xeroId, Status: "VOIDED" }] }),
          idempotencyKey: step.key,
        };
      case "BankTransaction":
        return {
          method: "POST",
          path: `/BankTransactions/${a.xeroId}`,
          query: q,
          bodyText: JSON.stringify({
            BankTransactions: [{ BankTransactionID: a.xeroId, Status: "DELETED" }],
          }),
          idempotencyKey: step.key,
        };
      case "ManualJournal":
        return {
          method: "PUT",
          path: "/ManualJournals",
          query: q,
          bodyText: JSON.stringify({ ManualJournals: [a.reversal] }),
          idempotencyKey: step.key,
        };
    }
  }

  private async lookupReversal(step: DocRecord): Promise<string | undefined> {
    const narration = String(step.undo?.reversal?.["Narration"] ?? "");
    const r = await this.read("/ManualJournals", { where: `Narration==${whereString(narration)}` });
    const list =
      (r.body as { ManualJournals?: { ManualJournalID?: string; Status?: string }[] }).ManualJournals ?? [];
    return list.find((j) => j.Status === "POSTED")?.ManualJournalID;
  }
}

/** The journal that reverses a posted one: same date and lines negated (a reversal, never a delete). */
export function reversingJournal(body: Record<string, unknown>, stepKey: string): Record<string, unknown> {
  const lines = (body["JournalLines"] as Record<string, unknown>[] | undefined) ?? [];
  const narration = String(body["Narration"] ?? "");
  return {
    ...body,
    Narration: `Reversal of: ${narration.slice(0, 3900)} | ${stepKey}`,
    Status: "POSTED",
    JournalLines: lines.map((l) => ({ ...l, LineAmount: -Number(l["LineAmount"]) })),
  };
}

/**
 * Posting (issue 6) in D1: which OrgPoster job belongs to which organisation and remittance, the progress last
 * seen, and the per-document results on the remittance. The jobs themselves live in the organisation's
 * OrgPoster Durable Object (worker/posting); `syncJob` copies a job view into D1 and reports the documents Xero
 * accepted to monitoring (`recordPostedDocuments`) — or, for a purchase-order post job, each posted invoice to
 * the PO store (`recordInvoicePosted`).
 */
import { fnv1a64 } from "../../domain/plan/keys";
import type { PlannedDocument } from "../../domain/plan/model";
import type { InvoicedRecord } from "../../domain/po/plan";
import type { JobView } from "../../posting/types";
import { recordPostedDocuments } from "../monitoring/store";
import { recordInvoicePosted } from "../purchase-orders/store";
import { nowIso } from "./time";

export interface PostingJobRow {
  id: string;
  org_id: string;
  kind: "post" | "undo";
  remittance_id: string | null;
  generation: number;
  undo_of: string | null;
  state: string;
  total: number;
  posted: number;
  failed: number;
  held: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  /** Purchase-order post jobs: the records of the invoices they post (JSON array); null otherwise. */
  po_records_json?: string | null;
}

export interface PostingResultRow {
  remittance_id: string;
  doc_key: string;
  org_id: string;
  job_id: string;
  type: string;
  state: string;
  description: string | null;
  xero_id: string | null;
  xero_number: string | null;
  link: string | null;
  error_json: string | null;
  updated_at: string;
}

/** Deterministic job id per PO preview (organisation + preview time + planned keys). */
export const poJobId = (orgId: string, previewedAt: string, keys: readonly string[]) =>
  `po-${fnv1a64(`${orgId}\n${previewedAt}\n${keys.join("\n")}`)}`;

/** Mark a job as a PO post job, keeping the records to store once its invoices are posted. */
export const attachPoRecords = (db: D1Database, jobId: string, records: readonly InvoicedRecord[]) =>
  db
    .prepare("UPDATE posting_jobs SET po_records_json = ?2 WHERE id = ?1")
    .bind(jobId, JSON.stringify(records))
    .run();

/** Deterministic job id per remittance and generation (the OrgPoster is idempotent per job id). */
export const postJobId = (remittanceId: string, generation: number) => `rem-${remittanceId}-${generation}`;
const generationOf = (jobId: string) => Number(jobId.split("-").pop()) || 0;

export const getPostingJob = (db: D1Database, id: string) =>
  db.prepare("SELECT * FROM posting_jobs WHERE id = ?1").bind(id).first<PostingJobRow>();

export const latestPostJob = (db: D1Database, orgId: string, remittanceId: string) =>
  db
    .prepare(
      `SELECT * FROM posting_jobs WHERE org_id = ?1 AND remittance_id = ?2 AND kind = 'post'
       ORDER BY generation DESC LIMIT 1`,
    )
    .bind(orgId, remittanceId)
    .first<PostingJobRow>();

export async function insertPostingJob(
  db: D1Database,
  row: Pick<
    PostingJobRow,
    "id" | "org_id" | "kind" | "remittance_id" | "generation" | "undo_of" | "created_by"
  >,
  view: JobView,
): Promise<void> {
  const now = nowIso();
  await db
    .prepare(
      `INSERT OR IGNORE INTO posting_jobs (id, org_id, kind, remittance_id, generation, undo_of, state, total, posted,
         failed, held, created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)`,
    )
    .bind(
      row.id,
      row.org_id,
      row.kind,
      row.remittance_id,
      row.generation,
      row.undo_of,
      view.state,
      view.total,
      view.posted,
      view.failed,
      view.held,
      row.created_by,
      now,
    )
    .run();
}

export async function postingResults(
  db: D1Database,
  orgId: string,
  remittanceId: string,
): Promise<PostingResultRow[]> {
  const r = await db
    .prepare("SELECT * FROM posting_results WHERE org_id = ?1 AND remittance_id = ?2 ORDER BY doc_key")
    .bind(orgId, remittanceId)
    .all<PostingResultRow>();
  return r.results;
}

export const resultToJson = (r: PostingResultRow) => ({
  key: r.doc_key,
  type: r.type,
  state: r.state,
  jobId: r.job_id,
  ...(r.description ? { description: r.description } : {}),
  ...(r.xero_id ? { xeroId: r.xero_id } : {}),
  ...(r.xero_number ? { xeroNumber: r.xero_number } : {}),
  ...(r.link ? { link: r.link } : {}),
  ...(r.error_json ? { error: JSON.parse(r.error_json) } : {}),
  updatedAt: r.updated_at,
});

const minor = (n: unknown) => Math.round(Number(n ?? 0) * 100);

/** A planned document's total as Xero reports it (monitoring compares it with Xero's Total/Amount). */
function amountOf(d: PlannedDocument): number {
  const b = d.body as unknown as Record<string, unknown>;
  if (d.type === "Payment" || d.type === "RefundPayment" || d.type === "Allocation")
    return minor(b["Amount"]);
  if (d.type === "ManualJournal")
    return ((b["JournalLines"] as { LineAmount: number }[] | undefined) ?? [])
      .filter((l) => l.LineAmount > 0)
      .reduce((t, l) => t + minor(l.LineAmount), 0);
  return ((b["LineItems"] as { LineAmount: number }[] | undefined) ?? []).reduce(
    (t, l) => t + minor(l.LineAmount),
    0,
  );
}

interface StoredPlan {
  documents?: PlannedDocument[];
  payments?: { paymentNumber: string; currency: string }[];
}

/**
 * Copy a job view into D1: the job's progress (updated_at moves only when it changed: the time of the last
 * progress, which the stuck-job alert reads), and (remittance post jobs) each document's result on the
 * remittance. Documents newly posted are reported to monitoring; documents an undo reversed are no longer
 * watched for voids (VCX voided them itself).
 */
export async function syncJob(db: D1Database, job: PostingJobRow, view: JobView): Promise<void> {
  const now = nowIso();
  const statements: D1PreparedStatement[] = [
    db
      .prepare(
        `UPDATE posting_jobs SET state = ?2, total = ?3, posted = ?4, failed = ?5, held = ?6,
           updated_at = CASE WHEN state = ?2 AND total = ?3 AND posted = ?4 AND failed = ?5 AND held = ?6
             THEN updated_at ELSE ?7 END WHERE id = ?1`,
      )
      .bind(job.id, view.state, view.total, view.posted, view.failed, view.held, now),
  ];
  if (job.kind === "post" && job.po_records_json) {
    await db.batch(statements);
    await syncPoInvoices(db, job.org_id, JSON.parse(job.po_records_json) as InvoicedRecord[], view);
    return;
  }
  if (job.kind !== "post" || !job.remittance_id) {
    await db.batch(statements);
    return;
  }
  const remittanceId = job.remittance_id;
  const before = new Map(
    (await postingResults(db, job.org_id, remittanceId)).map((r) => [r.doc_key, r] as const),
  );
  const planRow = await db
    .prepare("SELECT plan_json FROM remittances WHERE id = ?1 AND org_id = ?2")
    .bind(remittanceId, job.org_id)
    .first<{ plan_json: string | null }>();
  const plan = (planRow?.plan_json ? JSON.parse(planRow.plan_json) : {}) as StoredPlan;
  const planned = new Map((plan.documents ?? []).map((d) => [d.key, d] as const));
  const currencyOf = new Map((plan.payments ?? []).map((p) => [p.paymentNumber, p.currency] as const));
  const newlyPosted: Parameters<typeof recordPostedDocuments>[2][number][] = [];
  const reversed: string[] = [];
  for (const d of view.documents) {
    const prev = before.get(d.key);
    // A later job's row wins over an earlier job's view.
    if (prev && prev.job_id !== job.id && generationOf(prev.job_id) > job.generation) continue;
    statements.push(
      db
        .prepare(
          `INSERT INTO posting_results (remittance_id, doc_key, org_id, job_id, type, state, description, xero_id,
             xero_number, link, error_json, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
           ON CONFLICT (remittance_id, doc_key) DO UPDATE SET job_id = excluded.job_id, type = excluded.type,
             state = excluded.state, description = excluded.description, xero_id = excluded.xero_id,
             xero_number = excluded.xero_number, link = excluded.link, error_json = excluded.error_json,
             updated_at = excluded.updated_at`,
        )
        .bind(
          remittanceId,
          d.key,
          job.org_id,
          job.id,
          d.type,
          d.state,
          d.description,
          d.xeroId ?? null,
          d.xeroNumber ?? null,
          d.link ?? null,
          d.error ? JSON.stringify(d.error) : null,
          now,
        ),
    );
    const wasPosted = prev?.state === "posted" && prev.xero_id === d.xeroId;
    if (d.state === "posted" && d.xeroId && !wasPosted) {
      const p = planned.get(d.key);
      const date = p ? (p.body as unknown as { Date?: string }).Date : undefined;
      newlyPosted.push({
        key: d.key,
        type: d.type,
        xeroId: d.xeroId,
        ...(d.xeroNumber ? { number: d.xeroNumber } : {}),
        amount: p ? amountOf(p) : 0,
        currency: (p && currencyOf.get(p.paymentNumber)) ?? "",
        ...(date ? { date } : {}),
        remittanceId,
      });
    }
    if (d.state === "reversed" && prev?.state !== "reversed") reversed.push(d.key);
  }
  for (const key of reversed)
    statements.push(
      db.prepare("DELETE FROM posted_documents WHERE org_id = ?1 AND doc_key = ?2").bind(job.org_id, key),
    );
  await db.batch(statements);
  await recordPostedDocuments(db, job.org_id, newlyPosted);
}

/** A PO post job's posted invoices: stored (idempotently) so the planner never invoices them again. */
async function syncPoInvoices(
  db: D1Database,
  orgId: string,
  records: readonly InvoicedRecord[],
  view: JobView,
): Promise<void> {
  const byKey = new Map(records.map((r) => [r.key, r] as const));
  for (const d of view.documents) {
    const record = byKey.get(d.key);
    if (d.type !== "Invoice" || d.state !== "posted" || !record) continue;
    await recordInvoicePosted(db, orgId, record, d.xeroId ? { xeroInvoiceId: d.xeroId } : {});
  }
}

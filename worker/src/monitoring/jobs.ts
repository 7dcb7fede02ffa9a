/**
 * Posting jobs on the cron (issue 6): every posting job D1 still sees as active is read from its
 * organisation's OrgPoster and synced (`syncJob`), so results reach the remittance lines and monitoring
 * (`recordPostedDocuments` / `recordInvoicePosted`) even when nobody polls GET /v1/jobs/:id. Then the jobs
 * feed monitoring's job alerts: failed jobs (or finished with failed documents) and stuck ones (no
 * progress — D1's updated_at moves only when a counter or the state changes).
 */
import type { JobRecord } from "../../domain/monitoring/drift";
import { jobAlerts } from "../../domain/monitoring/drift";
import type { JobView } from "../../posting/types";
import type { Env } from "../env";
import { posterFor } from "../routes/posting";
import { getOrg } from "../store/organisations";
import { getPostingJob, type PostingJobRow, syncJob } from "../store/posting";
import { raiseAlerts } from "./deliver";

const ACTIVE = ["queued", "running", "paused", "waiting"];
const JOBS_PER_RUN = 100;
const FAILED_LOOKBACK_MS = 7 * 86_400_000;

/** The monitoring view of a posting job's D1 row (paused jobs wait for a person: not watched). */
export function jobRecord(row: PostingJobRow): JobRecord | undefined {
  const status =
    row.state === "queued"
      ? "queued"
      : row.state === "running" || row.state === "waiting"
        ? "running"
        : row.state === "failed" || (row.state === "done" && row.failed > 0)
          ? "failed"
          : row.state === "done"
            ? "succeeded"
            : row.state === "cancelled"
              ? "cancelled"
              : undefined;
  if (!status) return undefined;
  return {
    id: row.id,
    type: row.po_records_json
      ? "post-purchase-orders"
      : row.kind === "undo"
        ? "undo-remittance"
        : "post-remittance",
    status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    organisationId: row.org_id,
    ...(row.remittance_id ? { subject: `remittance ${row.remittance_id}` } : {}),
    ...(status === "failed"
      ? { error: `${row.failed} of ${row.total} documents failed${row.held ? `, ${row.held} held` : ""}` }
      : {}),
  };
}

export async function syncPostingJobs(env: Env): Promise<{ synced: string[]; alerts: number }> {
  const db = env.DB;
  const marks = ACTIVE.map((_, i) => `?${i + 1}`).join(", ");
  const active = await db
    .prepare(`SELECT * FROM posting_jobs WHERE state IN (${marks}) ORDER BY updated_at LIMIT ${JOBS_PER_RUN}`)
    .bind(...ACTIVE)
    .all<PostingJobRow>();
  const synced: string[] = [];
  for (const row of active.results) {
    try {
      const org = await getOrg(db, row.org_id);
      if (!org) continue;
      const poster = await posterFor(env, org);
      const view = (await poster.job(row.id)) as JobView | undefined;
      if (!view) continue;
      await syncJob(db, row, view);
      if (row.undo_of) {
        const target = await getPostingJob(db, row.undo_of);
        const targetView = (await poster.job(row.undo_of)) as JobView | undefined;
        if (target && targetView) await syncJob(db, target, targetView);
      }
      synced.push(row.id);
    } catch (e) {
      console.error(`posting job sync failed for ${row.id}`, e);
    }
  }
  // Job alerts: what is still active after the sync, and recent failures.
  const since = new Date(Date.now() - FAILED_LOOKBACK_MS).toISOString();
  const watched = await db
    .prepare(
      `SELECT * FROM posting_jobs WHERE state IN (${marks})
         OR ((state = 'failed' OR (state = 'done' AND failed > 0)) AND updated_at >= ?5)
       ORDER BY updated_at LIMIT ${JOBS_PER_RUN * 2}`,
    )
    .bind(...ACTIVE, since)
    .all<PostingJobRow>();
  const byOrg = new Map<string, JobRecord[]>();
  for (const row of watched.results) {
    const record = jobRecord(row);
    if (record) byOrg.set(row.org_id, [...(byOrg.get(row.org_id) ?? []), record]);
  }
  let alerts = 0;
  const now = new Date().toISOString();
  for (const [orgId, records] of byOrg) {
    try {
      alerts += (await raiseAlerts(db, orgId, jobAlerts(records, { now }), { env })).length;
    } catch (e) {
      console.error(`job alerts failed for ${orgId}`, e);
    }
  }
  return { synced, alerts };
}

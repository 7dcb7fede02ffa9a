/**
 * The cron syncs posting jobs nobody polled (issue 6): results reach D1 and monitoring without GET
 * /v1/jobs/:id, and failed jobs raise a job alert.
 */
import { createScheduledController } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { OrgPoster } from "../../worker/posting/org-poster";
import { runScheduled } from "../../worker/src/cron";
import { syncPostingJobs } from "../../worker/src/monitoring/jobs";
import { listAlerts } from "../../worker/src/monitoring/store";
import usCsv from "../fixtures/remittances/us-40311877.csv?raw";
import { sandboxGrids } from "./fixtures";
import { api, newTenant, sandbox, signIn, testEnv } from "./helpers";

async function posted() {
  const tenant = await newTenant();
  const { token } = await signIn([tenant.tenantId]);
  const org = `/v1/organisations/${tenant.tenantId}`;
  const grids = sandboxGrids();
  for (const sheet of Object.keys(grids))
    expect(
      (await api(`${org}/mappings/${sheet}`, { method: "PUT", token, json: { rows: grids[sheet] } })).status,
    ).toBe(200);
  const up = await api(`${org}/remittances`, {
    method: "POST",
    token,
    headers: { "content-type": "application/octet-stream", "x-file-name": "us-40311877.csv" },
    body: usCsv,
  });
  expect(up.status).toBe(201);
  expect((await api(`${org}/remittances/${up.body.id}/preview`, { method: "POST", token })).status).toBe(200);
  await sandbox("/sandbox/clock", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ advanceMs: 61_000 }),
  });
  const post = await api(`${org}/remittances/${up.body.id}/post`, { method: "POST", token });
  expect(post.status).toBe(202);
  // The organisation's poster finishes the job (its alarm); nobody polls the job.
  const ns = (testEnv as unknown as { ORG_POSTER: DurableObjectNamespace<OrgPoster> }).ORG_POSTER;
  await ns.get(ns.idFromName(tenant.tenantId)).runNow();
  return { tenant, token, org, id: up.body.id as string, jobId: post.body.jobId as string };
}

const jobRow = (id: string) =>
  testEnv.DB.prepare("SELECT state, posted, failed FROM posting_jobs WHERE id = ?1")
    .bind(id)
    .first<{ state: string; posted: number; failed: number }>();

describe("cron sync of posting jobs", () => {
  it("stores a job's results and reports its documents to monitoring without anyone polling", async () => {
    const { tenant, jobId, id } = await posted();
    expect((await jobRow(jobId))?.state).toBe("queued");
    // The post route stored the queued view (every document planned); nothing posted is known yet.
    const count = (table: string) =>
      testEnv.DB.prepare(
        `SELECT COUNT(*) AS n FROM ${table} WHERE org_id = ?1${table === "posting_results" ? " AND state = 'posted'" : ""}`,
      )
        .bind(tenant.tenantId)
        .first<{ n: number }>();
    expect((await count("posting_results"))?.n).toBe(0);
    expect((await count("posted_documents"))?.n).toBe(0);

    const result = await runScheduled(testEnv, createScheduledController({ cron: "*/15 * * * *" }).cron);
    expect(result.jobsSynced).toContain(jobId);
    const row = await jobRow(jobId);
    expect(row).toMatchObject({ state: "done", failed: 0 });
    expect(row?.posted).toBeGreaterThan(0);
    const results = await testEnv.DB.prepare(
      "SELECT state, xero_id FROM posting_results WHERE org_id = ?1 AND remittance_id = ?2",
    )
      .bind(tenant.tenantId, id)
      .all<{ state: string; xero_id: string | null }>();
    expect(results.results).toHaveLength(row?.posted ?? -1);
    expect(results.results.every((r) => r.state === "posted" && r.xero_id)).toBe(true);
    expect((await count("posted_documents"))?.n).toBe(row?.posted);

    // A finished job is not read again.
    expect((await syncPostingJobs(testEnv)).synced).not.toContain(jobId);
  });

  it("raises a job alert for a failed job and for one stuck without progress", async () => {
    const { tenant, jobId } = await posted();
    await syncPostingJobs(testEnv);
    await testEnv.DB.prepare("UPDATE posting_jobs SET failed = 2 WHERE id = ?1").bind(jobId).run();
    await testEnv.DB.prepare(
      `INSERT INTO posting_jobs (id, org_id, kind, remittance_id, generation, undo_of, state, total, posted, failed,
         held, created_by, created_at, updated_at)
       VALUES ('stuck-1', ?1, 'post', NULL, 0, NULL, 'running', 10, 3, 0, 0, 'test', ?2, ?2)`,
    )
      .bind(tenant.tenantId, new Date(Date.now() - 2 * 3_600_000).toISOString())
      .run();
    const { alerts } = await syncPostingJobs(testEnv);
    expect(alerts).toBeGreaterThanOrEqual(2);
    const open = await listAlerts(testEnv.DB, tenant.tenantId, { status: "active" });
    expect(open.filter((a) => a.kind === "job_failed").map((a) => a.subject)).toEqual([jobId]);
    expect(open.filter((a) => a.kind === "job_stuck").map((a) => a.subject)).toEqual(["stuck-1"]);
    // Raised once: the next run finds the same conditions and raises nothing new.
    expect((await syncPostingJobs(testEnv)).alerts).toBe(0);
  });
});

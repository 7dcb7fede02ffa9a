/**
 * Posting (issue 6; docs/api-contract.md "Posting"). The work is the organisation's OrgPoster Durable Object
 * (worker/posting): these routes plan (a fresh preview), queue the plan as a job with a deterministic id per
 * remittance and generation, record the job in D1 (for authorisation and re-posts), and copy progress and
 * per-document results back into D1 whenever a job is read or controlled.
 *
 * - `postingRoutes` is mounted at /v1/organisations/:orgId/remittances (auth and organisation already checked).
 * - `jobRoutes` is mounted at /v1/jobs: a job is reachable only through its D1 row's organisation.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { JobView } from "../../posting/types";
import { requireAuth } from "../auth/middleware";
import type { Env } from "../env";
import type { AppContext, AppEnv } from "../http/context";
import { ApiError, notFound } from "../http/errors";
import { valid } from "../http/validate";
import { planForPosting } from "../remittances/preview";
import { getRemittance } from "../remittances/store";
import { getOrg, type OrgRow, userCanAccess } from "../store/organisations";
import {
  getPostingJob,
  insertPostingJob,
  latestPostJob,
  type PostingJobRow,
  postingResults,
  postJobId,
  resultToJson,
  syncJob,
} from "../store/posting";
import { orgXeroClient } from "../xero/org-client";

/** States in which a job still has work to do: a new post request returns it instead of starting another. */
const ACTIVE = new Set(["queued", "running", "paused", "waiting"]);

/** The organisation's OrgPoster, configured with its connection (tokens come from XeroConnection). */
export async function posterFor(env: Env, org: Pick<OrgRow, "id" | "grant_id">) {
  const stub = env.ORG_POSTER.get(env.ORG_POSTER.idFromName(org.id));
  await stub.configure({ tenantId: org.id, grantId: org.grant_id });
  return stub;
}

const asView = (v: unknown) => v as JobView | undefined;

export const postingRoutes = new Hono<AppEnv>();

postingRoutes.post(
  "/:id/post",
  valid("query", z.object({ vendorCode: z.string().min(1).optional() })),
  async (c) => {
    const org = c.get("org");
    const db = c.env.DB;
    const r = await getRemittance(db, org.id, c.req.param("id"));
    if (!r) throw notFound("remittance");
    const poster = await posterFor(c.env, org);
    const latest = await latestPostJob(db, org.id, r.id);
    const latestView = latest ? asView(await poster.job(latest.id)) : undefined;
    if (latest && latestView && ACTIVE.has(latestView.state)) {
      await syncJob(db, latest, latestView);
      return c.json({ jobId: latest.id, created: false, state: latestView.state }, 202);
    }
    // Everything posted and nothing reversed since: posting again is the same job, with no Xero call.
    if (latest && latestView?.state === "done" && latestView.documents.every((d) => d.state === "posted")) {
      await syncJob(db, latest, latestView);
      return c.json({ jobId: latest.id, created: false, state: latestView.state }, 202);
    }
    // A re-post (after a failure, a mapping fix or an undo) plans only what the organisation does not have.
    const alreadyPosted = (latestView?.documents ?? []).filter((d) => d.state === "posted").map((d) => d.key);
    const x = orgXeroClient(c.env, org, (p) => c.executionCtx.waitUntil(p));
    const { toPost } = await planForPosting(db, r, x, c.req.valid("query").vendorCode, alreadyPosted);
    if (toPost.documents.length === 0) {
      if (latest) return c.json({ jobId: latest.id, created: false, state: latestView?.state }, 202);
      throw new ApiError(
        422,
        "nothing_to_post",
        "The plan has no documents to post; see the remittance's exceptions.",
      );
    }
    const generation = latest ? latest.generation + 1 : 0;
    const jobId = postJobId(r.id, generation);
    const view = asView(await poster.post({ documents: toPost.documents }, jobId)) as JobView;
    const row = {
      id: jobId,
      org_id: org.id,
      kind: "post" as const,
      remittance_id: r.id,
      generation,
      undo_of: null,
      created_by: c.get("principal").userId,
    };
    await insertPostingJob(db, row, view);
    await syncJob(db, { ...row, ...counters(view) }, view);
    return c.json(
      {
        jobId,
        created: true,
        state: view.state,
        total: view.total,
        exceptions: toPost.exceptions.length,
      },
      202,
    );
  },
);

/** Undo every post job of the remittance (newest first): reversing documents, never silent deletes. */
postingRoutes.post("/:id/undo", async (c) => {
  const org = c.get("org");
  const db = c.env.DB;
  const r = await getRemittance(db, org.id, c.req.param("id"));
  if (!r) throw notFound("remittance");
  const jobs = (
    await db
      .prepare(
        "SELECT * FROM posting_jobs WHERE org_id = ?1 AND remittance_id = ?2 AND kind = 'post' ORDER BY generation DESC",
      )
      .bind(org.id, r.id)
      .all<PostingJobRow>()
  ).results;
  if (jobs.length === 0) throw new ApiError(409, "not_posted", "Nothing of this remittance was posted.");
  const poster = await posterFor(c.env, org);
  const ids: string[] = [];
  for (const job of jobs) {
    const current = asView(await poster.job(job.id));
    if (current && ACTIVE.has(current.state)) {
      throw new ApiError(409, "job_active", `Job ${job.id} is still ${current.state}; cancel it first.`);
    }
    const view = asView(await poster.undo(job.id));
    if (!view || view.total === 0) continue;
    const row = {
      id: view.id,
      org_id: org.id,
      kind: "undo" as const,
      remittance_id: r.id,
      generation: job.generation,
      undo_of: job.id,
      created_by: c.get("principal").userId,
    };
    await insertPostingJob(db, row, view);
    ids.push(view.id);
  }
  if (ids.length === 0) throw new ApiError(409, "not_posted", "Nothing of this remittance is posted.");
  return c.json({ jobId: ids[0], jobIds: ids }, 202);
});

/** The remittance's posting results: its jobs and the latest result per document key. */
postingRoutes.get("/:id/posting", async (c) => {
  const org = c.get("org");
  const r = await getRemittance(c.env.DB, org.id, c.req.param("id"));
  if (!r) throw notFound("remittance");
  const jobs = (
    await c.env.DB.prepare(
      "SELECT * FROM posting_jobs WHERE org_id = ?1 AND remittance_id = ?2 ORDER BY created_at, generation",
    )
      .bind(org.id, r.id)
      .all<PostingJobRow>()
  ).results;
  return c.json({
    remittanceId: r.id,
    jobs: jobs.map(jobRowToJson),
    documents: (await postingResults(c.env.DB, org.id, r.id)).map(resultToJson),
  });
});

const counters = (v: JobView) => ({
  state: v.state,
  total: v.total,
  posted: v.posted,
  failed: v.failed,
  held: v.held,
  created_at: "",
  updated_at: "",
});

const jobRowToJson = (j: PostingJobRow) => ({
  id: j.id,
  kind: j.kind,
  generation: j.generation,
  ...(j.undo_of ? { undoOf: j.undo_of } : {}),
  state: j.state,
  total: j.total,
  posted: j.posted,
  failed: j.failed,
  held: j.held,
  createdAt: j.created_at,
  updatedAt: j.updated_at,
});

export const jobRoutes = new Hono<AppEnv>();
jobRoutes.use("*", requireAuth);

/** The job's D1 row and its organisation, or 404 (unknown, or an organisation the caller cannot reach). */
async function reachableJob(c: AppContext) {
  const job = await getPostingJob(c.env.DB, c.req.param("jobId") ?? "");
  const p = c.get("principal");
  if (!job) throw notFound("job");
  if (p.keyOrgId !== undefined && p.keyOrgId !== job.org_id) throw notFound("job");
  if (!(await userCanAccess(c.env.DB, p.userId, job.org_id))) throw notFound("job");
  const org = await getOrg(c.env.DB, job.org_id);
  if (!org) throw notFound("job");
  c.set("org", org);
  return { job, org, poster: await posterFor(c.env, org) };
}

type Poster = Awaited<ReturnType<typeof posterFor>>;

/** Sync the job (and, for an undo, the job it reverses) into D1; returns the job view. */
async function synced(db: D1Database, poster: Poster, job: PostingJobRow, view: JobView | undefined) {
  if (!view) throw notFound("job");
  await syncJob(db, job, view);
  if (job.undo_of) {
    const target = await getPostingJob(db, job.undo_of);
    const targetView = asView(await poster.job(job.undo_of));
    if (target && targetView) await syncJob(db, target, targetView);
  }
  return {
    ...view,
    organisationId: job.org_id,
    ...(job.remittance_id ? { remittanceId: job.remittance_id } : {}),
    ...(job.undo_of ? { undoOf: job.undo_of } : {}),
  };
}

jobRoutes.get("/:jobId", async (c) => {
  const { job, poster } = await reachableJob(c);
  return c.json(await synced(c.env.DB, poster, job, asView(await poster.job(job.id))));
});

for (const action of ["pause", "resume", "cancel"] as const) {
  jobRoutes.post(`/:jobId/${action}`, async (c) => {
    const { job, poster } = await reachableJob(c);
    if (!asView(await poster.job(job.id))) throw notFound("job");
    const view = asView(await poster[action](job.id));
    return c.json(await synced(c.env.DB, poster, job, view));
  });
}

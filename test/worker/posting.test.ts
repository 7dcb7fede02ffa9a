/**
 * Posting through the API Worker (issue 6): upload → preview → post → poll the job → the sandbox ledger;
 * re-posting creates nothing new; jobs are reachable only by users of their organisation; undo reverses.
 */
import { describe, expect, it } from "vitest";
import { remittanceCommand } from "../../worker/cli/commands/remittance";
import usCsv from "../fixtures/remittances/us-40311877.csv?raw";
import { sandboxGrids } from "./fixtures";
import { api, apiKey, newTenant, type Reply, sandbox, signIn, strangerSession } from "./helpers";

async function ready() {
  const tenant = await newTenant();
  const { token } = await signIn([tenant.tenantId]);
  const org = `/v1/organisations/${tenant.tenantId}`;
  const grids = sandboxGrids();
  for (const sheet of Object.keys(grids)) {
    const put = await api(`${org}/mappings/${sheet}`, { method: "PUT", token, json: { rows: grids[sheet] } });
    expect(put.status).toBe(200);
  }
  const up = await api(`${org}/remittances`, {
    method: "POST",
    token,
    headers: { "content-type": "application/octet-stream", "x-file-name": "us-40311877.csv" },
    body: usCsv,
  });
  expect(up.status).toBe(201);
  const preview = await api(`${org}/remittances/${up.body.id}/preview`, { method: "POST", token });
  expect(preview.status).toBe(200);
  await nextMinute();
  return { tenant, token, org, id: up.body.id as string, plan: preview.body.plan };
}

/** Xero allows 60 calls a minute per organisation: move the sandbox clock past the window. */
const nextMinute = () =>
  sandbox("/sandbox/clock", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ advanceMs: 61_000 }),
  });

const FINAL = new Set(["done", "failed", "cancelled"]);

async function until(jobId: string, token: string, timeoutMs = 25_000): Promise<Reply> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await api(`/v1/jobs/${jobId}`, { token });
    expect(r.status).toBe(200);
    if (FINAL.has(r.body.state) || Date.now() > deadline) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function balances(tenantId: string): Promise<Record<string, number>> {
  const tb = await sandbox(`/sandbox/tenants/${tenantId}/trial-balance`);
  expect(tb.status).toBe(200);
  expect(tb.body.Balanced).toBe(true);
  return Object.fromEntries(
    tb.body.Accounts.map((a: { Code: string; Balance: number }) => [a.Code, a.Balance]),
  );
}

/** Σ of the plan's deduction lines per mapped account (a deduction is a debit: the negated line amount). */
function expectedByAccount(plan: {
  lines: { treatment: string; accountCode?: string; amount: string; held: boolean }[];
}) {
  const out: Record<string, number> = {};
  for (const l of plan.lines) {
    if (l.treatment === "payment" || l.treatment === "none" || !l.accountCode || l.held) continue;
    out[l.accountCode] = Math.round(((out[l.accountCode] ?? 0) - Number(l.amount)) * 100) / 100;
  }
  return out;
}

describe("posting a remittance through the API Worker", () => {
  it("posts the fixture remittance: the ledger shows each deduction on its mapped account, clearing at zero", async () => {
    const { tenant, token, org, id, plan } = await ready();
    const before = await balances(tenant.tenantId);
    const post = await api(`${org}/remittances/${id}/post`, { method: "POST", token });
    expect(post.status).toBe(202);
    expect(post.body).toMatchObject({ jobId: `rem-${id}-0`, created: true });
    const job = await until(post.body.jobId, token);
    expect(job.body).toMatchObject({
      id: post.body.jobId,
      state: "done",
      total: plan.documents.length,
      posted: plan.documents.length,
      failed: 0,
      held: 0,
      organisationId: tenant.tenantId,
      remittanceId: id,
    });
    for (const d of job.body.documents) {
      expect(d.state).toBe("posted");
      expect(d.xeroId).toEqual(expect.any(String));
      expect(d.link).toMatch(/^https:\/\/go\.xero\.com\//);
    }

    const after = await balances(tenant.tenantId);
    expect(after["1210"] ?? 0).toBe(0);
    const expected = expectedByAccount(plan);
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(4);
    for (const [code, amount] of Object.entries(expected))
      expect([code, Math.round(((after[code] ?? 0) - (before[code] ?? 0)) * 100) / 100]).toEqual([
        code,
        amount,
      ]);
    expect(after).toMatchObject({ "6110": 1000, "6120": 150, "6130": 300, "6140": 80 });

    // Results are stored on the remittance, and every accepted document is known to monitoring.
    const results = await api(`${org}/remittances/${id}/posting`, { token });
    expect(results.status).toBe(200);
    expect(results.body.documents).toHaveLength(plan.documents.length);
    expect(
      results.body.documents.every(
        (d: { state: string; xeroId?: string }) => d.state === "posted" && d.xeroId,
      ),
    ).toBe(true);
    expect(results.body.jobs).toEqual([
      expect.objectContaining({
        id: post.body.jobId,
        kind: "post",
        state: "done",
        posted: plan.documents.length,
      }),
    ]);
    const report = await api(`${org}/reports/month/2026-02`, { token });
    expect(report.status).toBe(200);
    expect(report.body.basis).toBe("posted");

    // Posting again creates nothing new: the job is the same and the ledger unchanged.
    const again = await api(`${org}/remittances/${id}/post`, { method: "POST", token });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ jobId: post.body.jobId, created: false });
    expect(await balances(tenant.tenantId)).toEqual(after);
  });

  it("answers 404 for another user's job, and for controls on it", async () => {
    const { token, org, id } = await ready();
    const post = await api(`${org}/remittances/${id}/post`, { method: "POST", token });
    expect(post.status).toBe(202);
    const stranger = await strangerSession();
    expect((await api(`/v1/jobs/${post.body.jobId}`, { token: stranger })).status).toBe(404);
    for (const action of ["pause", "resume", "cancel"])
      expect(
        (await api(`/v1/jobs/${post.body.jobId}/${action}`, { method: "POST", token: stranger })).status,
      ).toBe(404);
    expect((await api(`${org}/remittances/${id}/post`, { method: "POST", token: stranger })).status).toBe(
      404,
    );
    expect((await api(`/v1/jobs/no-such-job`, { token })).status).toBe(404);
    expect((await api(`/v1/jobs/${post.body.jobId}`)).status).toBe(401);
    await until(post.body.jobId, token);
  });

  it("undo reverses the posted documents; a re-post posts them again exactly once", async () => {
    const { tenant, token, org, id, plan } = await ready();
    const before = await balances(tenant.tenantId);
    const post = await api(`${org}/remittances/${id}/post`, { method: "POST", token });
    expect((await until(post.body.jobId, token)).body.state).toBe("done");

    const undo = await api(`${org}/remittances/${id}/undo`, { method: "POST", token });
    expect(undo.status).toBe(202);
    expect(undo.body.jobId).toBe(`${post.body.jobId}:undo`);
    const undone = await until(undo.body.jobId, token);
    expect(undone.body).toMatchObject({ state: "done", kind: "undo", posted: plan.documents.length });
    const original = await api(`/v1/jobs/${post.body.jobId}`, { token });
    expect(original.body.reversed).toBe(plan.documents.length);
    const reversed = await balances(tenant.tenantId);
    for (const code of ["1210", "6110", "6120", "6130", "6140"])
      expect([code, reversed[code] ?? 0]).toEqual([code, before[code] ?? 0]);

    await nextMinute();
    const repost = await api(`${org}/remittances/${id}/post`, { method: "POST", token });
    expect(repost.body).toMatchObject({ jobId: `rem-${id}-1`, created: true });
    const done = await until(repost.body.jobId, token);
    expect(done.body).toMatchObject({ state: "done", posted: plan.documents.length, failed: 0 });
    const after = await balances(tenant.tenantId);
    expect(after["1210"] ?? 0).toBe(0);
    expect(after).toMatchObject({ "6110": 1000, "6120": 150, "6130": 300, "6140": 80 });
  });

  it("pauses, resumes and cancels a job through /v1/jobs", async () => {
    const { token, org, id } = await ready();
    const post = await api(`${org}/remittances/${id}/post`, { method: "POST", token });
    const paused = await api(`/v1/jobs/${post.body.jobId}/pause`, { method: "POST", token });
    expect(paused.status).toBe(200);
    expect(["paused", "done"]).toContain(paused.body.state);
    if (paused.body.state === "paused") {
      const resumed = await api(`/v1/jobs/${post.body.jobId}/resume`, { method: "POST", token });
      expect(resumed.status).toBe(200);
      expect(resumed.body.state).not.toBe("paused");
    }
    expect((await until(post.body.jobId, token)).body.state).toBe("done");
    const cancel = await api(`/v1/jobs/${post.body.jobId}/cancel`, { method: "POST", token });
    expect(cancel.status).toBe(200);
  });

  it("vcx remittance post --wait draws progress until the job is done", async () => {
    const { tenant, token, id, plan } = await ready();
    const key = await apiKey(token, tenant.tenantId);
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      readFile: async () => new Uint8Array(),
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      sleep: (ms: number) => new Promise<void>((res) => setTimeout(res, Math.min(ms, 50))),
      env: { VCX_URL: "http://vcx.test", VCX_API_KEY: key },
      fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
        api(String(input).replace("http://vcx.test", ""), init ?? {}).then(
          (r) => new Response(r.text, { status: r.status }),
        )) as typeof fetch,
    };
    expect(await remittanceCommand(["post", id, "--wait"], io)).toBe(0);
    expect(err.join("")).toBe("");
    const n = plan.documents.length;
    expect(out[0]).toBe(`Posting job rem-${id}-0\n`);
    expect(out.at(-1)).toBe(`[${"#".repeat(30)}] ${n}/${n} posted, 0 failed, 0 held  done\n`);
    out.length = 0;
    expect(await remittanceCommand(["post", id], io)).toBe(0);
    expect(out.join("")).toBe(`Already posted by job rem-${id}-0\n`);
    expect(await remittanceCommand(["post", "no-such-remittance"], io)).toBe(1);
  });
});

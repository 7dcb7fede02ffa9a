/**
 * OrgPoster, the per-organisation Durable Object: post a plan (the work happens in the alarm), progress as
 * in docs/api-contract.md, resume after a restart, undo by reversing documents, and re-post what is missing.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { PostingEngine } from "../../worker/posting/engine";
import { OrgPoster, type OrgPosterEnv } from "../../worker/posting/org-poster";
import { control, inspect, newTenant, planWorkedExample, syncedClock, transportFor } from "./harness";
import { inputs, sandbox } from "./support";

const ns = () => (env as unknown as { ORG_POSTER: DurableObjectNamespace<OrgPoster> }).ORG_POSTER;

async function setup() {
  await control(sandbox, "/sandbox/faults", "DELETE");
  const clock = await syncedClock(sandbox, "2026-02-10T12:00:00Z");
  const tenant = await newTenant(sandbox);
  const x = transportFor(sandbox, tenant);
  const planned = await planWorkedExample(x, inputs());
  await clock.advance(61_000);
  const stub = ns().get(ns().idFromName(tenant.tenantId));
  await stub.configure({ tenantId: tenant.tenantId, accessToken: tenant.accessToken });
  return { clock, tenant, x, stub, ...planned };
}

describe("OrgPoster", () => {
  it("posts a job from its alarm and reports per-document progress", async () => {
    const { stub, plan, tenant, clock } = await setup();
    const queued = await stub.post({ documents: plan.documents }, "job-1");
    expect(queued).toMatchObject({ id: "job-1", total: 8 });
    await stub.runNow(); // waits for the alarm's run, or runs it
    const done = await stub.job("job-1");
    expect(done).toMatchObject({ state: "done", total: 8, posted: 8, failed: 0, held: 0 });
    expect(done?.documents.every((d) => d.state === "posted" && d.xeroId && d.link)).toBe(true);
    await clock.advance(61_000);
    const ledger = await inspect(sandbox, tenant, plan.documents);
    expect([ledger.duplicates, ledger.lost, ledger.balances["1210"]]).toEqual([0, 0, 0]);
  });

  it("resumes a queued job after a restart (a new instance over the same storage)", async () => {
    const { stub, plan } = await setup();
    await stub.post({ documents: plan.documents }, "job-r", { paused: true });
    // Let the alarm the post set run to its end now (the job is paused, so it does nothing); otherwise it
    // can start in the old instance while the fresh one resumes the job, and two engines send one job.
    await runDurableObjectAlarm(stub);
    const result = await runInDurableObject(stub, async (_old, state) => {
      // The post's alarm belongs to the old instance: an evicted object runs no more code. (Left set, it can
      // fire while the fresh instance runs and two engines would send the same job.)
      await state.storage.deleteAlarm();
      // The constructor runs again over the stored queue, as after an eviction.
      const fresh = new OrgPoster(state, env as unknown as OrgPosterEnv);
      (fresh as unknown as { engine(): PostingEngine }).engine().resume("job-r");
      return fresh.runNow();
    });
    expect(result).toEqual({ state: "idle" });
    const view = await stub.job("job-r");
    expect({ posted: view?.posted, failures: view?.documents.filter((d) => d.state !== "posted") }).toEqual({
      posted: 8,
      failures: [],
    });
  });

  it("pauses and cancels: nothing is sent for a cancelled job", async () => {
    const { stub, plan } = await setup();
    expect((await stub.post({ documents: plan.documents }, "job-c", { paused: true }))?.state).toBe("paused");
    await stub.runNow();
    expect((await stub.job("job-c"))?.posted).toBe(0);
    const cancelled = await stub.cancel("job-c");
    expect(cancelled).toMatchObject({ state: "cancelled", held: 8, posted: 0 });
    expect(cancelled?.documents[0]?.error?.code).toBe("cancelled");
  });

  it("undo reverses everything (void, delete, reversing journal); a re-post posts it again once", async () => {
    const { stub, plan, tenant, clock, replan, x } = await setup();
    await stub.post({ documents: plan.documents }, "job-u");
    await stub.runNow();
    expect((await stub.job("job-u"))?.posted).toBe(8);

    const undo = await stub.undo("job-u");
    expect(undo?.total).toBe(8);
    await stub.runNow();
    expect(await stub.job("job-u:undo")).toMatchObject({ state: "done", posted: 8 });
    expect((await stub.job("job-u"))?.reversed).toBe(8);
    await clock.advance(61_000);
    const undone = await control(sandbox, `/sandbox/tenants/${tenant.tenantId}/trial-balance`);
    const bal = Object.fromEntries(
      undone.Accounts.map((a: { Code: string; Balance: number }) => [a.Code, a.Balance]),
    );
    expect(undone.Balanced).toBe(true);
    for (const code of ["1210", "6110", "6120", "6130", "6140", "6160", "1220"])
      expect(bal[code] ?? 0).toBe(0);
    expect(bal["090"]).toBe(2000); // only the seeded INV-C receipt
    const invs = await x({ method: "GET", path: "/Invoices", query: { InvoiceNumbers: "INV-A,INV-B" } });
    expect((invs.body as { Invoices: { Status: string }[] }).Invoices.map((i) => i.Status)).toEqual([
      "AUTHORISED",
      "AUTHORISED",
    ]);

    // After the undo, a fresh plan posts every document again — once.
    const again = await replan([]);
    await clock.advance(61_000);
    await stub.post({ documents: again.documents }, "job-u2");
    await stub.runNow();
    expect(await stub.job("job-u2")).toMatchObject({ state: "done", posted: 8 });
    const tb = await control(sandbox, `/sandbox/tenants/${tenant.tenantId}/trial-balance`);
    const after = Object.fromEntries(
      tb.Accounts.map((a: { Code: string; Balance: number }) => [a.Code, a.Balance]),
    );
    expect(after).toMatchObject({
      "1210": 0,
      "6160": 200,
      "6120": 150,
      "6110": 1000,
      "6130": 300,
      "6140": 80,
      "090": 14770,
    });
  });
});

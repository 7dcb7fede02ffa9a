/**
 * Seeded fault-injected runs against the real sandbox: 500/503, 429 + Retry-After, lost responses (commit
 * then 504), delays, crashes mid-batch with a restart over the same storage, and restarts after Xero's
 * 6-minute idempotency window. After each run every planned document exists exactly once.
 */
import { describe, expect, it } from "vitest";
import { PostingEngine } from "../../worker/posting/engine";
import { MemoryPostingStore } from "../../worker/posting/store";
import {
  Crash,
  control,
  crashing,
  faultRun,
  inspect,
  limitWatch,
  newTenant,
  planWorkedExample,
  syncedClock,
  transportFor,
} from "./harness";
import { inputs, sandbox, soakRuns, soakSeed } from "./support";

async function setup() {
  await control(sandbox, "/sandbox/faults", "DELETE");
  const clock = await syncedClock(sandbox, "2026-02-10T12:00:00Z");
  const tenant = await newTenant(sandbox);
  const x = transportFor(sandbox, tenant);
  const { plan, replan } = await planWorkedExample(x, inputs());
  await clock.advance(61_000);
  return { clock, tenant, x, plan, replan };
}

const fault = (f: Record<string, unknown>) => control(sandbox, "/sandbox/faults", "POST", f);

describe("ambiguous outcomes", () => {
  it("a lost response (committed, then 504) is replayed with the same key: no duplicate", async () => {
    const { clock, tenant, x, plan } = await setup();
    await fault({ kind: "lost-response", method: "PUT", pathPrefix: "/api.xro/2.0/Payments", count: 2 });
    const engine = new PostingEngine({
      store: new MemoryPostingStore(),
      transport: x,
      clock,
      keyScope: tenant.tenantId,
    });
    engine.submit(plan, "j");
    await engine.run();
    expect(engine.view("j")?.posted).toBe(8);
    await control(sandbox, "/sandbox/faults", "DELETE");
    await clock.advance(61_000);
    const ledger = await inspect(sandbox, tenant, plan.documents);
    expect([ledger.duplicates, ledger.lost, ledger.balances["1210"]]).toEqual([0, 0, 0]);
  });

  it("after a crash and more than 6 minutes, documents are looked up, not sent again", async () => {
    const { clock, tenant, x, plan } = await setup();
    await fault({ kind: "lost-response", method: "PUT", pathPrefix: "/api.xro/2.0/CreditNotes" });
    const store = new MemoryPostingStore();
    const first = new PostingEngine({
      store,
      transport: crashing(x, (c) => c.method === "PUT" && c.path === "/CreditNotes"),
      clock,
      keyScope: tenant.tenantId,
    });
    first.submit(plan, "j");
    await expect(first.run()).rejects.toBeInstanceOf(Crash);
    await first.settled();
    expect(store.listBatches("j").length).toBeGreaterThan(0);
    expect(store.getDocs("j").some((d) => d.state === "sending")).toBe(true);
    await clock.advance(7 * 60_000);
    const reads: string[] = [];
    const second = new PostingEngine({
      store,
      keyScope: tenant.tenantId,
      transport: async (c) => {
        if (c.method === "GET") reads.push(`${c.path}?${c.query?.["where"] ?? ""}`);
        return x(c);
      },
      clock,
    });
    expect(await second.run()).toEqual({ state: "idle" });
    expect(reads.some((r) => r.startsWith("/CreditNotes?Reference=="))).toBe(true);
    expect(second.view("j")?.posted).toBe(8);
    await control(sandbox, "/sandbox/faults", "DELETE");
    await clock.advance(61_000);
    const ledger = await inspect(sandbox, tenant, plan.documents);
    expect([ledger.duplicates, ledger.lost, ledger.balanced]).toEqual([0, 0, true]);
  });

  it("honours 429 Retry-After and never trips the sandbox's own limits", async () => {
    const { clock, tenant, x, plan } = await setup();
    await fault({ kind: "rate-limit", retryAfter: 45, pathPrefix: "/api.xro/2.0/Payments" });
    const watch = limitWatch(x);
    const engine = new PostingEngine({
      store: new MemoryPostingStore(),
      transport: watch.transport,
      clock,
      keyScope: tenant.tenantId,
    });
    const t0 = clock.now();
    engine.submit(plan, "j");
    await engine.run();
    expect(engine.view("j")?.posted).toBe(8);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(45_000);
    expect(watch.seen.realLimit429).toBe(0);
  });
});

describe("the world changed since the preview", () => {
  it("holds documents dated in a newly locked period, with an exception, never forcing", async () => {
    const { clock, tenant, x, plan } = await setup();
    await control(sandbox, `/sandbox/tenants/${tenant.tenantId}`, "PATCH", { periodLockDate: "2026-02-28" });
    const engine = new PostingEngine({
      store: new MemoryPostingStore(),
      transport: x,
      clock,
      keyScope: tenant.tenantId,
    });
    engine.submit(plan, "j");
    await engine.run();
    const view = engine.view("j");
    expect(view?.state).toBe("failed");
    expect(view?.posted).toBe(0);
    expect(view?.held).toBe(8);
    expect(view?.documents[0]?.error?.code).toBe("period_locked");
  });

  it("re-plans with fresh data when given the inputs: the locked payment is re-dated to the first open day", async () => {
    const { clock, tenant, x, plan, replan } = await setup();
    await control(sandbox, `/sandbox/tenants/${tenant.tenantId}`, "PATCH", { periodLockDate: "2026-02-15" });
    const engine = new PostingEngine({
      store: new MemoryPostingStore(),
      transport: x,
      clock,
      keyScope: tenant.tenantId,
      replan: (_job, posted) => replan(posted),
    });
    engine.submit(plan, "j");
    await engine.run();
    const view = engine.view("j");
    expect(view?.posted).toBe(8);
    await clock.advance(61_000);
    const ledger = await inspect(sandbox, tenant, plan.documents);
    expect([ledger.duplicates, ledger.lost, ledger.balances["1210"]]).toEqual([0, 0, 0]);
  });

  it("holds a payment whose invoice was paid elsewhere since the preview, and its dependants", async () => {
    const { clock, tenant, x, plan } = await setup();
    const invA = plan.documents.find((d) => d.key.endsWith(":pay:INV-A"));
    const id = invA?.type === "Payment" ? invA.body.Invoice?.InvoiceID : undefined;
    const paid = await x({
      method: "PUT",
      path: "/Payments",
      bodyText: JSON.stringify({
        Payments: [
          { Invoice: { InvoiceID: id }, Account: { Code: "090" }, Date: "2026-02-10", Amount: 10000 },
        ],
      }),
    });
    expect(paid.status).toBe(200);
    const engine = new PostingEngine({
      store: new MemoryPostingStore(),
      transport: x,
      clock,
      keyScope: tenant.tenantId,
    });
    engine.submit(plan, "j");
    await engine.run();
    const doc = engine.view("j")?.documents.find((d) => d.key === invA?.key);
    expect(doc?.state).toBe("held");
    expect(doc?.error?.code).toBe("invoice_already_paid");
  });
});

describe("seeded fault-injected runs", () => {
  it(`every planned document exactly once over ${soakRuns()} seeded runs`, async () => {
    const seed0 = soakSeed();
    let duplicates = 0;
    let lost = 0;
    const failures: unknown[] = [];
    for (let i = 0; i < soakRuns(); i++) {
      const r = await faultRun(sandbox, seed0 + i, inputs());
      duplicates += r.ledger.duplicates;
      lost += r.ledger.lost;
      if (!r.ok) failures.push({ seed: r.seed, problems: r.problems, faults: r.faults, crashes: r.crashes });
    }
    expect(failures).toEqual([]);
    expect({ duplicates, lost }).toEqual({ duplicates: 0, lost: 0 });
  });
});

/**
 * Upload → preview → post, end to end on the real sandbox: the fixture remittance 40311877 planned with the
 * demo mapping workbook against the organisation read from Xero, posted by the engine; the trial balance
 * then shows each deduction on its account, INV-A/B paid, the credit note allocated, clearing at zero.
 */
import { describe, expect, it } from "vitest";
import { PostingEngine } from "../../worker/posting/engine";
import { MemoryPostingStore } from "../../worker/posting/store";
import { countingTransport } from "../../worker/posting/transport";
import {
  control,
  inspect,
  limitWatch,
  newTenant,
  planWorkedExample,
  syncedClock,
  transportFor,
} from "./harness";
import { inputs, sandbox } from "./support";

describe("posting the worked example (remittance 40311877)", () => {
  it("posts every planned document once and leaves the ledger as accounting-model.md says", async () => {
    await control(sandbox, "/sandbox/faults", "DELETE");
    const clock = await syncedClock(sandbox, "2026-02-10T12:00:00Z");
    const tenant = await newTenant(sandbox);
    const x = transportFor(sandbox, tenant);
    const { plan } = await planWorkedExample(x, inputs());
    expect(plan.documents.map((d) => d.type)).toEqual([
      "CreditNote",
      "Allocation",
      "Payment",
      "Payment",
      "CreditNote",
      "RefundPayment",
      "ManualJournal",
      "BankTransaction",
    ]);
    await clock.advance(61_000);
    const watch = limitWatch(x);
    const counted = countingTransport(watch.transport);
    const engine = new PostingEngine({
      store: new MemoryPostingStore(),
      transport: counted,
      clock,
      keyScope: tenant.tenantId,
    });
    engine.submit(plan, "job-1");
    expect(await engine.run()).toEqual({ state: "idle" });

    const view = engine.view("job-1");
    expect(view?.state).toBe("done");
    expect(view?.posted).toBe(8);
    for (const d of view?.documents ?? []) {
      expect(d.xeroId).toMatch(/^[0-9a-f-]{36}$/);
      expect(d.link).toMatch(/^https:\/\/go\.xero\.com\//);
    }
    // Every write: summarizeErrors=false, unitdp=4, an Idempotency-Key.
    const writes = counted.calls.filter((c) => c.method === "PUT");
    for (const c of writes) {
      expect(c.query).toMatchObject({ summarizeErrors: "false", unitdp: "4" });
      expect(c.idempotencyKey).toBeTruthy();
    }
    // Batched per endpoint, parents first: both credit notes in one call, then the allocation (its own
    // call: the id is in the URL) and the refund, then INV-B's payment; 7 writes for 8 documents.
    const paths = writes.map((c) => c.path.replace(/[0-9a-f-]{36}/, "{id}"));
    expect([...paths].sort()).toEqual(
      [
        "/BankTransactions",
        "/CreditNotes",
        "/CreditNotes/{id}/Allocations",
        "/ManualJournals",
        "/Payments",
        "/Payments",
        "/Payments",
      ].sort(),
    );
    const cnBatch = JSON.parse(writes[paths.indexOf("/CreditNotes")]?.bodyText ?? "{}");
    expect(cnBatch.CreditNotes).toHaveLength(2);
    const payBodies = writes.filter((c) => c.path === "/Payments").map((c) => JSON.parse(c.bodyText ?? "{}"));
    const invB = plan.documents.find((d) => d.key.endsWith(":pay:INV-B"));
    const invBAt = payBodies.findIndex((b) =>
      b.Payments.some((p: { Reference: string }) => p.Reference.endsWith(invB?.key ?? "?")),
    );
    expect(writes.indexOf(writes.filter((c) => c.path === "/Payments")[invBAt] as never)).toBeGreaterThan(
      paths.indexOf("/CreditNotes/{id}/Allocations"),
    );
    expect(paths.indexOf("/CreditNotes/{id}/Allocations")).toBeGreaterThan(paths.indexOf("/CreditNotes"));
    expect(watch.seen.realLimit429).toBe(0);

    await clock.advance(61_000);
    const ledger = await inspect(sandbox, tenant, plan.documents);
    expect(ledger.duplicates).toBe(0);
    expect(ledger.lost).toBe(0);
    expect(ledger.balanced).toBe(true);
    expect(ledger.balances["1210"]).toBe(0);
    expect(ledger.balances).toMatchObject({
      "6160": 200,
      "6120": 150,
      "6110": 1000,
      "6130": 300,
      "6140": 80,
      "1220": 500,
      "090": 14770,
    });
    expect(ledger.invoices).toEqual({ "INV-A": "PAID", "INV-B": "PAID", "INV-C": "PAID" });

    // Posting the same plan again posts nothing: the organisation already has every key.
    engine.submit(plan, "job-2");
    await engine.run();
    expect(engine.view("job-2")?.posted).toBe(8);
    expect(counted.calls.filter((c) => c.method === "PUT")).toHaveLength(writes.length);
  });
});

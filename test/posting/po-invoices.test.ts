/**
 * Purchase-order invoices through the posting engine, against the real sandbox: Amazon's status example
 * planned by `planPoInvoices` and posted with PUT /Invoices (unitdp=4, summarizeErrors=false, batched),
 * exactly once — through a lost response, and through a crash past Xero's idempotency window (the invoice
 * is then found by its InvoiceNumber, since its Reference is the bare PO number) — re-posting creates
 * nothing, and undo voids the invoice.
 */
import { describe, expect, it } from "vitest";
import statusExample from "../../../shared/specs/amazon-sp-api/examples/vendorOrders.getPurchaseOrdersStatus.200.json?raw";
import { mappingsFromGrids } from "../../worker/domain/mapping/workbook";
import { type PlannedInvoice, planPoInvoices } from "../../worker/domain/po/plan";
import { readPoFile } from "../../worker/domain/po/read";
import { PostingEngine } from "../../worker/posting/engine";
import { readOrgSnapshot } from "../../worker/posting/snapshot";
import { MemoryPostingStore } from "../../worker/posting/store";
import type { XeroCall, XeroTransport } from "../../worker/posting/transport";
import { sandboxGrids } from "../worker/fixtures";
import {
  Crash,
  control,
  crashing,
  newTenant,
  retryingReads,
  syncedClock,
  type Tenant,
  transportFor,
} from "./harness";
import { sandbox } from "./support";

/** The SKU map of Amazon's example products onto the sandbox's seeded items (as test/worker uses). */
const SKUS = [
  ["ASIN", "Vendor SKU", "Item Code", "Units Per Case", "Agreed Cost Per Each", "Currency", "Tax Type"],
  ["B07DFVDRAB", "8806098286500", "B07DFVDRAB", "1", "346.27", "USD", ""],
  ["B07DFYF5AB", "8806098286123", "8806093095123", "1", "229.47", "USD", ""],
  ["B07DFYF5XY", "8806098286789", "028877454078", "1", "20.00", "USD", ""],
];

function mappings() {
  const g = sandboxGrids();
  const settings = g.Settings ?? [];
  const acme = settings[1] ?? [];
  const m = mappingsFromGrids({
    ...g,
    SKUs: SKUS,
    Settings: [settings[0] ?? [], acme, acme.map((c, i) => (i === 0 ? "999US" : c))],
  });
  if (!m.ok) throw new Error(`mappings: ${JSON.stringify(m.errors)}`);
  return m.mappings;
}

async function setup() {
  await control(sandbox, "/sandbox/faults", "DELETE");
  const clock = await syncedClock(sandbox, "2026-02-10T12:00:00Z");
  const tenant = await newTenant(sandbox);
  const x = transportFor(sandbox, tenant);
  const read = readPoFile("status.json", statusExample);
  const plan = planPoInvoices(read.orders, mappings(), await readOrgSnapshot(retryingReads(x), []));
  expect(plan.invoices).toHaveLength(1);
  await clock.advance(61_000);
  return { clock, tenant, x, invoices: plan.invoices };
}

const fault = (f: Record<string, unknown>) => control(sandbox, "/sandbox/faults", "POST", f);

/** Every ACCREC invoice in the sandbox org carrying one of these numbers (voided ones included). */
async function invoicesIn(t: Tenant, numbers: string[]) {
  const r = await retryingReads(transportFor(sandbox, t))({
    method: "GET",
    path: "/Invoices",
    query: { InvoiceNumbers: numbers.join(",") },
  });
  return (r.body as { Invoices: { InvoiceID: string; InvoiceNumber: string; Status: string }[] }).Invoices;
}

/** Records the calls that go through, as "METHOD /path?query". */
function recording(inner: XeroTransport) {
  const calls: string[] = [];
  const transport: XeroTransport = async (c: XeroCall) => {
    calls.push(`${c.method} ${c.path}?${new URLSearchParams(c.query ?? {}).toString()}`);
    return inner(c);
  };
  return { calls, transport };
}

describe("purchase-order invoices", () => {
  it("posts the planned invoice once with unitdp=4 and summarizeErrors=false; re-posting creates nothing", async () => {
    const { clock, tenant, x, invoices } = await setup();
    const inv = invoices[0] as PlannedInvoice;
    const rec = recording(x);
    const store = new MemoryPostingStore();
    const engine = new PostingEngine({ store, transport: rec.transport, clock, keyScope: tenant.tenantId });
    engine.submit({ documents: invoices }, "po-1");
    expect(await engine.run()).toEqual({ state: "idle" });
    const view = engine.view("po-1");
    expect(view).toMatchObject({ state: "done", total: 1, posted: 1 });
    expect(view?.documents[0]).toMatchObject({
      key: inv.key,
      type: "Invoice",
      xeroNumber: inv.body.InvoiceNumber,
      link: expect.stringContaining("InvoiceID="),
    });
    const puts = rec.calls.filter((c) => c.startsWith("PUT "));
    expect(puts).toEqual(["PUT /Invoices?summarizeErrors=false&unitdp=4"]);
    const inXero = await invoicesIn(tenant, [inv.body.InvoiceNumber]);
    expect(inXero.map((i) => [i.InvoiceID, i.Status])).toEqual([[view?.documents[0]?.xeroId, "AUTHORISED"]]);

    // The same plan again: the organisation already has it — no Xero write.
    const writesBefore = engine.calls.writes;
    engine.submit({ documents: invoices }, "po-2");
    await engine.run();
    expect(engine.view("po-2")).toMatchObject({ state: "done", posted: 1 });
    expect(engine.calls.writes).toBe(writesBefore);
    expect(await invoicesIn(tenant, [inv.body.InvoiceNumber])).toHaveLength(1);
  });

  it("batches invoices under one PUT /Invoices (≤ 50 per request)", async () => {
    const { clock, tenant, x, invoices } = await setup();
    const inv = invoices[0] as PlannedInvoice;
    const many = Array.from({ length: 3 }, (_, i) => ({
      ...inv,
      key: `${inv.key}-b${i}`,
      body: { ...inv.body, InvoiceNumber: `${inv.body.InvoiceNumber}-B${i}` },
    }));
    const rec = recording(x);
    const engine = new PostingEngine({
      store: new MemoryPostingStore(),
      transport: rec.transport,
      clock,
      keyScope: tenant.tenantId,
    });
    engine.submit({ documents: many }, "po-b");
    await engine.run();
    expect(engine.view("po-b")).toMatchObject({ state: "done", posted: 3 });
    expect(rec.calls.filter((c) => c.startsWith("PUT "))).toHaveLength(1);
    expect(
      await invoicesIn(
        tenant,
        many.map((d) => d.body.InvoiceNumber),
      ),
    ).toHaveLength(3);
  });

  it("a lost response (committed, then 504) is replayed with the same key: one invoice", async () => {
    const { clock, tenant, x, invoices } = await setup();
    const inv = invoices[0] as PlannedInvoice;
    await fault({ kind: "lost-response", method: "PUT", pathPrefix: "/api.xro/2.0/Invoices", count: 2 });
    const engine = new PostingEngine({
      store: new MemoryPostingStore(),
      transport: x,
      clock,
      keyScope: tenant.tenantId,
    });
    engine.submit({ documents: invoices }, "po-l");
    await engine.run();
    expect(engine.view("po-l")).toMatchObject({ state: "done", posted: 1 });
    await control(sandbox, "/sandbox/faults", "DELETE");
    const inXero = await invoicesIn(tenant, [inv.body.InvoiceNumber]);
    expect(inXero.map((i) => i.InvoiceID)).toEqual([engine.view("po-l")?.documents[0]?.xeroId]);
  });

  it("after a lost response, a crash and more than 6 minutes, the invoice is found by InvoiceNumber", async () => {
    const { clock, tenant, x, invoices } = await setup();
    const inv = invoices[0] as PlannedInvoice;
    await fault({ kind: "lost-response", method: "PUT", pathPrefix: "/api.xro/2.0/Invoices" });
    const store = new MemoryPostingStore();
    const first = new PostingEngine({
      store,
      transport: crashing(x, (c) => c.method === "PUT" && c.path === "/Invoices"),
      clock,
      keyScope: tenant.tenantId,
    });
    first.submit({ documents: invoices }, "po-c");
    await expect(first.run()).rejects.toBeInstanceOf(Crash);
    await first.settled();
    expect(store.getDocs("po-c").map((d) => d.state)).toEqual(["sending"]);
    await clock.advance(7 * 60_000);
    const rec = recording(x);
    const second = new PostingEngine({ store, transport: rec.transport, clock, keyScope: tenant.tenantId });
    expect(await second.run()).toEqual({ state: "idle" });
    expect(rec.calls).toContain(
      `GET /Invoices?${new URLSearchParams({ InvoiceNumbers: inv.body.InvoiceNumber, unitdp: "4" })}`,
    );
    expect(rec.calls.filter((c) => c.startsWith("PUT "))).toEqual([]);
    expect(second.view("po-c")).toMatchObject({ state: "done", posted: 1 });
    await control(sandbox, "/sandbox/faults", "DELETE");
    const inXero = await invoicesIn(tenant, [inv.body.InvoiceNumber]);
    expect(inXero.map((i) => i.InvoiceID)).toEqual([second.view("po-c")?.documents[0]?.xeroId]);
  });

  it("undo voids a posted invoice that has no payments", async () => {
    const { clock, tenant, x, invoices } = await setup();
    const inv = invoices[0] as PlannedInvoice;
    const engine = new PostingEngine({
      store: new MemoryPostingStore(),
      transport: x,
      clock,
      keyScope: tenant.tenantId,
    });
    engine.submit({ documents: invoices }, "po-u");
    await engine.run();
    engine.undo("po-u");
    await engine.run();
    expect(engine.view("po-u:undo")).toMatchObject({ state: "done", posted: 1 });
    expect(engine.view("po-u")?.documents[0]?.state).toBe("reversed");
    const inXero = await invoicesIn(tenant, [inv.body.InvoiceNumber]);
    expect(inXero.map((i) => i.Status)).toEqual(["VOIDED"]);
  });
});

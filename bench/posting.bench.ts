/**
 * Posting efficiency (issue 6): `tsx bench/posting.bench.ts [documents]` (default 10,000).
 *
 * Posts a mix of documents into the real Xero sandbox Worker (started in-process with wrangler's
 * unstable_startWorker, test mode) through the posting engine on a virtual clock that moves the sandbox's
 * clock with it, so Xero's 60-calls-per-minute window is real and the wall time is simulated:
 *  - Xero calls per 1,000 documents vs the minimum (every write batched 50 per call; reads not counted in
 *    the minimum), with and without the invoice re-check before payment batches;
 *  - simulated time to post them vs the 60-calls/minute bound: when the last of the minimum calls could
 *    start at best (60 calls may start in each minute).
 * Mix per 10 documents: 4 invoice payments, 2 credit notes each refunded from clearing (2 + 2), 2 journals.
 */
import { startSandbox } from "../scripts/sandbox-in-process";
import {
  type Json,
  limitWatch,
  newTenant,
  type SandboxFetch,
  syncedClock,
  transportFor,
} from "../test/posting/harness";
import { syntheticDocuments } from "../test/posting/load";
import type { PlannedDocument } from "../worker/domain/plan/model";
import { PostingEngine } from "../worker/posting/engine";
import { MemoryPostingStore } from "../worker/posting/store";
import type { XeroTransport } from "../worker/posting/transport";

const DOCS = Number(process.argv[2] ?? 10_000);
const DATE = "2026-03-02";

interface Figures {
  documents: number;
  minimum: number;
  writes: number;
  reads: number;
  simulatedMs: number;
  realLimit429: number;
  posted: number;
}

async function run(sb: SandboxFetch, documents: number, recheckInvoices: boolean): Promise<Figures> {
  const clock = await syncedClock(sb, `${DATE}T00:00:10Z`);
  const tenant = await newTenant(sb, { dailyLimit: 100_000 });
  const x = transportFor(sb, tenant);
  // Setup (not measured): the invoices to pay, 50 per call, pacing the sandbox's minute window.
  let setupCalls = 2;
  const paced: XeroTransport = async (c) => {
    if (++setupCalls % 55 === 0) await clock.advance(61_000);
    return x(c);
  };
  const contacts = (await paced({ method: "GET", path: "/Contacts" })).body as Json;
  const contactId = contacts.Contacts.find((c: Json) => c.ContactNumber === "AMAZON-VC").ContactID as string;
  const nPay = Math.round(documents * 0.4);
  const nCn = Math.round(documents * 0.2);
  const nMj = documents - nPay - 2 * nCn;
  const invoiceIds: string[] = [];
  for (let i = 0; i < nPay; i += 50) {
    const batch = Array.from({ length: Math.min(50, nPay - i) }, (_, k) => ({
      Type: "ACCREC",
      Contact: { ContactID: contactId },
      Date: DATE,
      DueDate: DATE,
      Status: "AUTHORISED",
      LineAmountTypes: "NoTax",
      LineItems: [{ Description: `Bench ${i + k}`, Quantity: 1, UnitAmount: 100, AccountCode: "200" }],
    }));
    const r = await paced({
      method: "PUT",
      path: "/Invoices",
      query: { summarizeErrors: "false" },
      bodyText: JSON.stringify({ Invoices: batch }),
    });
    for (const inv of (r.body as Json).Invoices) invoiceIds.push(inv.InvoiceID);
  }
  await clock.advance(61_000);

  const docs: PlannedDocument[] = [];
  const base = { paymentNumber: "bench", rows: [], role: "pay" as const };
  for (let i = 0; i < nPay; i++) {
    const key = `bench:pay:${i}`;
    docs.push({
      ...base,
      type: "Payment",
      endpoint: "PUT /Payments",
      key,
      dependsOn: [],
      description: key,
      body: {
        Invoice: { InvoiceID: invoiceIds[i] as string },
        Account: { Code: "1210" },
        Date: DATE,
        Amount: 100,
        Reference: `Bench ${i} | ${key}`,
      },
    });
  }
  docs.push(
    ...syntheticDocuments({
      prefix: "bench",
      label: "Bench",
      paymentNumber: "bench",
      contactId,
      credits: nCn,
      journals: nMj,
    }),
  );
  // Minimum: every write 50 per call; refunds wait for their credit notes but batch with invoice payments.
  const minimum = Math.ceil((nPay + nCn) / 50) + Math.ceil(nCn / 50) + Math.ceil(nMj / 50);
  const watch = limitWatch(x);
  const engine = new PostingEngine({
    store: new MemoryPostingStore(),
    transport: watch.transport,
    clock,
    keyScope: tenant.tenantId,
    recheckInvoices,
  });
  engine.submit({ documents: docs }, "bench");
  const t0 = clock.now();
  await engine.run();
  return {
    documents,
    minimum,
    writes: engine.calls.writes,
    reads: engine.calls.reads,
    simulatedMs: clock.now() - t0,
    realLimit429: watch.seen.realLimit429,
    posted: engine.view("bench")?.posted ?? 0,
  };
}

function report(label: string, f: Figures): void {
  const calls = f.writes + f.reads;
  const per1000 = (n: number) => ((n * 1000) / f.documents).toFixed(1);
  // 60 calls may start in each minute: the last of the minimum calls starts this late at best.
  const boundMs = Math.floor((f.minimum - 1) / 60) * 60_000;
  console.log(
    `posting ${label}: ${f.posted}/${f.documents} posted; Xero calls per 1,000 documents ${per1000(calls)} ` +
      `(writes ${per1000(f.writes)}, reads ${per1000(f.reads)}) vs minimum ${per1000(f.minimum)} = ` +
      `${(calls / f.minimum).toFixed(3)}×; simulated wall time ${(f.simulatedMs / 60_000).toFixed(2)} min vs ` +
      `60-calls/minute bound ${(boundMs / 60_000).toFixed(2)} min = ${boundMs > 0 ? (f.simulatedMs / boundMs).toFixed(3) : "n/a"}×; ` +
      `real rate-limit 429s ${f.realLimit429}`,
  );
}

const sandbox = await startSandbox();
try {
  report("(invoice re-check before each payment batch)", await run(sandbox.fetch, DOCS, true));
  report("(Xero's own validation only)", await run(sandbox.fetch, DOCS, false));
} finally {
  await sandbox.dispose();
}

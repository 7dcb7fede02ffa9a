/**
 * Load (issue 6): many organisations posting concurrently into one Xero sandbox, each through its own
 * PostingEngine (own rate limiter, own store), on one shared simulated clock that moves the sandbox's
 * clock. Shared by `npm run load` (scripts/load.ts) and a small variant in test/posting/load.test.ts.
 * Runtime-neutral (fetch, timers, Web APIs).
 *
 * The clock is a discrete-event clock: time moves only when no Xero request is in flight anywhere and
 * every organisation is asleep (waiting for its limiter or a Retry-After), and then jumps to the earliest
 * wake-up. So the start time an engine's limiter records is exactly the time the sandbox counts the call
 * at — with a naive shared clock, one organisation's sleep would move time under another's request in
 * flight and the two views of the minute window would drift apart.
 *
 * Each organisation posts a mix per 10 documents: 6 manual journals, 2 credit notes each refunded from
 * clearing (2 + 2; the refunds wait for their credit notes). Afterwards the sandbox ledger is read back per
 * organisation and every planned key counted: duplicates (> 1), lost (0). Minute-limit breaches are the
 * sandbox's real 429s with X-Rate-Limit-Problem: minute; the calls each organisation made in each fixed
 * minute of the sandbox clock are also counted on the way out.
 */
import type { PlannedDocument } from "../../worker/domain/plan/model";
import type { Clock } from "../../worker/posting/clock";
import { PostingEngine } from "../../worker/posting/engine";
import { MemoryPostingStore } from "../../worker/posting/store";
import type { XeroReply, XeroTransport } from "../../worker/posting/transport";
import { control, type Json, newTenant, type SandboxFetch, type Tenant, transportFor } from "./harness";

const DATE = "2026-03-02";

/** Simulated time that advances only when every actor is asleep and nothing is in flight. */
export class SimClock implements Clock {
  private sleepers: { wake: number; resolve: () => void }[] = [];
  private busy = 0;
  private scheduled = false;
  private advancing = false;
  /** Jumps made (figures). */
  advances = 0;

  constructor(
    private t: number,
    private readonly onAdvance: (now: number) => Promise<void>,
  ) {}

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.sleepers.push({ wake: this.t + ms, resolve });
      this.kick();
    });
  }

  /** Count calls through `inner` as in flight: time never moves while one is. */
  track(inner: XeroTransport): XeroTransport {
    return async (call) => {
      this.busy += 1;
      try {
        return await inner(call);
      } finally {
        this.busy -= 1;
        this.kick();
      }
    };
  }

  private kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // A macrotask later: whatever a finished call or a wake-up set going (microtasks) has started by then.
    setTimeout(() => {
      this.scheduled = false;
      void this.step();
    }, 0);
  }

  private async step(): Promise<void> {
    if (this.advancing || this.busy > 0 || this.sleepers.length === 0) return;
    this.advancing = true;
    try {
      const wake = Math.min(...this.sleepers.map((s) => s.wake));
      if (wake > this.t) {
        this.t = wake;
        this.advances += 1;
        await this.onAdvance(this.t);
      }
      const due = this.sleepers.filter((s) => s.wake <= this.t);
      this.sleepers = this.sleepers.filter((s) => s.wake > this.t);
      for (const s of due) s.resolve();
    } finally {
      this.advancing = false;
      this.kick();
    }
  }
}

export interface LoadOptions {
  orgs: number;
  documents: number;
  /** Documents per Xero call (≤ 50). Smaller batches mean more calls, so the minute window is crossed. */
  batchSize?: number;
  start?: string;
  /** Progress lines (the script). */
  log?: (line: string) => void;
}

export interface LoadReport {
  orgs: number;
  documents: number;
  posted: number;
  duplicates: number;
  lost: number;
  /** Real 429s the sandbox gave with X-Rate-Limit-Problem: minute. */
  minuteBreaches: number;
  /** Any other real limit 429s (concurrent, day, appminute). */
  otherLimit429: number;
  /** Most calls one organisation made in one fixed minute of the sandbox clock (≤ 60). */
  maxCallsInAMinute: number;
  calls: number;
  simulatedMs: number;
  problems: string[];
}

/** The documents of one organisation: 6 journals, 2 credit notes and 2 refunds per 10. */
/**
 * Synthetic documents for the load test and the posting bench: `credits` credit notes each refunded from
 * clearing (the refund waits for its credit note), and `journals` balanced manual journals. Keys carry
 * `prefix`, texts carry `label`, so several organisations' documents never share a key.
 */
export function syntheticDocuments(o: {
  prefix: string;
  label: string;
  paymentNumber: string;
  contactId: string;
  credits: number;
  journals: number;
}): PlannedDocument[] {
  const docs: PlannedDocument[] = [];
  const base = { paymentNumber: o.paymentNumber, rows: [] };
  for (let j = 0; j < o.credits; j++) {
    const cnKey = `${o.prefix}:cn:${j}`;
    const refundKey = `${o.prefix}:refund:${j}`;
    docs.push({
      ...base,
      role: "cn",
      type: "CreditNote",
      endpoint: "PUT /CreditNotes",
      key: cnKey,
      dependsOn: [],
      description: cnKey,
      body: {
        Type: "ACCRECCREDIT",
        Contact: { ContactID: o.contactId },
        Date: DATE,
        Status: "AUTHORISED",
        LineAmountTypes: "NoTax",
        LineItems: [{ Description: cnKey, Quantity: 1, UnitAmount: 10, LineAmount: 10, AccountCode: "6130" }],
        Reference: `${o.label} claim ${j} | ${cnKey}`,
        CurrencyCode: "USD",
      },
    });
    docs.push({
      ...base,
      role: "refund",
      type: "RefundPayment",
      endpoint: "PUT /Payments",
      key: refundKey,
      creditNoteKey: cnKey,
      dependsOn: [cnKey],
      description: refundKey,
      body: {
        CreditNote: {},
        Account: { Code: "1210" },
        Date: DATE,
        Amount: 10,
        Reference: `${o.label} refund ${j} | ${refundKey}`,
      },
    });
  }
  for (let k = 0; k < o.journals; k++) {
    const key = `${o.prefix}:mj:${k}`;
    docs.push({
      ...base,
      role: "mj",
      type: "ManualJournal",
      endpoint: "PUT /ManualJournals",
      key,
      dependsOn: [],
      description: key,
      body: {
        Narration: `${o.label} journal ${k} | ${key}`,
        Date: DATE,
        Status: "POSTED",
        LineAmountTypes: "NoTax",
        JournalLines: [
          { LineAmount: 5, AccountCode: "6120", Description: o.label.toLowerCase() },
          { LineAmount: -5, AccountCode: "1210", Description: o.label.toLowerCase() },
        ],
      },
    });
  }
  return docs;
}

/** One organisation's share of the load: a fifth credit notes (each with its refund), the rest journals. */
export function loadDocuments(n: number, contactId: string, org: number): PlannedDocument[] {
  const credits = Math.floor(n / 5);
  return syntheticDocuments({
    prefix: `load:${org}`,
    label: "Load",
    paymentNumber: `load-${org}`,
    contactId,
    credits,
    journals: n - 2 * credits,
  });
}

interface Org {
  index: number;
  tenant: Tenant;
  docs: PlannedDocument[];
  engine: PostingEngine;
  /** Calls per fixed sandbox minute. */
  perMinute: Map<number, number>;
}

export async function runLoad(sb: SandboxFetch, o: LoadOptions): Promise<LoadReport> {
  const log = o.log ?? (() => {});
  const start = Date.parse(o.start ?? `${DATE}T00:00:10Z`);
  await control(sb, "/sandbox/faults", "DELETE");
  await control(sb, "/sandbox/clock", "POST", { now: new Date(start).toISOString(), freeze: true });
  const clock = new SimClock(start, async (now) => {
    await control(sb, "/sandbox/clock", "POST", { now: new Date(now).toISOString(), freeze: true });
  });
  const seen = { minute: 0, other: 0, calls: 0, problems: [] as string[] };

  // Setup (a few calls per organisation, then a fresh minute): tenants, their contact.
  const orgs: Org[] = [];
  for (let i = 0; i < o.orgs; i++) {
    const tenant = await newTenant(sb, { dailyLimit: 100_000 });
    const x = transportFor(sb, tenant);
    const contacts = (await x({ method: "GET", path: "/Contacts" })).body as Json;
    const contactId = contacts.Contacts.find((c: Json) => c.ContactNumber === "AMAZON-VC")
      .ContactID as string;
    const perMinute = new Map<number, number>();
    const watched: XeroTransport = async (call) => {
      const minute = Math.floor(clock.now() / 60_000);
      const r: XeroReply = await x(call);
      seen.calls += 1;
      const problem = r.headers.get("x-rate-limit-problem");
      if (r.status === 429 && problem) {
        // Injected 429s are off here (faults cleared): every 429 is a real limit.
        if (problem === "minute") seen.minute += 1;
        else seen.other += 1;
        seen.problems.push(`org ${i}: 429 ${problem} on ${call.method} ${call.path}`);
      } else {
        perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
      }
      return r;
    };
    const engine = new PostingEngine({
      store: new MemoryPostingStore(),
      transport: clock.track(watched),
      clock,
      keyScope: tenant.tenantId,
      limits: { perDay: 100_000 },
      ...(o.batchSize ? { batchSize: o.batchSize } : {}),
    });
    orgs.push({ index: i, tenant, docs: loadDocuments(o.documents, contactId, i), engine, perMinute });
  }
  // Setup calls spent part of this minute at the sandbox (the engines' limiters never saw them).
  await clock.sleep(61_000);
  const clockAtStart = clock.now();
  log(`load: ${o.orgs} organisations set up; posting ${o.orgs * o.documents} documents`);

  let finished = 0;
  await Promise.all(
    orgs.map(async (org) => {
      org.engine.submit({ documents: org.docs }, `load-${org.index}`);
      for (let round = 0; round < 1000; round++) {
        const res = await org.engine.run();
        if (res.state === "idle") break;
        await clock.sleep(res.until - clock.now());
      }
      finished += 1;
      if (finished % 10 === 0) log(`… ${finished}/${o.orgs} organisations done`);
    }),
  );
  const simulatedMs = clock.now() - clockAtStart;

  // Read every ledger back (a fresh minute; three unpaged reads per organisation).
  await control(sb, "/sandbox/clock", "POST", {
    now: new Date(clock.now() + 61_000).toISOString(),
    freeze: true,
  });
  let duplicates = 0;
  let lost = 0;
  let posted = 0;
  const problems = [...seen.problems.slice(0, 10)];
  for (const org of orgs) {
    const x = transportFor(sb, org.tenant);
    const refs = new Map<string, number>();
    const count = (text: unknown) => {
      if (typeof text !== "string") return;
      const at = text.lastIndexOf("| ");
      if (at >= 0) refs.set(text.slice(at + 2), (refs.get(text.slice(at + 2)) ?? 0) + 1);
    };
    const live = (s: unknown) => s !== "VOIDED" && s !== "DELETED";
    for (const [path, list, field] of [
      ["/ManualJournals", "ManualJournals", "Narration"],
      ["/CreditNotes", "CreditNotes", "Reference"],
      ["/Payments", "Payments", "Reference"],
    ] as const) {
      const r = await x({ method: "GET", path });
      if (r.status !== 200) throw new Error(`org ${org.index}: GET ${path} → ${r.status}`);
      for (const d of (r.body as Json)[list] as Json[]) if (live(d.Status)) count(d[field]);
    }
    for (const d of org.docs) {
      const n = refs.get(d.key) ?? 0;
      if (n > 1) duplicates += 1;
      if (n === 0) lost += 1;
    }
    const view = org.engine.view(`load-${org.index}`);
    posted += view?.posted ?? 0;
    if (view?.posted !== org.docs.length) {
      problems.push(`org ${org.index}: ${JSON.stringify({ ...view, documents: undefined })}`);
    }
  }
  const maxCallsInAMinute = Math.max(0, ...orgs.flatMap((org) => [...org.perMinute.values()]));
  return {
    orgs: o.orgs,
    documents: o.orgs * o.documents,
    posted,
    duplicates,
    lost,
    minuteBreaches: seen.minute,
    otherLimit429: seen.other,
    maxCallsInAMinute,
    calls: seen.calls,
    simulatedMs,
    problems,
  };
}

export function loadLine(r: LoadReport): string {
  return `load: orgs ${r.orgs}, documents ${r.documents}, duplicates ${r.duplicates}, lost ${r.lost}, minute-limit breaches ${r.minuteBreaches}`;
}

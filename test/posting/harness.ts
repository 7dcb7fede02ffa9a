/**
 * Shared by the workerd tests, the soak script and the bench: drive the real Xero sandbox (any `fetch`
 * that reaches it — `exports.default.fetch` in workerd, Miniflare's dispatchFetch in Node), plan the
 * worked example from the fixture files, run the posting engine under seeded faults and crashes, and
 * verify the sandbox ledger: every planned document exactly once, journals balanced, clearing at zero.
 * Runtime-neutral (fetch and Web APIs only).
 */

import { readMappingWorkbook } from "../../worker/domain/mapping/workbook";
import type { Plan, PlannedDocument } from "../../worker/domain/plan/model";
import { planSettlement } from "../../worker/domain/plan/planner";
import { ingest } from "../../worker/domain/remittance/ingest";
import type { Remittance } from "../../worker/domain/remittance/model";
import { VirtualClock } from "../../worker/posting/clock";
import { PostingEngine } from "../../worker/posting/engine";
import { readOrgSnapshot } from "../../worker/posting/snapshot";
import { MemoryPostingStore, type PostingStore } from "../../worker/posting/store";
import {
  fetchTransport,
  type XeroCall,
  type XeroReply,
  type XeroTransport,
} from "../../worker/posting/transport";

export const BASE = "http://sandbox.test";
export type SandboxFetch = (request: Request) => Promise<Response>;

export interface Tenant {
  tenantId: string;
  accessToken: string;
}

export interface Inputs {
  csvText: string;
  mappingsXlsx: Uint8Array;
}

// biome-ignore lint/suspicious/noExplicitAny: sandbox JSON
export type Json = any;

export async function control(sb: SandboxFetch, path: string, method = "GET", body?: unknown): Promise<Json> {
  // Control calls are idempotent (absolute clock, full fault lists); retry a dropped connection.
  for (let attempt = 0; ; attempt++) {
    try {
      return await controlOnce(sb, path, method, body);
    } catch (e) {
      if (attempt >= 3 || !/Network connection lost|→ 5\d\d/.test(String(e))) throw e;
    }
  }
}

async function controlOnce(sb: SandboxFetch, path: string, method: string, body?: unknown): Promise<Json> {
  const res = await sb(
    new Request(`${BASE}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    }),
  );
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export function transportFor(sb: SandboxFetch, t: Tenant): XeroTransport {
  return fetchTransport({
    baseUrl: `${BASE}/api.xro/2.0`,
    tenantId: t.tenantId,
    token: async () => t.accessToken,
    fetch: sb,
  });
}

/** A virtual clock that moves the sandbox's frozen clock with it. */
export async function syncedClock(sb: SandboxFetch, iso: string): Promise<VirtualClock> {
  await control(sb, "/sandbox/clock", "POST", { now: iso, freeze: true });
  return new VirtualClock(Date.parse(iso), async (_ms, now) => {
    await control(sb, "/sandbox/clock", "POST", { now: new Date(now).toISOString(), freeze: true });
  });
}

/** A fresh seeded organisation, with the two accounts the demo mapping names that the seed lacks. */
export async function newTenant(sb: SandboxFetch, opts: Record<string, unknown> = {}): Promise<Tenant> {
  const t = (await control(sb, "/sandbox/tenants", "POST", opts)) as Tenant;
  const x = transportFor(sb, t);
  for (const [Code, Name, Type] of [
    ["1230", "Amazon Withholding Receivable", "CURRENT"],
    ["6190", "Amazon Other Deductions", "EXPENSE"],
  ]) {
    const r = await x({ method: "PUT", path: "/Accounts", bodyText: JSON.stringify({ Code, Name, Type }) });
    if (r.status !== 200) throw new Error(`account ${Code}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  return t;
}

export interface Planned {
  plan: Plan;
  remittance: Remittance;
  replan: (alreadyPosted: string[]) => Promise<Plan>;
}

/** Upload → preview: the fixture remittance + demo mapping workbook + the organisation read from Xero. */
export async function planWorkedExample(x: XeroTransport, inputs: Inputs): Promise<Planned> {
  const remittance = ingest({ kind: "text", fileName: "us-40311877.csv", text: inputs.csvText });
  const m = readMappingWorkbook(inputs.mappingsXlsx);
  if (!m.ok) throw new Error(`mappings: ${JSON.stringify(m.errors)}`);
  const mappings = m.mappings;
  const numbers = remittance.payments.flatMap((p) =>
    p.lines.flatMap((l) => [l.invoiceNumber, l.originalDocumentNumber, l.documentNumber]),
  );
  const names = numbers.filter((n): n is string => typeof n === "string");
  const replan = async (alreadyPosted: string[]) =>
    planSettlement(remittance, mappings, await readOrgSnapshot(retryingReads(x), names), { alreadyPosted });
  return { plan: await replan([]), remittance, replan };
}

// ---- verification -----------------------------------------------------------------------------------

const endsWithKey = (text: unknown, key: string) => typeof text === "string" && text.endsWith(`| ${key}`);

export interface Ledger {
  /** Per planned key: how many documents Xero has for it. */
  counts: Record<string, number>;
  duplicates: number;
  lost: number;
  balanced: boolean;
  balances: Record<string, number>;
  invoices: Record<string, string>;
}

/**
 * GETs retried on 5xx/no answer: the sandbox's Durable Object is occasionally reset by an uncaught
 * "Can't read from request stream after response has been sent" (an injected fault answered before the
 * request body was read), which drops whatever was in flight with a 500. Reads are safe to repeat.
 */
export function retryingReads(x: XeroTransport): XeroTransport {
  return async (call) => {
    for (let attempt = 0; ; attempt++) {
      const r = await x(call);
      if (call.method !== "GET" || attempt >= 4 || (r.status !== 0 && r.status < 500)) return r;
    }
  };
}

async function getJson(x: XeroTransport, path: string, query: Record<string, string> = {}): Promise<Json> {
  const r = await retryingReads(x)({ method: "GET", path, query });
  if (r.status !== 200) throw new Error(`GET ${path} → ${r.status}`);
  return r.body;
}

/** Read the sandbox ledger back and count every planned document (run with faults cleared). */
export async function inspect(sb: SandboxFetch, t: Tenant, documents: PlannedDocument[]): Promise<Ledger> {
  const x = transportFor(sb, t);
  const [cns, pays, mjs, banks] = await Promise.all([
    getJson(x, "/CreditNotes"),
    getJson(x, "/Payments"),
    getJson(x, "/ManualJournals"),
    getJson(x, "/BankTransactions"),
  ]);
  const counts: Record<string, number> = {};
  const live = (s: unknown) => s !== "VOIDED" && s !== "DELETED";
  for (const d of documents) {
    let n = 0;
    if (d.type === "CreditNote") {
      n = cns.CreditNotes.filter((c: Json) => endsWithKey(c.Reference, d.key) && live(c.Status)).length;
    } else if (d.type === "Payment" || d.type === "RefundPayment") {
      n = pays.Payments.filter((p: Json) => endsWithKey(p.Reference, d.key) && live(p.Status)).length;
    } else if (d.type === "ManualJournal") {
      n = mjs.ManualJournals.filter((j: Json) => endsWithKey(j.Narration, d.key) && live(j.Status)).length;
    } else if (d.type === "BankTransaction") {
      n = banks.BankTransactions.filter(
        (b: Json) => endsWithKey(b.Reference, d.key) && live(b.Status),
      ).length;
    } else if (d.type === "Allocation") {
      const cnDoc = documents.find((c) => c.key === d.creditNoteKey);
      const cnRef = cnDoc?.type === "CreditNote" ? cnDoc.body.Reference : undefined;
      for (const c of cns.CreditNotes.filter((c: Json) => c.Reference === cnRef && live(c.Status))) {
        const one = await getJson(x, `/CreditNotes/${c.CreditNoteID}`);
        n += (one.CreditNotes[0].Allocations ?? []).filter(
          (a: Json) => a.Invoice?.InvoiceID?.toLowerCase() === d.body.Invoice.InvoiceID?.toLowerCase(),
        ).length;
      }
    }
    counts[d.key] = n;
  }
  const tb = await control(sb, `/sandbox/tenants/${t.tenantId}/trial-balance`);
  const balances: Record<string, number> = Object.fromEntries(
    tb.Accounts.map((a: Json) => [a.Code as string, a.Balance as number]),
  );
  const inv = await getJson(x, "/Invoices", { InvoiceNumbers: "INV-A,INV-B,INV-C" });
  return {
    counts,
    duplicates: Object.values(counts).filter((n) => n > 1).length,
    lost: Object.values(counts).filter((n) => n === 0).length,
    balanced: tb.Balanced === true,
    balances,
    invoices: Object.fromEntries(inv.Invoices.map((i: Json) => [i.InvoiceNumber, i.Status])),
  };
}

// ---- seeded fault runs --------------------------------------------------------------------------------

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Crash extends Error {
  override name = "Crash";
}

/**
 * Dies when the `crashAt`-th reply (or the first reply matching a predicate) arrives, before the engine
 * can record it — like an evicted Durable Object. Every later call throws too.
 */
export function crashing(
  inner: XeroTransport,
  crashAt: number | ((call: XeroCall) => boolean),
): XeroTransport {
  let n = 0;
  let dead = false;
  return async (call: XeroCall) => {
    if (dead) throw new Crash("process gone");
    n += 1;
    const reply = await inner(call);
    if (typeof crashAt === "number" ? n >= crashAt : crashAt(call)) dead = true;
    if (dead) throw new Crash("process gone");
    return reply;
  };
}

/** Counts 429s the sandbox gave for a real limit (injected ones carry no X-*-Remaining headers). */
export function limitWatch(inner: XeroTransport) {
  const seen = {
    realLimit429: 0,
    calls: 0,
    minRemaining: Number.POSITIVE_INFINITY,
    problems: [] as string[],
  };
  const t: XeroTransport = async (call) => {
    seen.calls += 1;
    const r: XeroReply = await inner(call);
    const min = r.headers.get("x-minlimit-remaining");
    if (min !== null) seen.minRemaining = Math.min(seen.minRemaining, Number(min));
    const problem = r.headers.get("x-rate-limit-problem");
    // Injected 429s carry the same headers; a real breach shows the exhausted counter (or "concurrent").
    const real =
      problem === "concurrent" ||
      (problem === "minute" && min === "0") ||
      (problem === "day" && r.headers.get("x-daylimit-remaining") === "0");
    if (r.status === 429 && real) {
      seen.realLimit429 += 1;
      seen.problems.push(`${r.headers.get("x-rate-limit-problem")} on ${call.method} ${call.path}`);
    }
    return r;
  };
  return { transport: t, seen };
}

const ENDPOINTS = [
  "/CreditNotes",
  "/Payments",
  "/ManualJournals",
  "/BankTransactions",
  "/Organisation",
  "/Invoices",
];

export interface FaultRunReport {
  seed: number;
  faults: Json[];
  crashes: number;
  windowExpired: boolean;
  ledger: Ledger;
  states: Record<string, number>;
  realLimit429: number;
  calls: number;
  ok: boolean;
  problems: string[];
}

function traced(inner: XeroTransport, log: string[]): XeroTransport {
  return async (call) => {
    const r = await inner(call);
    log.push(
      `${call.method} ${call.path} ${call.query?.["where"] ?? ""} ${call.idempotencyKey ?? ""} → ${r.status}`,
    );
    return r;
  };
}

export async function faultRun(
  sb: SandboxFetch,
  seed: number,
  inputs: Inputs,
  opts: { trace?: string[] } = {},
): Promise<FaultRunReport> {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)] as T;
  await control(sb, "/sandbox/faults", "DELETE");
  const clock = await syncedClock(sb, "2026-02-10T12:00:00Z");
  const tenant = await newTenant(sb);
  const base = transportFor(sb, tenant);
  const { plan } = await planWorkedExample(base, inputs);
  await clock.advance(61_000); // a fresh minute for posting

  const faults: Json[] = [];
  const nFaults = Math.floor(r() * 5);
  for (let i = 0; i < nFaults; i++) {
    const kind = pick(["error", "error", "lost-response", "lost-response", "rate-limit", "delay"]);
    const f: Json = { kind, pathPrefix: `/api.xro/2.0${pick(ENDPOINTS)}`, count: 1 + Math.floor(r() * 2) };
    if (kind === "error") f.status = pick([500, 503]);
    if (kind === "lost-response") f.method = "PUT";
    if (kind === "rate-limit") f.retryAfter = 1 + Math.floor(r() * 120);
    if (kind === "delay") f.delayMs = 5;
    faults.push(f);
    await control(sb, "/sandbox/faults", "POST", f);
  }
  const crashAt = r() < 0.5 ? 1 + Math.floor(r() * 14) : 0;
  const windowExpired = crashAt > 0 && r() < 0.4;

  const watch = limitWatch(opts.trace ? traced(base, opts.trace) : base);
  const store: PostingStore = new MemoryPostingStore();
  const make = (t: XeroTransport) =>
    new PostingEngine({ store, transport: t, clock, keyScope: tenant.tenantId });
  let engine = make(crashAt ? crashing(watch.transport, crashAt) : watch.transport);
  engine.submit(plan, `job-${seed}`);
  let crashes = 0;
  for (let round = 0; round < 50; round++) {
    try {
      const res = await engine.run();
      if (res.state === "idle") break;
      await clock.sleep(res.until - clock.now());
    } catch (e) {
      if (!(e instanceof Crash)) throw e;
      crashes += 1;
      await engine.settled();
      // Six minutes and more pass before the object comes back: Xero has forgotten the key.
      if (windowExpired) await clock.advance(7 * 60_000);
      engine = make(watch.transport);
    }
  }
  await control(sb, "/sandbox/faults", "DELETE");
  await clock.advance(61_000);
  const ledger = await inspect(sb, tenant, plan.documents);
  const view = engine.view(`job-${seed}`);
  const states: Record<string, number> = {};
  for (const d of view?.documents ?? []) states[d.state] = (states[d.state] ?? 0) + 1;
  const problems: string[] = [];
  if (ledger.duplicates) problems.push(`duplicates ${JSON.stringify(ledger.counts)}`);
  if (ledger.lost) problems.push(`lost ${JSON.stringify(ledger.counts)}`);
  if (!ledger.balanced) problems.push("trial balance not balanced");
  if ((ledger.balances["1210"] ?? 0) !== 0) problems.push(`clearing 1210 at ${ledger.balances["1210"]}`);
  if (states["posted"] !== plan.documents.length) problems.push(`job states ${JSON.stringify(states)}`);
  if (watch.seen.realLimit429) problems.push(`${watch.seen.realLimit429} real rate-limit 429s`);
  return {
    seed,
    faults,
    crashes,
    windowExpired,
    ledger,
    states,
    realLimit429: watch.seen.realLimit429,
    calls: watch.seen.calls,
    ok: problems.length === 0,
    problems,
  };
}

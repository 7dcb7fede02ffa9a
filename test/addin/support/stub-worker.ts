/**
 * A local HTTP server speaking docs/api-contract.md, backed by the real pure core (ingest, mappings,
 * planner) and the demo organisation — the Worker the pane talks to in tests until the real routes land.
 * It also serves a directory of static files (the built pane) so the pane and API share one origin.
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { MAPPING_SHEETS } from "../../../worker/domain/mapping/sheets";
import { mappingsFromGrids } from "../../../worker/domain/mapping/workbook";
import { minorToDecimal } from "../../../worker/domain/money";
import {
  type DisputeState,
  type DisputeStatus,
  disputeRegister,
  disputesToCsv,
  transitionDispute,
} from "../../../worker/domain/monitoring/disputes";
import { monthEndReport, monthEndToJson } from "../../../worker/domain/monitoring/month-end";
import { planSettlement } from "../../../worker/domain/plan/planner";
import type { PurchaseOrder } from "../../../worker/domain/po/model";
import { planPoInvoices } from "../../../worker/domain/po/plan";
import { readPoFile } from "../../../worker/domain/po/read";
import { remittanceToJson } from "../../../worker/domain/remittance/json";
import type { Remittance } from "../../../worker/domain/remittance/model";
import { poMappings, poOrg } from "../../core/po/builders";
import { demoMappingGrids, demoOrg, demoOrgJson, ingestFixture, planJsonFor } from "./fixtures";

/** A stored exception as GET/PATCH …/exceptions answer (worker/src/routes/exceptions.ts). */
export interface StubException {
  id: string;
  remittanceId: string;
  row: number | null;
  code: string;
  reason: string;
  fix: string;
  severity: "blocking" | "warning";
  status: "open" | "resolved";
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

type StubJobState = "queued" | "running" | "paused" | "done" | "failed" | "cancelled";
interface StubJob {
  kind: "post" | "undo";
  keys: { key: string; type: string }[];
  polls: number;
  remittanceId?: string;
  undoOf?: string;
  /** Set by pause/resume/cancel; otherwise running until `runningPolls` polls have passed. */
  control?: "paused" | "cancelled";
  /** Documents settled when the job was cancelled (the rest are held). */
  settledAtCancel?: number;
}

export interface StubWorker {
  url: string;
  /** Requests received, in order: "METHOD /path". */
  log: string[];
  /** Mapping grids saved with PUT, by sheet. */
  saved: Record<string, string[][]>;
  /** Posted document keys. */
  posted: string[];
  /** Stored exceptions (seed with `addException`). */
  exceptions: StubException[];
  addException(e: Partial<StubException> & { code: string; reason: string }): StubException;
  /** Ledger movements the month-end report ties to: the report's own, with this much (minor units) added to account 6130. */
  ledgerSkew: { account: string; minor: number };
  /** Stored dispute states by record id (what PATCH …/disputes/:key saved). */
  disputeStates: Record<string, DisputeState>;
  /** The register's "today" (YYYY-MM-DD), settable so deadlines fall either side of it. */
  disputesToday: { value: string };
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".xml": "application/xml",
  ".map": "application/json",
};

export interface StubOptions {
  /** Directory served for paths outside /v1 (the built pane). */
  staticDir?: string;
  /** Extra static mounts: URL prefix → directory. */
  mounts?: Record<string, string>;
  /** How many GET /v1/jobs/:id polls report "running" before "done". */
  runningPolls?: number;
}

export async function startStubWorker(options: StubOptions = {}): Promise<StubWorker> {
  const org = demoOrg();
  const orgJson = demoOrgJson() as {
    accounts: unknown[];
    taxRates: unknown[];
    items: unknown[];
    contacts: unknown[];
  };
  let grids: Record<string, string[][]> = demoMappingGrids();
  let version = 1;
  const remittances = new Map<string, Remittance>();
  const jobs = new Map<string, StubJob>();
  const exceptions: StubException[] = [];
  const purchaseOrders = new Map<string, PurchaseOrder>();
  const poImports = new Set<string>();
  let poPreview: { plan: ReturnType<typeof planPoInvoices>; previewedAt: string } | undefined;
  const poPosted = new Set<string>();
  const ledgerSkew = { account: "6130", minor: 1000 };
  const disputeStates: Record<string, DisputeState> = {};
  const disputesToday = { value: "2026-02-11" };
  const addException = (e: Partial<StubException> & { code: string; reason: string }): StubException => {
    const x: StubException = {
      id: `exc-${exceptions.length + 1}`,
      remittanceId: "",
      row: null,
      fix: "",
      severity: "warning",
      status: "open",
      note: null,
      createdAt: "2026-01-20T09:00:00Z",
      updatedAt: "2026-01-20T09:00:00Z",
      ...e,
    };
    exceptions.push(x);
    return x;
  };
  const log: string[] = [];
  const saved: Record<string, string[][]> = {};
  const posted: string[] = [];
  const TOKEN = "session-abc";

  const validate = (sheets: Record<string, string[][]>) => {
    const merged = { ...grids, ...sheets };
    const r = mappingsFromGrids(merged);
    const errors = r.ok ? [] : [...r.errors];
    // Reference check: every account code must exist (and be active) in the organisation.
    const active = new Set(org.accounts.filter((a) => a.status === "ACTIVE").map((a) => a.code));
    for (const spec of MAPPING_SHEETS) {
      const grid = merged[spec.name];
      if (!grid?.[0]) continue;
      const head = grid[0].map((h) => h.trim().toLowerCase());
      spec.columns.forEach((c) => {
        if (!/account/i.test(c.header)) return;
        const j = head.indexOf(c.header.toLowerCase());
        if (j < 0) return;
        grid.slice(1).forEach((row, i) => {
          const code = (row[j] ?? "").trim();
          if (code && !active.has(code))
            errors.push({
              sheet: spec.name,
              row: i + 2,
              column: c.header,
              cell: `${String.fromCharCode(65 + j)}${i + 2}`,
              message: `Account ${code} is not an active account in ${org.name ?? "the organisation"}.`,
            });
        });
      });
    }
    return { ok: errors.length === 0, errors };
  };

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname;
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    if (!path.startsWith("/v1/")) return serveStatic(path, res, options);
    log.push(`${req.method} ${path}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const json = () => JSON.parse(raw.toString("utf8") || "{}");

    if (path === "/v1/auth/exchange" && req.method === "POST") {
      const { code } = json();
      if (code !== "otc-1")
        return send(400, { error: { code: "invalid_code", message: "That sign-in code has expired." } });
      return send(200, {
        token: TOKEN,
        expiresAt: "2026-12-31T00:00:00Z",
        user: { id: "u1", email: "fin@example.com", name: "Fin Ance" },
      });
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`)
      return send(401, { error: { code: "unauthorised", message: "Sign in again." } });

    const orgInfo = { id: "org-1", name: "VCX Demo Company (US)", baseCurrency: "USD", connection: "ok" };
    if (path === "/v1/organisations") return send(200, { organisations: [orgInfo] });
    const m = /^\/v1\/organisations\/org-1(\/.*)$/.exec(path);
    const job = /^\/v1\/jobs\/([^/]+)$/.exec(path);
    const jobView = (id: string, j: StubJob) => {
      const limit = options.runningPolls ?? 1;
      const done = j.control === undefined && j.polls > limit;
      const half = Math.ceil(j.keys.length / 2);
      const settled = j.control === "cancelled" ? (j.settledAtCancel ?? 0) : done ? j.keys.length : half;
      const good = j.kind === "undo" ? "reversed" : "posted";
      const documents = j.keys.map((d, i) => {
        const isSettled = i < settled;
        const xid = `xero-${String(i + 1).padStart(4, "0")}`;
        if (j.kind === "post" && isSettled && !posted.includes(d.key)) posted.push(d.key);
        const state = isSettled
          ? good
          : j.control === "cancelled"
            ? "held"
            : j.control === "paused"
              ? "planned"
              : "sending";
        return {
          key: d.key,
          type: d.type,
          state,
          description: `${d.type} ${d.key}`,
          ...(isSettled || j.kind === "undo"
            ? {
                xeroId: xid,
                link: `https://go.xero.com/organisationlogin/default.aspx?shortcode=!demo&redirecturl=/${xid}`,
              }
            : {}),
          ...(state === "held"
            ? { error: { reason: "Cancelled before it was sent.", messages: [], code: "cancelled" } }
            : {}),
        };
      });
      const n = documents.filter((d) => d.state === good).length;
      const state: StubJobState =
        j.control === "cancelled"
          ? "cancelled"
          : j.control === "paused"
            ? "paused"
            : done
              ? "done"
              : "running";
      return {
        id,
        kind: j.kind,
        state,
        total: j.keys.length,
        posted: j.kind === "post" ? n : 0,
        failed: 0,
        held: documents.filter((d) => d.state === "held").length,
        reversed: j.kind === "undo" ? n : 0,
        sending: documents.filter((d) => d.state === "sending").length,
        planned: documents.filter((d) => d.state === "planned").length,
        organisationId: "org-1",
        ...(j.remittanceId ? { remittanceId: j.remittanceId } : {}),
        ...(j.undoOf ? { undoOf: j.undoOf } : {}),
        documents,
      };
    };
    if (job && req.method === "GET") {
      const j = jobs.get(decodeURIComponent(job[1] ?? ""));
      if (!j) return send(404, { error: { code: "not_found", message: "No such job." } });
      if (j.control === undefined) j.polls++;
      return send(200, jobView(decodeURIComponent(job[1] ?? ""), j));
    }
    // As worker/src/routes/posting.ts: pause/resume/cancel answer the job view after the action.
    const action = /^\/v1\/jobs\/([^/]+)\/(pause|resume|cancel)$/.exec(path);
    if (action && req.method === "POST") {
      const id = decodeURIComponent(action[1] ?? "");
      const j = jobs.get(id);
      if (!j) return send(404, { error: { code: "not_found", message: "No such job." } });
      const view = jobView(id, j);
      const finished = view.state === "done" || view.state === "cancelled";
      if (!finished) {
        if (action[2] === "pause") j.control = "paused";
        else if (action[2] === "resume") j.control = undefined;
        else {
          j.settledAtCancel = view.documents.filter(
            (d) => d.state === "posted" || d.state === "reversed",
          ).length;
          j.control = "cancelled";
        }
      }
      return send(200, jobView(id, j));
    }
    if (!m) return send(404, { error: { code: "not_found", message: `No route ${path}` } });
    const rest = m[1] ?? "";
    if (rest === "/status")
      return send(200, {
        ...orgInfo,
        periodLockDate: "2026-01-31",
        endOfYearLockDate: null,
        isAdviser: false,
        apiBudget: { dayRemaining: 4990, minuteRemaining: 58 },
      });
    if (rest === "/reference" || rest === "/reference/refresh")
      return send(200, {
        accounts: orgJson.accounts,
        taxRates: orgJson.taxRates,
        items: orgJson.items,
        contacts: orgJson.contacts,
        refreshedAt: "2026-02-11T09:00:00Z",
      });
    if (rest === "/mappings" && req.method === "GET")
      return send(200, { version, updatedBy: "seed", updatedAt: "2026-02-01T00:00:00Z", sheets: grids });
    if (rest === "/mappings/validate") return send(200, validate(json().sheets ?? {}));
    const put = /^\/mappings\/([^/]+)$/.exec(rest);
    if (put && req.method === "PUT") {
      const sheet = decodeURIComponent(put[1] ?? "");
      const rows = json().rows as string[][];
      const check = validate({ [sheet]: rows });
      if (!check.ok)
        return send(422, {
          error: { code: "validation_failed", message: "The mapping has errors." },
          errors: check.errors,
        });
      grids = { ...grids, [sheet]: rows };
      saved[sheet] = rows;
      version++;
      return send(200, { version });
    }
    if (rest === "/remittances" && req.method === "POST") {
      const isJson = (req.headers["content-type"] ?? "").includes("json");
      const r = isJson
        ? ingestFixture({ kind: "grid", ...json() })
        : ingestFixture({
            kind: "bytes",
            fileName: String(req.headers["x-file-name"] ?? "upload"),
            bytes: new Uint8Array(raw),
          });
      const body = remittanceToJson(r);
      if (r.problems.some((p) => p.severity === "error"))
        return send(422, {
          error: { code: "remittance_invalid", message: "The remittance has errors." },
          remittance: body,
        });
      const id = `rem-${remittances.size + 1}`;
      remittances.set(id, r);
      return send(201, { id, remittance: body });
    }
    const undo = /^\/remittances\/([^/]+)\/undo$/.exec(rest);
    if (undo && req.method === "POST") {
      const rid = undo[1] ?? "";
      if (!remittances.has(rid))
        return send(404, { error: { code: "not_found", message: "No such remittance." } });
      const postJobs = [...jobs.entries()]
        .filter(([, j]) => j.kind === "post" && j.remittanceId === rid)
        .reverse();
      if (postJobs.length === 0)
        return send(409, {
          error: { code: "not_posted", message: "Nothing of this remittance was posted." },
        });
      const ids: string[] = [];
      for (const [id, j] of postJobs) {
        const v = jobView(id, j);
        if (v.state === "running" || v.state === "paused" || v.state === "queued")
          return send(409, {
            error: { code: "job_active", message: `Job ${id} is still ${v.state}; cancel it first.` },
          });
        const done = v.documents.filter((d) => d.state === "posted");
        if (done.length === 0 || jobs.has(`${id}:undo`)) continue;
        jobs.set(`${id}:undo`, {
          kind: "undo",
          keys: done.map((d) => ({ key: d.key, type: d.type })),
          polls: 0,
          remittanceId: rid,
          undoOf: id,
        });
        ids.push(`${id}:undo`);
      }
      if (ids.length === 0)
        return send(409, { error: { code: "not_posted", message: "Nothing of this remittance is posted." } });
      return send(202, { jobId: ids[0], jobIds: ids });
    }
    const rem = /^\/remittances\/([^/]+)\/(preview|post)$/.exec(rest);
    if (rem) {
      const r = remittances.get(rem[1] ?? "");
      if (!r) return send(404, { error: { code: "not_found", message: "No such remittance." } });
      const mr = mappingsFromGrids(grids);
      if (!mr.ok) return send(422, { error: { code: "mappings_invalid", message: "Mappings are invalid." } });
      const plan = planJsonFor(r, mr.mappings, org);
      if (rem[2] === "preview") return send(200, { plan });
      const id = `job-${jobs.size + 1}`;
      jobs.set(id, {
        kind: "post",
        keys: plan.documents.map((d) => ({ key: d.key, type: d.type })),
        polls: 0,
        remittanceId: rem[1] ?? "",
      });
      // As worker/src/routes/posting.ts answers: 202 with the job to poll.
      return send(202, {
        jobId: id,
        created: true,
        state: "queued",
        total: plan.documents.length,
        exceptions: 0,
      });
    }
    if (rest === "/exceptions" && req.method === "GET") {
      const q = url.searchParams;
      return send(200, {
        exceptions: exceptions.filter(
          (e) =>
            (!q.get("remittanceId") || e.remittanceId === q.get("remittanceId")) &&
            (!q.get("status") || e.status === q.get("status")) &&
            (!q.get("kind") || e.code === q.get("kind")),
        ),
      });
    }
    const exc = /^\/exceptions\/([^/]+)$/.exec(rest);
    if (exc && req.method === "PATCH") {
      const e = exceptions.find((x) => x.id === decodeURIComponent(exc[1] ?? ""));
      if (!e) return send(404, { error: { code: "not_found", message: "No such exception." } });
      const body = json() as { status?: "open" | "resolved"; note?: string };
      if (body.status) e.status = body.status;
      if (body.note !== undefined) e.note = body.note;
      e.updatedAt = new Date().toISOString();
      return send(200, e);
    }

    // ---- purchase orders (worker/src/routes/purchase-orders.ts), over the real PO core ----
    if (rest === "/purchase-orders" && req.method === "POST") {
      const fileName = String(req.headers["x-file-name"] ?? "upload");
      const read = readPoFile(fileName, new Uint8Array(raw));
      if (read.orders.length === 0 || read.format === "unknown")
        return send(422, {
          error: {
            code: "po_file_invalid",
            message: read.problems[0]?.message ?? "The file holds no purchase orders.",
          },
          problems: read.problems,
        });
      const hash = raw.toString("base64");
      const replayed = poImports.has(hash);
      poImports.add(hash);
      const fresh = read.orders.filter((o) => !purchaseOrders.has(o.purchaseOrderNumber));
      for (const o of read.orders) purchaseOrders.set(o.purchaseOrderNumber, o);
      return send(replayed ? 200 : 201, {
        import: {
          id: `poi-${poImports.size}`,
          fileName,
          format: read.format,
          vendorCode: null,
          orders: read.orders.length,
          importedAt: "2026-02-11T09:30:00Z",
        },
        replayed,
        created: { orders: replayed ? [] : fresh, changed: [], pieces: replayed ? 0 : read.orders.length },
        problems: read.problems,
      });
    }
    if (rest === "/purchase-orders/preview" && req.method === "POST") {
      const plan = planPoInvoices([...purchaseOrders.values()], poMappings(), poOrg());
      plan.alreadyPosted = plan.invoices.filter((i) => poPosted.has(i.key)).map((i) => i.key);
      poPreview = { plan, previewedAt: `2026-02-11T10:0${Math.min(9, poImports.size)}:00.000Z` };
      return send(200, poPreview);
    }
    if (rest === "/purchase-orders/post" && req.method === "POST") {
      if (!poPreview) return send(404, { error: { code: "not_found", message: "No preview." } });
      const todo = poPreview.plan.invoices.filter((i) => !poPosted.has(i.key));
      if (todo.length === 0)
        return send(422, {
          error: {
            code: "nothing_to_post",
            message: "The latest preview plans no invoices that are not posted yet.",
          },
        });
      const id = `po-${jobs.size + 1}`;
      jobs.set(id, { kind: "post", keys: todo.map((i) => ({ key: i.key, type: "Invoice" })), polls: 0 });
      for (const i of todo) poPosted.add(i.key);
      return send(202, {
        jobId: id,
        created: true,
        state: "queued",
        total: todo.length,
        previewedAt: poPreview.previewedAt,
      });
    }

    // ---- monitoring (worker/src/routes/monitoring.ts) ----
    if (rest === "/health") {
      const open = exceptions.filter((e) => e.status === "open");
      const byKind: Record<string, number> = {};
      for (const e of open) byKind[e.code] = (byKind[e.code] ?? 0) + 1;
      return send(200, {
        organisationId: "org-1",
        organisationName: orgInfo.name,
        state: open.length > 0 ? "attention" : "ok",
        connection: { status: "active" },
        apiBudget: { remaining: 4990, limit: 5000, day: "2026-02-11", percentLeft: 99.8 },
        lastImportAt: remittances.size > 0 ? "2026-02-11T09:00:00Z" : undefined,
        jobs: { running: 0, queued: 0, failed: 0 },
        exceptions: {
          total: open.length,
          byKind,
          byAge: { "0-30": open.length, "31-60": 0, "61-90": 0, "91+": 0 },
        },
        alerts: { total: 1, bySeverity: { critical: 0, warning: 1, info: 0 }, list: [] },
        alertWebhook: { configured: false, source: null, lastDelivery: null },
      });
    }
    // As worker/src/routes/monitoring.ts: the real register over every remittance and its plan.
    const register = () => {
      const mr = mappingsFromGrids(grids);
      const rs = [...remittances.values()];
      return disputeRegister({
        remittances: rs,
        plans: mr.ok ? rs.map((r) => planSettlement(r, mr.mappings, org)) : [],
        states: disputeStates,
        today: disputesToday.value,
      });
    };
    const disputeJson = (r: ReturnType<typeof register>[number]) => ({
      ...r,
      amount: minorToDecimal(r.amount, 2),
      outstanding: minorToDecimal(r.outstanding, 2),
    });
    if (rest === "/disputes" && req.method === "GET") {
      const status = url.searchParams.get("status");
      const records = register().filter((r) => !status || r.status === status);
      if (url.searchParams.get("format") === "csv") {
        res.writeHead(200, { "content-type": "text/csv; charset=utf-8" });
        res.end(disputesToCsv(records));
        return;
      }
      return send(200, { today: disputesToday.value, disputes: records.map(disputeJson) });
    }
    const dispute = /^\/disputes\/([^/]+)$/.exec(rest);
    if (dispute && req.method === "PATCH") {
      const key = decodeURIComponent(dispute[1] ?? "");
      const record = register().find((r) => r.id === key);
      if (!record) return send(404, { error: { code: "not_found", message: "No such dispute." } });
      const body = json() as { status: DisputeStatus; caseId?: string; note?: string };
      const result = transitionDispute(record, body.status, disputesToday.value, {
        ...(body.caseId !== undefined ? { caseId: body.caseId } : {}),
        ...(body.note !== undefined ? { note: body.note } : {}),
      });
      if (!result.ok) return send(409, { error: { code: "invalid_transition", message: result.reason } });
      disputeStates[key] = result.state;
      const updated = register().find((r) => r.id === key);
      return send(200, updated ? disputeJson(updated) : null);
    }
    const month = /^\/reports\/month\/([^/]+)$/.exec(rest);
    if (month && req.method === "GET") {
      const period = decodeURIComponent(month[1] ?? "");
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period))
        return send(422, { error: { code: "invalid_period", message: "The period must be YYYY-MM." } });
      const mr = mappingsFromGrids(grids);
      if (!mr.ok) return send(422, { error: { code: "mappings_invalid", message: "Mappings are invalid." } });
      const settlements = [...remittances.values()].map((r) => ({
        remittance: r,
        plan: planSettlement(r, mr.mappings, org),
      }));
      const input = {
        period,
        organisation: { id: "org-1", name: orgInfo.name, baseCurrency: "USD" },
        mappings: mr.mappings,
        settlements,
        org,
      };
      // The "ledger": what VCX's documents moved, with one account skewed so a difference shows.
      const movements = { ...monthEndReport(input).accountMovements };
      movements[ledgerSkew.account] = (movements[ledgerSkew.account] ?? 0) + ledgerSkew.minor;
      const report = monthEndReport({ ...input, ledgerMovements: movements });
      res.setHeader("X-VCX-Flags", String(report.flags.length));
      return send(200, monthEndToJson(report));
    }
    return send(404, { error: { code: "not_found", message: `No route ${path}` } });
  };

  const server: Server = createServer((req, res) => {
    handler(req, res).catch((e) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "internal", message: String(e) } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    saved,
    posted,
    exceptions,
    addException,
    ledgerSkew,
    disputeStates,
    disputesToday,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function serveStatic(path: string, res: ServerResponse, options: StubOptions): Promise<void> {
  let dir = options.staticDir;
  let rel = path;
  for (const [prefix, d] of Object.entries(options.mounts ?? {}))
    if (path.startsWith(prefix)) {
      dir = d;
      rel = path.slice(prefix.length - 1);
    }
  const safe = normalize(rel).replace(/^(\.\.[/\\])+/, "");
  if (!dir || safe.includes("..")) {
    res.writeHead(404);
    res.end();
    return;
  }
  try {
    const body = await readFile(join(dir, safe === "/" ? "taskpane.html" : safe));
    res.writeHead(200, { "content-type": TYPES[extname(safe)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
}

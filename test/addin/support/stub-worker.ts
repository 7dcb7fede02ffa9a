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
import { remittanceToJson } from "../../../worker/domain/remittance/json";
import type { Remittance } from "../../../worker/domain/remittance/model";
import { demoMappingGrids, demoOrg, demoOrgJson, ingestFixture, planJsonFor } from "./fixtures";

export interface StubWorker {
  url: string;
  /** Requests received, in order: "METHOD /path". */
  log: string[];
  /** Mapping grids saved with PUT, by sheet. */
  saved: Record<string, string[][]>;
  /** Posted document keys. */
  posted: string[];
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
  const jobs = new Map<string, { keys: { key: string; type: string }[]; polls: number }>();
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
    if (job && req.method === "GET") {
      const j = jobs.get(job[1] ?? "");
      if (!j) return send(404, { error: { code: "not_found", message: "No such job." } });
      j.polls++;
      const done = j.polls > (options.runningPolls ?? 1);
      const half = Math.ceil(j.keys.length / 2);
      const documents = j.keys.map((d, i) => {
        const isPosted = done || i < half;
        const id = `xero-${String(i + 1).padStart(4, "0")}`;
        if (isPosted && !posted.includes(d.key)) posted.push(d.key);
        return {
          key: d.key,
          type: d.type,
          state: isPosted ? "posted" : "sending",
          description: `${d.type} ${d.key}`,
          ...(isPosted
            ? {
                xeroId: id,
                link: `https://go.xero.com/organisationlogin/default.aspx?shortcode=!demo&redirecturl=/${id}`,
              }
            : {}),
        };
      });
      const n = documents.filter((d) => d.state === "posted").length;
      return send(200, {
        id: job[1],
        state: done ? "done" : "running",
        total: j.keys.length,
        posted: n,
        failed: 0,
        held: 0,
        documents,
      });
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
    const rem = /^\/remittances\/([^/]+)\/(preview|post)$/.exec(rest);
    if (rem) {
      const r = remittances.get(rem[1] ?? "");
      if (!r) return send(404, { error: { code: "not_found", message: "No such remittance." } });
      const mr = mappingsFromGrids(grids);
      if (!mr.ok) return send(422, { error: { code: "mappings_invalid", message: "Mappings are invalid." } });
      const plan = planJsonFor(r, mr.mappings, org);
      if (rem[2] === "preview") return send(200, { plan });
      const id = `job-${jobs.size + 1}`;
      jobs.set(id, { keys: plan.documents.map((d) => ({ key: d.key, type: d.type })), polls: 0 });
      // As worker/src/routes/posting.ts answers: 202 with the job to poll.
      return send(202, {
        jobId: id,
        created: true,
        state: "queued",
        total: plan.documents.length,
        exceptions: 0,
      });
    }
    if (rest.startsWith("/exceptions")) return send(200, { exceptions: [] });
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

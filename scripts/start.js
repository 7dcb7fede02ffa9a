#!/usr/bin/env node
// `npm start`: the local VCX stack, offline and without credentials — the Xero sandbox Worker and the VCX API
// Worker, both in workerd via `wrangler dev`, and the Excel task pane (addin/dist) from a static server.
// Ctrl+C stops everything.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import * as XLSX from "@e965/xlsx";
import { serveAddin } from "./serve-addin.js";

const SANDBOX_PORT = Number(process.env.VCX_SANDBOX_PORT ?? 8788);
const API_PORT = Number(process.env.VCX_API_PORT ?? 8787);
const env = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
};

// Local-only values: the API worker talks to the sandbox (never real Xero) with the sandbox's demo app.
const SANDBOX = `http://localhost:${SANDBOX_PORT}`;
const API = `http://localhost:${API_PORT}`;

// The task pane: HTTPS with the Office dev certificates when installed (`npx office-addin-dev-certs install`,
// needed to sideload into Excel), plain HTTP otherwise (the browser preview works either way).
const ADDIN_PORT = Number(process.env.VCX_ADDIN_PORT ?? 3000);
const CERTS = join(homedir(), ".office-addin-dev-certs");
const ADDIN_TLS = existsSync(join(CERTS, "localhost.crt"))
  ? { key: readFileSync(join(CERTS, "localhost.key")), cert: readFileSync(join(CERTS, "localhost.crt")) }
  : undefined;
const ADDIN = `${ADDIN_TLS ? "https" : "http"}://localhost:${ADDIN_PORT}`;
const LOCAL_VARS = {
  VCX_ENV: "development",
  XERO_LOGIN_URL: `${SANDBOX}/identity/connect/authorize`,
  XERO_IDENTITY_URL: SANDBOX,
  XERO_API_URL: SANDBOX,
  XERO_CLIENT_ID: "VCXSANDBOXCLIENTID",
  XERO_CLIENT_SECRET: "vcx-sandbox-secret",
  XERO_REDIRECT_URI: `${API}/v1/auth/xero/callback`,
  XERO_WEBHOOK_KEY: "local-webhook-key",
  // A fixed, public, local-only key: local tokens are sandbox tokens.
  TOKEN_ENCRYPTION_KEY: "bG9jYWwtZGV2LW9ubHkta2V5LTMyLWJ5dGVzLWxvbmc=",
  ADDIN_ORIGINS: process.env.VCX_ADDIN_ORIGINS ?? [...new Set([ADDIN, "https://localhost:3000"])].join(","),
};

// Local D1: apply migrations before starting (idempotent).
const migrate = spawnSync(
  "wrangler",
  ["d1", "migrations", "apply", "vcx", "--local", "-c", "worker/wrangler.jsonc"],
  { env, stdio: "inherit" },
);
if (migrate.status !== 0) {
  console.error("Applying the local D1 migrations failed.");
  process.exit(1);
}

// The task pane, built for this API with the offline Office.js copy (served at /office-js/).
const built = spawnSync("tsx", ["scripts/build-addin.ts"], {
  env: {
    ...env,
    VCX_OFFICE_JS: "local",
    VCX_API_URL: API,
    ...(ADDIN_TLS ? { VCX_ADDIN_URL: `${ADDIN}/` } : {}),
  },
  stdio: ["ignore", "ignore", "inherit"],
});
if (built.status !== 0) {
  console.error("Building the add-in failed.");
  process.exit(1);
}
const pane = await serveAddin({
  dir: "addin/dist",
  mounts: { "/office-js/": "node_modules/@microsoft/office-js/dist" },
  port: ADDIN_PORT,
  ...(ADDIN_TLS ? { tls: ADDIN_TLS } : {}),
}).catch((e) => {
  console.error(`Could not serve the add-in on port ${ADDIN_PORT}: ${e.message} (set VCX_ADDIN_PORT)`);
  process.exit(1);
});

const children = [];
function run(name, args) {
  const child = spawn("wrangler", args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = (chunk) =>
    chunk
      .toString()
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => `[${name}] ${l}`)
      .join("\n");
  child.stdout.on("data", (c) => console.log(prefix(c)));
  child.stderr.on("data", (c) => console.error(prefix(c)));
  child.on("exit", (code) => {
    console.error(`[${name}] exited with ${code}`);
    stop(code ?? 1);
  });
  children.push(child);
}

function stop(code) {
  void pane.close();
  for (const c of children) if (c.exitCode === null) c.kill("SIGINT");
  setTimeout(() => process.exit(code), 500);
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

async function waitFor(url, timeoutMs = 60_000) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      const res = await fetch(url);
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

// Each wrangler dev needs its own inspector port (both default to 9229).
run("sandbox", [
  "dev",
  "-c",
  "worker/sandbox/wrangler.jsonc",
  "--port",
  String(SANDBOX_PORT),
  "--ip",
  "127.0.0.1",
  "--inspector-port",
  String(SANDBOX_PORT + 1000),
]);
run("api", [
  "dev",
  "-c",
  "worker/wrangler.jsonc",
  "--port",
  String(API_PORT),
  "--ip",
  "127.0.0.1",
  "--inspector-port",
  String(API_PORT + 1000),
  ...Object.entries(LOCAL_VARS).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
]);

/**
 * Seed a demo connection the way a user would: Sign in with Xero against the sandbox (consenting to the
 * US demo organisation), exchange the one-time code for a session, and mint an API key for the CLI.
 */
async function seedDemoConnection() {
  const start = await fetch(`${API}/v1/auth/xero/start`, { redirect: "manual" });
  const authorize = new URL(start.headers.get("location") ?? "");
  const sandbox = await (await fetch(`${SANDBOX}/sandbox`)).json();
  const us = sandbox.tenants.find((t) => t.version === "US");
  const form = new URLSearchParams();
  for (const k of ["response_type", "client_id", "redirect_uri", "scope", "state"]) {
    form.set(k, authorize.searchParams.get(k) ?? "");
  }
  form.append("tenant", us.tenantId);
  const consent = await fetch(`${SANDBOX}/identity/connect/authorize`, {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  const page = await (await fetch(consent.headers.get("location") ?? "")).text();
  const code = /<code id="code">([^<]+)<\/code>/.exec(page)?.[1];
  const session = await (
    await fetch(`${API}/v1/auth/exchange`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code }),
    })
  ).json();
  const key = await (
    await fetch(`${API}/v1/api-keys`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${session.token}` },
      body: JSON.stringify({ organisationId: us.tenantId, name: "npm start" }),
    })
  ).json();
  await seedDemoMappings(us.tenantId, session.token);
  return { org: us, session: session.token, key: key.key };
}

/**
 * The demo workbook is written for the worked example's chart; the sandbox's seeded organisation has no
 * 6190/1230 accounts nor the WIDGET/GADGET items, so those cells point at what it has (as the Worker's
 * integration tests do) — the Worker validates every code against the organisation on upload.
 */
const SANDBOX_CODES = { 6190: "6120", 1230: "1220", "WIDGET-01": "B07DFVDRAB", "GADGET-02": "028877454078" };

/** Upload the demo mapping workbook (one sheet per table), so `vcx remittance preview` works at once. */
async function seedDemoMappings(orgId, token) {
  const wb = XLSX.read(
    readFileSync(new URL("../test/fixtures/mappings/demo-mappings.xlsx", import.meta.url)),
  );
  for (const sheet of wb.SheetNames) {
    const rows = XLSX.utils
      .sheet_to_json(wb.Sheets[sheet], { header: 1, raw: false, defval: "" })
      .map((r) => r.map((c) => SANDBOX_CODES[String(c)] ?? String(c)));
    const res = await fetch(`${API}/v1/organisations/${orgId}/mappings/${encodeURIComponent(sheet)}`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ rows }),
    });
    if (!res.ok) throw new Error(`demo mappings sheet ${sheet}: ${res.status} ${await res.text()}`);
  }
}

const [sandboxUp, apiUp] = await Promise.all([
  waitFor(`http://127.0.0.1:${SANDBOX_PORT}/sandbox`),
  waitFor(`http://127.0.0.1:${API_PORT}/health`),
]);
if (!sandboxUp || !apiUp) {
  console.error("VCX did not start: see the messages above.");
  stop(1);
} else {
  let seeded;
  try {
    seeded = await seedDemoConnection();
  } catch (e) {
    console.error(`Could not seed the demo connection: ${e instanceof Error ? e.message : String(e)}`);
  }
  console.log(`
VCX is running locally (offline, embedded Xero sandbox):
  VCX API        ${API}   (GET /health, /v1/openapi.json)
  Xero sandbox   ${SANDBOX} (GET /sandbox for the demo organisations)
  Sign in        ${API}/v1/auth/xero/start
  Task pane      ${ADDIN}/taskpane.html   (browser preview; sideload addin/dist/manifest.xml into Excel${ADDIN_TLS ? "" : " after `npx office-addin-dev-certs install`"})
${
  seeded
    ? `  Demo org       ${seeded.org.name} (${seeded.org.tenantId}), connected
  API key        ${seeded.key}
  Session        ${seeded.session}

  export VCX_URL=${API} VCX_API_KEY=${seeded.key}
  npx vcx remittance upload test/fixtures/remittances/us-40311877.csv`
    : ""
}
Press Ctrl+C to stop.`);
}

#!/usr/bin/env node
// `npm start`: the local VCX stack, offline and without credentials — the Xero sandbox Worker and the VCX API
// Worker, both in workerd via `wrangler dev`. Ctrl+C stops both.
import { spawn } from "node:child_process";

const SANDBOX_PORT = Number(process.env.VCX_SANDBOX_PORT ?? 8788);
const API_PORT = Number(process.env.VCX_API_PORT ?? 8787);
const env = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
};

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
]);

const [sandboxUp, apiUp] = await Promise.all([
  waitFor(`http://127.0.0.1:${SANDBOX_PORT}/sandbox`),
  waitFor(`http://127.0.0.1:${API_PORT}/health`),
]);
if (!sandboxUp || !apiUp) {
  console.error("VCX did not start: see the messages above.");
  stop(1);
} else {
  console.log(`
VCX is running locally (offline, embedded Xero sandbox):
  VCX API        http://127.0.0.1:${API_PORT}   (GET /health, POST /v1/remittances/parse)
  Xero sandbox   http://127.0.0.1:${SANDBOX_PORT} (GET /sandbox for the demo organisations)
Press Ctrl+C to stop.`);
}

/**
 * npm run soak -- <seed> <count>
 *
 * Seeded fault-injected posting runs against the real Xero sandbox Worker, started in-process with
 * wrangler's unstable_startWorker from worker/sandbox/wrangler.jsonc (offline, test mode): each run plans remittance 40311877 from the fixture files against a fresh
 * sandbox organisation, injects a random mix of 500/503, 429 + Retry-After, lost responses and delays,
 * crashes the engine mid-batch and restarts it over the same storage (sometimes after Xero's 6-minute
 * idempotency window), then reads the ledger back. Prints `soak: runs N, duplicates D, lost L` and exits
 * non-zero when anything was duplicated, lost, unbalanced or left clearing non-zero.
 */
import { readFileSync } from "node:fs";
import { faultRun } from "../test/posting/harness";
import { type InProcessSandbox as Started, startSandbox as start } from "./sandbox-in-process";

const root = new URL("../", import.meta.url).pathname;
const seed = Number(process.argv[2] ?? 20260210);
const count = Number(process.argv[3] ?? 1000);
/** A fresh sandbox every so many runs keeps its single Durable Object small. */
const RECYCLE = 50;

async function main(): Promise<void> {
  const inputs = {
    csvText: readFileSync(`${root}test/fixtures/remittances/us-40311877.csv`, "utf8"),
    mappingsXlsx: new Uint8Array(readFileSync(`${root}test/fixtures/mappings/demo-mappings.xlsx`)),
  };
  let sandbox: Started | undefined;
  let duplicates = 0;
  let lost = 0;
  let crashes = 0;
  let windows = 0;
  let calls = 0;
  let realLimit429 = 0;
  const failed: unknown[] = [];
  const t0 = Date.now();
  for (let i = 0; i < count; i++) {
    if (i % RECYCLE === 0) {
      await sandbox?.dispose();
      sandbox = await start();
    }
    const r = await faultRun((sandbox as Started).fetch, seed + i, inputs);
    duplicates += r.ledger.duplicates;
    lost += r.ledger.lost;
    crashes += r.crashes;
    windows += r.windowExpired && r.crashes > 0 ? 1 : 0;
    calls += r.calls;
    realLimit429 += r.realLimit429;
    if (!r.ok) failed.push({ seed: r.seed, problems: r.problems, faults: r.faults, crashes: r.crashes });
    if ((i + 1) % 100 === 0) {
      console.error(`… ${i + 1}/${count} runs, ${Math.round((Date.now() - t0) / 1000)} s`);
    }
  }
  await sandbox?.dispose();
  for (const f of failed.slice(0, 10)) console.error(JSON.stringify(f));
  console.log(
    `soak: runs ${count}, duplicates ${duplicates}, lost ${lost} ` +
      `(restarts ${crashes}, of which after the 6-minute window ${windows}; Xero calls ${calls}; ` +
      `real rate-limit 429s ${realLimit429}; failed runs ${failed.length}; seed ${seed})`,
  );
  process.exitCode = failed.length === 0 && duplicates === 0 && lost === 0 ? 0 : 1;
}

await main();

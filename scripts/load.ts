/**
 * npm run load -- [orgs] [documents per org] [batch size]   (defaults 50 1000 10)
 *
 * Load (issue 6): `orgs` organisations × `documents` each, posted concurrently into the real Xero sandbox
 * Worker (started in-process with wrangler's unstable_startWorker, test mode), one PostingEngine per
 * organisation on a shared simulated clock that moves the sandbox's clock (test/posting/load.ts). The
 * sandbox enforces and counts each organisation's limits (60 calls per fixed minute, 5 in flight) and
 * answers 429 + X-Rate-Limit-Problem when one is exceeded. Batches of 10 documents (default) make each
 * organisation need ~110 calls, so every organisation crosses the minute window while all 50 run at once.
 *
 * Prints `load: orgs N, documents D, duplicates 0, lost 0, minute-limit breaches 0` and exits non-zero
 * otherwise. 50 × 1,000 (5,508 Xero calls, 2.0 simulated minutes) takes about 110 s of real time here.
 */
import { loadLine, runLoad } from "../test/posting/load";
import { startSandbox } from "./sandbox-in-process";

const orgs = Number(process.argv[2] ?? 50);
const documents = Number(process.argv[3] ?? 1000);
const batchSize = Number(process.argv[4] ?? 10);

const t0 = Date.now();
const sandbox = await startSandbox();
try {
  const r = await runLoad(sandbox.fetch, {
    orgs,
    documents,
    batchSize,
    log: (line) => console.error(`${line} (${Math.round((Date.now() - t0) / 1000)} s)`),
  });
  for (const p of r.problems) console.error(p);
  console.log(loadLine(r));
  console.log(
    `load: posted ${r.posted}; Xero calls ${r.calls} (batches of ${batchSize}); most calls by one organisation ` +
      `in one minute ${r.maxCallsInAMinute}; other limit 429s ${r.otherLimit429}; simulated ` +
      `${(r.simulatedMs / 60_000).toFixed(1)} min; real ${Math.round((Date.now() - t0) / 1000)} s`,
  );
  const ok =
    r.duplicates === 0 &&
    r.lost === 0 &&
    r.minuteBreaches === 0 &&
    r.maxCallsInAMinute <= 60 &&
    r.posted === r.documents &&
    r.problems.length === 0;
  process.exitCode = ok ? 0 : 1;
} finally {
  await sandbox.dispose();
}

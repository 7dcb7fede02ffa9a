/**
 * `npm run bench`: ingestion of a generated 100,000-line US remittance CSV (parse + classify + check),
 * timed against papaparse parsing the same text in the same run. Medians of several alternating runs after
 * a warm-up; ratios, not absolute times, are the figures to compare across machines.
 * Peak heap is measured in a separate process (see heap-probe.ts) from V8's own GC trace.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Papa from "papaparse";
import { readMappingWorkbook } from "../worker/domain/mapping/workbook";
import { formatMoney } from "../worker/domain/money";
import { parseOrgSnapshot } from "../worker/domain/org/model";
import { planSettlement } from "../worker/domain/plan/planner";
import { ingest } from "../worker/domain/remittance/ingest";
import { generateUsCsv } from "./generate";

const LINES = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 7);

const text = generateUsCsv(LINES);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

// Sanity: the generated file must parse cleanly, or the timing means nothing.
const first = ingest({ kind: "text", fileName: "bench.csv", text });
const lineCount = first.payments.reduce((a, p) => a + p.lines.length, 0);
if (
  first.problems.length > 0 ||
  lineCount !== LINES ||
  first.payments.some((p) => p.checks.some((c) => !c.ok && c.severity === "error"))
) {
  console.error("bench input did not ingest cleanly", first.problems.slice(0, 3), lineCount);
  process.exit(1);
}
time(() => Papa.parse(text));

const ours: number[] = [];
const papa: number[] = [];
for (let i = 0; i < RUNS; i++) {
  papa.push(time(() => Papa.parse(text)));
  ours.push(time(() => ingest({ kind: "text", fileName: "bench.csv", text })));
}
const o = median(ours);
const p = median(papa);
console.log(
  `bench ingest_${Math.round(LINES / 1000)}k: ${o.toFixed(0)} ms, papaparse ${p.toFixed(0)} ms, ratio ${(o / p).toFixed(2)} (median of ${RUNS}, ${(text.length / 1e6).toFixed(1)} MB)`,
);

// Planning (issue 3): the same file, parsed and planned against an organisation that holds every invoice.
const fixtures = new URL("../test/fixtures/", import.meta.url);
const mappings = readMappingWorkbook(
  new Uint8Array(readFileSync(new URL("mappings/demo-mappings.xlsx", fixtures))),
);
const demoOrg = JSON.parse(readFileSync(new URL("org/demo-org.json", fixtures), "utf8"));
const contact = demoOrg.invoices[0].contact;
demoOrg.periodLockDate = "2025-12-31";
demoOrg.invoices = first.payments.flatMap((pay) =>
  pay.lines
    .filter((l) => l.kind === "invoice_payment")
    .map((l, i) => ({
      number: l.documentNumber,
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      status: "AUTHORISED",
      total: formatMoney(l.invoiceAmount ?? l.amount, "USD"),
      amountDue: formatMoney(l.invoiceAmount ?? l.amount, "USD"),
      date: "2026-01-05",
      currency: "USD",
      contact,
    })),
);
const org = parseOrgSnapshot(demoOrg);
if (!mappings.ok || !org.ok) {
  console.error(
    "bench mappings/org did not load",
    mappings.ok ? "" : mappings.errors.slice(0, 2),
    org.ok ? "" : org.errors.slice(0, 2),
  );
  process.exit(1);
}
const planOnce = () =>
  planSettlement(ingest({ kind: "text", fileName: "bench.csv", text }), mappings.mappings, org.org);
const plan = planOnce();
const planned: number[] = [];
const papa2: number[] = [];
for (let i = 0; i < Math.max(3, Math.floor(RUNS / 2)); i++) {
  papa2.push(time(() => Papa.parse(text)));
  planned.push(time(planOnce));
}
const pl = median(planned);
const p2 = median(papa2);
console.log(
  `bench plan_${Math.round(LINES / 1000)}k: ${pl.toFixed(0)} ms (parse+classify+check+plan, ${plan.documents.length} documents), papaparse ${p2.toFixed(0)} ms, ratio ${(pl / p2).toFixed(2)}`,
);

const probe = fileURLToPath(new URL("./heap-probe.ts", import.meta.url));
const out = execFileSync(
  process.execPath,
  ["--import", "tsx", "--expose-gc", "--trace-gc", probe, String(LINES)],
  { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
);
const peaks = [...out.matchAll(/(\d+\.\d+) \((\d+\.\d+)\) -> (\d+\.\d+)/g)].map((m) => Number(m[1]));
const result = JSON.parse(out.slice(out.lastIndexOf("{")));
const peak = Math.max(result.finalHeapMb, ...peaks);
console.log(
  `bench ingest_${Math.round(LINES / 1000)}k peak heap: ${peak.toFixed(1)} MB (V8 heap used, GC trace; of which the file text ${(text.length / 1048576).toFixed(1)} MB), heap before ingest ${result.baseHeapMb.toFixed(1)} MB, peak RSS ${result.maxRssMb.toFixed(0)} MB`,
);

/**
 * Child process of the ingestion bench: generates the file, ingests it once and reports heap figures.
 * Run with --trace-gc so the parent can read the heap size V8 saw before every collection.
 */
import { ingest } from "../worker/domain/remittance/ingest";
import { generateUsCsv } from "./generate";

const text = generateUsCsv(Number(process.argv[2] ?? 100_000));
globalThis.gc?.();
const baseHeapMb = process.memoryUsage().heapUsed / 1048576;
const r = ingest({ kind: "text", fileName: "bench.csv", text });
const finalHeapMb = process.memoryUsage().heapUsed / 1048576;
console.log(
  JSON.stringify({
    lines: r.payments.reduce((a, p) => a + p.lines.length, 0),
    baseHeapMb,
    finalHeapMb,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);

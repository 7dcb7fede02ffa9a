/** Posting: progress from the job, results stamped back into Review and appended to the Posting Log. */
import { toRow } from "./grid";
import { POSTING_LOG_SHEET } from "./sheets";
import type { Row } from "./types";

export type JobState = "queued" | "running" | "paused" | "done" | "failed" | "cancelled";
export type DocumentState = "planned" | "sending" | "posted" | "failed" | "held";

export interface JobDocument {
  key: string;
  type: string;
  state: DocumentState;
  xeroId?: string;
  link?: string;
  error?: string;
}

export interface Job {
  id: string;
  state: JobState;
  total: number;
  posted: number;
  failed: number;
  held: number;
  documents: JobDocument[];
}

export const FINISHED: ReadonlySet<JobState> = new Set(["done", "failed", "cancelled"]);

export function progress(job: Job): { fraction: number; label: string } {
  const settled = job.posted + job.failed + job.held;
  const fraction = job.total > 0 ? Math.min(1, settled / job.total) : FINISHED.has(job.state) ? 1 : 0;
  const parts = [`${job.posted} of ${job.total} posted`];
  if (job.failed) parts.push(`${job.failed} failed`);
  if (job.held) parts.push(`${job.held} held`);
  return { fraction, label: `${parts.join(", ")} (${job.state})` };
}

/** The Status / Xero ID / Xero Link columns of every Review row after (or during) a posting job. */
export function stampColumns(keysPerRow: readonly (readonly string[])[], job: Job): Row[] {
  const byKey = new Map(job.documents.map((d) => [d.key, d]));
  return keysPerRow.map((keys) => {
    const docs = keys.flatMap((k) => byKey.get(k) ?? []);
    if (docs.length === 0) return ["", "", ""];
    const failed = docs.find((d) => d.state === "failed");
    const status = failed
      ? `failed: ${failed.error ?? "no reason given"}`
      : docs.every((d) => d.state === "posted")
        ? "posted"
        : docs.some((d) => d.state === "held")
          ? "held"
          : (docs[0]?.state ?? "");
    const ids = docs.flatMap((d) => (d.xeroId ? [d.xeroId] : []));
    const link = docs.find((d) => d.link)?.link ?? "";
    return [status, ids.join(" "), link];
  });
}

/** Failures for the pane: one plain line per failed document, with the Review rows it covers. */
export function failures(keysPerRow: readonly (readonly string[])[], job: Job): string[] {
  return job.documents
    .filter((d) => d.state === "failed")
    .map((d) => {
      const rows = keysPerRow.flatMap((keys, i) => (keys.includes(d.key) ? [i + 2] : []));
      const where = rows.length > 0 ? ` (Review row${rows.length > 1 ? "s" : ""} ${rows.join(", ")})` : "";
      return `${d.type} ${d.key}${where}: ${d.error ?? "failed"}`;
    });
}

export function logRows(job: Job, who: string, when: Date, remittance: string): Row[] {
  return job.documents
    .filter((d) => d.state === "posted" || d.state === "failed")
    .map((d) =>
      toRow(POSTING_LOG_SHEET, [
        when.toISOString(),
        who,
        remittance,
        job.id,
        d.key,
        d.type,
        d.state,
        d.xeroId ?? "",
        d.link ?? "",
        d.error ?? "",
      ]),
    );
}

/** Posting: progress from the job, results stamped back into Review and appended to the Posting Log. */
import { toRow } from "./grid";
import { POSTING_LOG_SHEET } from "./sheets";
import type { Row } from "./types";

/** `GET /v1/jobs/:jobId` (docs/api-contract.md "Posting"). */
export type JobState = "queued" | "running" | "paused" | "waiting" | "done" | "failed" | "cancelled";
export type DocumentState = "planned" | "sending" | "posted" | "failed" | "held" | "reversed";

/** Why a document failed or was held: one plain sentence, Xero's own messages, and a code when held. */
export interface DocumentError {
  reason: string;
  messages: string[];
  code?: string;
}

export interface JobDocument {
  key: string;
  type: string;
  state: DocumentState;
  description?: string;
  xeroId?: string;
  xeroNumber?: string;
  /** Deep link into Xero. */
  link?: string;
  error?: DocumentError;
}

export interface Job {
  id: string;
  kind?: "post" | "undo";
  state: JobState;
  total: number;
  posted: number;
  failed: number;
  held: number;
  reversed?: number;
  sending?: number;
  planned?: number;
  /** While waiting on Xero's rate limit: when the job resumes (ISO). */
  waitUntil?: string;
  organisationId?: string;
  remittanceId?: string;
  documents: JobDocument[];
}

/** `POST …/remittances/:id/undo` → 202: one undo job per post job, newest first. */
export interface UndoAccepted {
  jobId: string;
  jobIds: string[];
}

/** Pause / Resume / Cancel offered for a job in this state. */
export function jobControls(state: JobState | undefined): {
  pause: boolean;
  resume: boolean;
  cancel: boolean;
} {
  const active = state === "queued" || state === "running" || state === "waiting";
  return { pause: active, resume: state === "paused", cancel: active || state === "paused" };
}

/** `POST …/remittances/:id/post` → 202. `created: false` when the remittance's latest job is returned. */
export interface PostAccepted {
  jobId: string;
  created: boolean;
  state?: JobState;
  total?: number;
  exceptions?: number;
}

/** The plain reason, then Xero's own messages (when they add anything). */
export function errorText(error: DocumentError | undefined): string {
  if (!error) return "";
  const extra = (error.messages ?? []).filter((m) => m && m !== error.reason);
  return [error.reason, ...extra].filter(Boolean).join(" ");
}

export const FINISHED: ReadonlySet<JobState> = new Set(["done", "failed", "cancelled"]);

export function progress(job: Job): { fraction: number; label: string } {
  const settled = job.posted + job.failed + job.held;
  const fraction = job.total > 0 ? Math.min(1, settled / job.total) : FINISHED.has(job.state) ? 1 : 0;
  const parts = [`${job.posted} of ${job.total} posted`];
  if (job.failed) parts.push(`${job.failed} failed`);
  if (job.held) parts.push(`${job.held} held`);
  const until = job.state === "waiting" && job.waitUntil ? new Date(job.waitUntil) : undefined;
  const state =
    until && !Number.isNaN(until.getTime())
      ? `waiting for Xero's rate limit until ${until.toISOString().slice(11, 19)} UTC`
      : job.state;
  return { fraction, label: `${parts.join(", ")} (${state})` };
}

/** The Status / Xero ID / Xero Link columns of every Review row after (or during) a posting job. */
export function stampColumns(keysPerRow: readonly (readonly string[])[], job: Job): Row[] {
  const byKey = new Map(job.documents.map((d) => [d.key, d]));
  return keysPerRow.map((keys) => {
    const docs = keys.flatMap((k) => byKey.get(k) ?? []);
    if (docs.length === 0) return ["", "", ""];
    const failed = docs.find((d) => d.state === "failed");
    const status = failed
      ? `failed: ${errorText(failed.error) || "no reason given"}`
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
      return `${d.type} ${d.key}${where}: ${errorText(d.error) || "failed"}`;
    });
}

export function logRows(job: Job, who: string, when: Date, remittance: string): Row[] {
  return job.documents
    .filter(
      (d) => d.state === "posted" || d.state === "failed" || d.state === "held" || d.state === "reversed",
    )
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
        errorText(d.error),
      ]),
    );
}

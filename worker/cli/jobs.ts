/**
 * `… post [--wait]` for every posting CLI command: start the job, then follow GET /v1/jobs/:id with a
 * progress bar (redrawn in place on a terminal) until it ends. Exit 0 only when everything posted.
 */
import type { WorkerApi, WorkerIo } from "./worker-api";

export interface JobIo extends WorkerIo {
  /** Between polls of a job (tests pass a short one). Default: 1 s. */
  sleep?: (ms: number) => Promise<void>;
  /** Redraw the progress bar in place (`\r`) instead of a line per change. */
  isTTY?: boolean;
}

interface JobProgress {
  id: string;
  state: string;
  total: number;
  posted: number;
  failed: number;
  held: number;
  documents: { key: string; type: string; state: string; xeroNumber?: string; error?: { reason: string } }[];
}

const FINAL_STATES = new Set(["done", "failed", "cancelled"]);

/** `[#########.........]  5/8 posted, 0 failed, 0 held  running` */
export function progressBar(j: JobProgress, width = 30): string {
  const finished = j.posted + j.failed + j.held;
  const filled = j.total === 0 ? width : Math.min(width, Math.round((finished / j.total) * width));
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(j.posted).padStart(String(j.total).length)}/${j.total} posted, ${j.failed} failed, ${j.held} held  ${j.state}`;
}

export async function postAndFollow(
  api: WorkerApi,
  path: string,
  values: { json: boolean; wait: boolean },
  io: JobIo,
  options: { listPosted?: boolean } = {},
): Promise<number> {
  const r = await api.call(path, { method: "POST" });
  if (r.status !== 202) return api.fail(r);
  const { jobId, created } = r.body as { jobId: string; created: boolean };
  const head = `${created ? "Posting" : "Already posted by"} job ${jobId}\n`;
  if (!values.wait) {
    io.out(values.json ? `${JSON.stringify(r.body, null, 2)}\n` : head);
    return 0;
  }
  if (!values.json) io.out(head);
  const sleep = io.sleep ?? ((ms: number) => new Promise<void>((res) => setTimeout(res, ms)));
  let last = "";
  for (;;) {
    const j = await api.call(`/v1/jobs/${encodeURIComponent(jobId)}`);
    if (j.status !== 200) return api.fail(j);
    const job = j.body as JobProgress;
    const bar = progressBar(job);
    if (!values.json && bar !== last) io.out(io.isTTY ? `\r${bar}` : `${bar}\n`);
    last = bar;
    if (FINAL_STATES.has(job.state)) {
      if (values.json) io.out(`${JSON.stringify(job, null, 2)}\n`);
      else {
        if (io.isTTY) io.out("\n");
        for (const d of job.documents) {
          if (d.state === "posted" && options.listPosted)
            io.out(`  posted ${d.type} ${d.xeroNumber ?? ""} (${d.key})\n`);
          else if (d.state === "failed" || d.state === "held")
            io.out(`  ${d.state.toUpperCase()} ${d.type} ${d.key}: ${d.error?.reason ?? ""}\n`);
        }
      }
      return job.state === "done" && job.failed === 0 && job.held === 0 ? 0 : 1;
    }
    await sleep(1000);
  }
}

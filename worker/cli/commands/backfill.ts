import { readOrSay } from "../io";
/**
 * `vcx backfill <files…> [--wait]` (issue 6): post a history of remittances in payment-date order. Every
 * file is uploaded first (so a file VCX cannot read stops the run before anything posts), then — earliest
 * payment date first — previewed and posted; with --wait each job is followed to its end before the next
 * file starts (a later remittance may settle what an earlier one invoiced). One line per file.
 */
import type { JobIo } from "../jobs";
import { MISSING_TARGET, workerApi, workerTarget } from "../worker-api";

export const BACKFILL_USAGE = `Usage: vcx backfill <files…> [--wait] [--vendor CODE] [--locale us|eu]
Options: --url URL (or VCX_URL), --key API_KEY (or VCX_API_KEY), --org ORG_ID (default: the key's organisation)

Uploads each remittance file, orders them by payment date, then previews and posts each in that order;
with --wait each job is followed until it ends before the next file is posted. Exit 0 when every file
posted (or, without --wait, every job started), 1 otherwise, 2 on wrong usage.`;

interface Job {
  state: string;
  total: number;
  posted: number;
  failed: number;
  held: number;
}

const FINAL = new Set(["done", "failed", "cancelled"]);
const STRING_OPTIONS = new Set(["url", "key", "org", "locale", "vendor"]);

export async function backfillCommand(args: string[], io: JobIo): Promise<number> {
  const values: Record<string, string | boolean | undefined> = { wait: false };
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (!arg.startsWith("--")) {
      files.push(arg);
      continue;
    }
    const [name = "", inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (name === "wait") values["wait"] = true;
    else if (STRING_OPTIONS.has(name) && (inline ?? args[i + 1]) !== undefined)
      values[name] = inline ?? args[++i];
    else {
      io.err(`Unknown or incomplete option '--${name}'.\n\n${BACKFILL_USAGE}\n`);
      return 2;
    }
  }
  const str = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);
  const worker = workerTarget(
    { ...(str("url") ? { url: str("url") } : {}), ...(str("key") ? { key: str("key") } : {}) },
    io,
  );
  if (!worker || files.length === 0) {
    io.err(`${!worker ? `${MISSING_TARGET}\n\n` : ""}${BACKFILL_USAGE}\n`);
    return 2;
  }
  const api = workerApi(worker, io);
  const resolved = await api.organisation(str("org"));
  if ("exit" in resolved) return resolved.exit;
  const base = `/v1/organisations/${encodeURIComponent(resolved.org)}/remittances`;
  const vendor = str("vendor") ? `?vendorCode=${encodeURIComponent(str("vendor") as string)}` : "";

  // 1. Upload every file.
  const uploaded: { file: string; id: string; date: string }[] = [];
  for (const file of files) {
    const bytes = await readOrSay(io, file);
    if (!bytes) return 1;
    const r = await api.call(`${base}${str("locale") ? `?locale=${str("locale")}` : ""}`, {
      method: "POST",
      headers: {
        "content-type": "application/octet-stream",
        "x-file-name": file.split(/[\\/]/).pop() ?? file,
      },
      body: bytes.slice().buffer as ArrayBuffer,
    });
    const body = r.body as {
      id: string;
      remittance?: { payments: { paymentDate: string | null }[]; problems: { message: string }[] };
    };
    if (r.status === 422 && body.remittance) {
      for (const p of body.remittance.problems) io.err(`${file}: ${p.message}\n`);
      return 1;
    }
    if (r.status !== 201) return api.fail(r);
    const dates = (body.remittance?.payments ?? []).map((p) => p.paymentDate).filter((d): d is string => !!d);
    uploaded.push({ file, id: body.id, date: dates.sort()[0] ?? "9999-12-31" });
  }
  // 2. Earliest payment date first (ties: the order given).
  const ordered = uploaded
    .map((u, i) => ({ ...u, i }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.i - b.i));
  const sleep = io.sleep ?? ((ms: number) => new Promise<void>((res) => setTimeout(res, ms)));
  let ok = true;
  for (const u of ordered) {
    const head = `${u.date} ${u.file} (${u.id})`;
    const preview = await api.call(`${base}/${encodeURIComponent(u.id)}/preview${vendor}`, {
      method: "POST",
    });
    if (preview.status !== 200) {
      io.out(`${head}: preview refused (${preview.status})\n`);
      ok = false;
      continue;
    }
    const blocking = (
      preview.body as { plan: { exceptions: { severity: string; reason: string }[] } }
    ).plan.exceptions.filter((e) => e.severity === "blocking");
    if (blocking.length > 0) {
      io.out(`${head}: not posted, ${blocking.length} blocking exception(s): ${blocking[0]?.reason}\n`);
      ok = false;
      continue;
    }
    const post = await api.call(`${base}/${encodeURIComponent(u.id)}/post${vendor}`, { method: "POST" });
    if (post.status !== 202) {
      io.out(`${head}: post refused (${post.status})\n`);
      ok = false;
      continue;
    }
    const { jobId } = post.body as { jobId: string };
    if (!values["wait"]) {
      io.out(`${head}: job ${jobId} started\n`);
      continue;
    }
    let job: Job | undefined;
    for (;;) {
      const j = await api.call(`/v1/jobs/${encodeURIComponent(jobId)}`);
      if (j.status !== 200) return api.fail(j);
      job = j.body as Job;
      if (FINAL.has(job.state)) break;
      await sleep(1000);
    }
    const good = job.state === "done" && job.failed === 0 && job.held === 0;
    ok &&= good;
    io.out(
      `${head}: ${job.state}, ${job.posted}/${job.total} posted, ${job.failed} failed, ${job.held} held (job ${jobId})\n`,
    );
  }
  return ok ? 0 : 1;
}

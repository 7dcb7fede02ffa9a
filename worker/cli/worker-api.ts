/**
 * The CLI's side of the Worker API, shared by `vcx remittance`, `vcx po` and `vcx report`: the URL and key
 * from flags or VCX_URL / VCX_API_KEY, JSON calls with the bearer key, the error envelope printed plainly,
 * and the organisation a key reaches when `--org` is not given.
 */
import type { CliIo } from "./io";

export interface WorkerIo extends CliIo {
  fetch?: typeof fetch;
  env?: Record<string, string | undefined>;
}

export interface Reply {
  status: number;
  body: unknown;
  headers: Headers;
}

interface ErrorEnvelope {
  error?: { code?: string; message?: string; issues?: { path: unknown[]; message: string }[] };
}

export interface WorkerApi {
  call(path: string, init?: RequestInit): Promise<Reply>;
  postJson(path: string, body: unknown): Promise<Reply>;
  /** Print VCX's refusal; returns exit code 1. */
  fail(r: Reply): number;
  /** `--org`, or the only organisation the credential reaches; else the exit code after saying why. */
  organisation(given: string | undefined, flag?: string): Promise<{ org: string } | { exit: number }>;
}

/** URL and key from flags or environment; undefined when either is missing. */
export function workerTarget(
  values: { url?: string; key?: string },
  io: WorkerIo,
): { url: string; key: string } | undefined {
  const env = io.env ?? process.env;
  const url = (values.url ?? env["VCX_URL"] ?? "").replace(/\/+$/, "");
  const key = values.key ?? env["VCX_API_KEY"];
  return url && key ? { url, key } : undefined;
}

export const MISSING_TARGET = "Give the Worker URL and an API key (--url/--key or VCX_URL/VCX_API_KEY).";

export function workerApi(target: { url: string; key: string }, io: WorkerIo): WorkerApi {
  const doFetch = io.fetch ?? fetch;
  const call = async (path: string, init: RequestInit = {}): Promise<Reply> => {
    const res = await doFetch(`${target.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${target.key}`,
        ...(init.headers as Record<string, string> | undefined),
      },
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (CSV or text reports): keep the text
    }
    return { status: res.status, body, headers: res.headers };
  };
  const fail = (r: Reply) => {
    const e = (r.body as ErrorEnvelope | null)?.error;
    io.err(`VCX answered ${r.status}: ${e?.message ?? String(r.body)}\n`);
    for (const i of e?.issues ?? []) io.err(`  ${i.path.join(".")}: ${i.message}\n`);
    return 1;
  };
  return {
    call,
    postJson: (path, body) =>
      call(path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    fail,
    async organisation(given, flag = "--org") {
      if (given) return { org: given };
      const orgs = await call("/v1/organisations");
      if (orgs.status !== 200) return { exit: fail(orgs) };
      const list = (orgs.body as { organisations: { id: string }[] }).organisations;
      if (list.length !== 1) {
        io.err(`This credential reaches several organisations; say which with ${flag}.\n`);
        return { exit: 2 };
      }
      return { org: list[0]?.id ?? "" };
    },
  };
}

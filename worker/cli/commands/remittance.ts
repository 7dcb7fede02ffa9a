import { readOrSay } from "../io";
import { type JobIo, postAndFollow } from "../jobs";
import { MISSING_TARGET, workerApi, workerTarget } from "../worker-api";

export const REMITTANCE_USAGE = `Usage: vcx remittance upload <file> [--locale us|eu] [--json]
       vcx remittance preview <id> [--vendor CODE] [--json]
       vcx remittance list [--json]
       vcx remittance post <id> [--wait] [--vendor CODE] [--json]
Options: --url URL (or VCX_URL), --key API_KEY (or VCX_API_KEY), --org ORG_ID (default: the key's organisation)

Talks to a running VCX Worker (npm start prints a local URL and API key). Exit 0 on success, 1 when the
Worker refuses (the error is printed) or a posted job ends with failed/held documents, 2 on wrong usage.
post --wait polls the job (GET /v1/jobs/:id) and draws a progress bar until it is done.`;

export type RemittanceIo = JobIo;

export async function remittanceCommand(args: string[], io: RemittanceIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n\n${REMITTANCE_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [action, target] = positionals;
  const worker = workerTarget(values, io);
  if (!worker || !action || (action !== "list" && !target)) {
    io.err(`${!worker ? `${MISSING_TARGET}\n\n` : ""}${REMITTANCE_USAGE}\n`);
    return 2;
  }
  const api = workerApi(worker, io);
  const { call, fail } = api;
  const resolved = await api.organisation(values.org);
  if ("exit" in resolved) return resolved.exit;
  const org = resolved.org;
  const base = `/v1/organisations/${encodeURIComponent(org)}/remittances`;
  const print = (value: unknown, text: string) =>
    io.out(values.json ? `${JSON.stringify(value, null, 2)}\n` : text);

  switch (action) {
    case "upload": {
      const file = target ?? "";
      const bytes = await readOrSay(io, file);
      if (!bytes) return 1;
      const r = await call(`${base}${values.locale ? `?locale=${values.locale}` : ""}`, {
        method: "POST",
        headers: {
          "content-type": "application/octet-stream",
          "x-file-name": file.split(/[\\/]/).pop() ?? file,
        },
        body: bytes.slice().buffer as ArrayBuffer,
      });
      const body = r.body as {
        id: string;
        remittance: {
          format: string;
          payments: { paymentNumber: string; amount: string; currency: string }[];
          problems: { message: string }[];
        };
      };
      if (r.status === 422 && body.remittance) {
        for (const p of body.remittance.problems) io.err(`${file}: ${p.message}\n`);
        return 1;
      }
      if (r.status !== 201) return fail(r);
      print(
        r.body,
        `Uploaded ${file} as ${body.id} (${body.remittance.format})\n${body.remittance.payments.map((p) => `  payment ${p.paymentNumber} ${p.currency} ${p.amount}\n`).join("")}`,
      );
      return 0;
    }
    case "preview": {
      const r = await call(
        `${base}/${encodeURIComponent(target ?? "")}/preview${values.vendor ? `?vendorCode=${encodeURIComponent(values.vendor)}` : ""}`,
        {
          method: "POST",
        },
      );
      if (r.status !== 200) return fail(r);
      const plan = (
        r.body as {
          plan: {
            documents: { key: string; type: string }[];
            exceptions: { severity: string; code: string; reason: string }[];
          };
        }
      ).plan;
      print(
        plan,
        `${plan.documents.length} document(s) to post:\n${plan.documents.map((d) => `  ${d.type.padEnd(16)} ${d.key}\n`).join("")}${plan.exceptions.map((e) => `  ${e.severity.toUpperCase()} ${e.code}: ${e.reason}\n`).join("")}`,
      );
      return plan.exceptions.some((e) => e.severity === "blocking") ? 1 : 0;
    }
    case "list": {
      const r = await call(base);
      if (r.status !== 200) return fail(r);
      const list = (
        r.body as {
          remittances: {
            id: string;
            fileName: string;
            status: string;
            uploadedAt: string;
            payments: { paymentNumber: string; amount: string; currency: string }[];
          }[];
        }
      ).remittances;
      print(
        r.body,
        list.length === 0
          ? "No remittances yet.\n"
          : list
              .map(
                (x) =>
                  `${x.id}  ${x.uploadedAt}  ${x.status.padEnd(9)} ${x.fileName}  ${x.payments.map((p) => `${p.paymentNumber} ${p.currency} ${p.amount}`).join(", ")}\n`,
              )
              .join(""),
      );
      return 0;
    }
    case "post":
      return postAndFollow(
        api,
        `${base}/${encodeURIComponent(target ?? "")}/post${values.vendor ? `?vendorCode=${encodeURIComponent(values.vendor)}` : ""}`,
        values,
        io,
      );
    default:
      io.err(`Unknown remittance action '${action}'.\n\n${REMITTANCE_USAGE}\n`);
      return 2;
  }
}

const STRING_OPTIONS = new Set(["url", "key", "org", "locale", "vendor"]);

/** Flags and positionals (no node:util, so the command also runs inside workerd tests). */
function parse(args: string[]) {
  const values: {
    url?: string;
    key?: string;
    org?: string;
    locale?: string;
    vendor?: string;
    json: boolean;
    wait: boolean;
  } = {
    json: false,
    wait: false,
  };
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const [name = "", inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (name === "json") values.json = true;
    else if (name === "wait") values.wait = true;
    else if (STRING_OPTIONS.has(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new Error(`Option --${name} needs a value`);
      values[name as "url"] = value;
    } else throw new Error(`Unknown option '--${name}'`);
  }
  return { values, positionals };
}

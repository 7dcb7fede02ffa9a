import { readMappingWorkbook } from "../../domain/mapping/workbook";
import { decimalToMinor } from "../../domain/money";
import {
  monthEndReport,
  monthEndText,
  monthEndToCsv,
  monthEndToJson,
  type Settlement,
} from "../../domain/monitoring/month-end";
import { parseOrgSnapshot } from "../../domain/org/model";
import { PlanError, planSettlement } from "../../domain/plan/planner";
import { ingest } from "../../domain/remittance/ingest";
import { type CliIo, localeOrSay, readOrSay } from "../io";
import { workerApi } from "../worker-api";

export const REPORT_USAGE = `Usage: vcx report month <YYYY-MM> --remittances <file> [<file> …] --mappings <workbook.xlsx>
                --org <snapshot.json> [--ledger <movements.json>] [--vendor CODE] [--locale us|eu]
                [--json | --csv]

The month-end control report, offline from files: plans every remittance with the mapping workbook and the
organisation snapshot, then reports invoices and remittances, deductions by kind and account (reversals
netted), credit notes, provisions outstanding, the clearing account (should be zero), open receivables by
age and open exceptions for the month. --ledger gives the trial balance movements for the month to tie to,
as JSON {"6130": "300.00", …} (debit positive) or {"movements": {…}, "balances": {…}}. Exit code 0 when
nothing needs review, 1 when something does (or an input is wrong), 2 on wrong usage.

Against a running Worker (no files needed): vcx report month <YYYY-MM> --url URL --key API_KEY
                [--organisation ORG_ID] [--basis posted|planned] [--vendor CODE] [--json | --csv]
(or VCX_URL / VCX_API_KEY in the environment): the Worker builds the report from the remittances it holds
and ties it to the Xero trial balance; the organisation defaults to the API key's.`;

const STRING_OPTIONS = new Set([
  "mappings",
  "org",
  "ledger",
  "vendor",
  "locale",
  "url",
  "key",
  "organisation",
  "basis",
]);

interface ReportValues {
  remittances?: string[];
  mappings?: string;
  org?: string;
  ledger?: string;
  vendor?: string;
  locale?: string;
  url?: string;
  key?: string;
  organisation?: string;
  basis?: string;
  json: boolean;
  csv: boolean;
}

/** Flags and positionals (no node:util, so the command also runs inside workerd tests). */
function parse(args: string[]): { values: ReportValues; positionals: string[] } {
  const values: ReportValues = { json: false, csv: false };
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const [name = "", inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (name === "json" || name === "csv") values[name] = true;
    else if (name === "remittances" || STRING_OPTIONS.has(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || (inline === undefined && value.startsWith("--")))
        throw new Error(`Option '--${name} <value>' argument missing`);
      if (name === "remittances") values.remittances = [...(values.remittances ?? []), value];
      else values[name as "mappings"] = value;
    } else throw new Error(`Unknown option '--${name}'`);
  }
  return { values, positionals };
}

/** {"6130": "300.00"} → minor units; undefined + message when a value is not a 2 dp amount. */
function amounts(json: unknown, what: string): Record<string, number> | string {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return `${what} must be an object`;
  const out: Record<string, number> = {};
  for (const [code, v] of Object.entries(json)) {
    const minor =
      typeof v === "number" || typeof v === "string" ? decimalToMinor(String(v).trim(), 2) : undefined;
    if (minor === undefined)
      return `${what}.${code} is '${String(v)}', not an amount with at most 2 decimals`;
    out[code] = minor;
  }
  return out;
}

export interface ReportIo extends CliIo {
  fetch?: typeof fetch;
  env?: Record<string, string | undefined>;
}

/** `vcx report month` against a running Worker: GET /v1/organisations/:org/reports/month/:period. */
async function fromWorker(
  period: string,
  opts: { url: string; key: string; organisation?: string; basis?: string; vendor?: string; format: string },
  io: ReportIo,
): Promise<number> {
  const api = workerApi(opts, io);
  const resolved = await api.organisation(opts.organisation, "--organisation");
  if ("exit" in resolved) return resolved.exit;
  const org = resolved.org;
  const q = new URLSearchParams({ format: opts.format });
  if (opts.basis) q.set("basis", opts.basis);
  if (opts.vendor) q.set("vendorCode", opts.vendor);
  const res = await api.call(`/v1/organisations/${encodeURIComponent(org)}/reports/month/${period}?${q}`);
  if (res.status !== 200) return api.fail(res);
  const text = typeof res.body === "string" ? res.body : JSON.stringify(res.body, null, 2);
  io.out(text.endsWith("\n") ? text : `${text}\n`);
  return Number(res.headers.get("x-vcx-flags") ?? "0") > 0 ? 1 : 0;
}

export async function reportCommand(args: string[], io: ReportIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n\n${REPORT_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub, period, ...more] = positionals;
  // `--remittances a.csv b.csv`: the files after the first land among the positionals.
  const files = [...(values.remittances ?? []), ...more];
  const env = io.env ?? process.env;
  const url = (values.url ?? env.VCX_URL ?? "").replace(/\/+$/, "");
  const key = values.key ?? env.VCX_API_KEY;
  const online =
    files.length === 0 &&
    !values.mappings &&
    (values.url !== undefined || values.key !== undefined || (url !== "" && key !== undefined));
  if (sub === "month" && period && online) {
    if (!url || !key) {
      io.err(`Give the Worker URL and an API key (--url/--key or VCX_URL/VCX_API_KEY).\n\n${REPORT_USAGE}\n`);
      return 2;
    }
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) {
      io.err(`The month must be YYYY-MM, not '${period}'\n`);
      return 2;
    }
    if (values.json && values.csv) {
      io.err("Choose one of --json and --csv\n");
      return 2;
    }
    if (values.basis !== undefined && values.basis !== "posted" && values.basis !== "planned") {
      io.err(`--basis must be posted or planned, not '${values.basis}'\n`);
      return 2;
    }
    return fromWorker(
      period,
      {
        url,
        key,
        format: values.json ? "json" : values.csv ? "csv" : "text",
        ...(values.organisation ? { organisation: values.organisation } : {}),
        ...(values.basis ? { basis: values.basis } : {}),
        ...(values.vendor ? { vendor: values.vendor } : {}),
      },
      io,
    );
  }
  if (sub !== "month" || !period || files.length === 0 || !values.mappings || !values.org) {
    io.err(`${REPORT_USAGE}\n`);
    return 2;
  }
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) {
    io.err(`The month must be YYYY-MM, not '${period}'\n`);
    return 2;
  }
  if (values.json && values.csv) {
    io.err("Choose one of --json and --csv\n");
    return 2;
  }
  const dateOrder = localeOrSay(io, values.locale);
  if (dateOrder === false) return 2;

  const read = (path: string) => readOrSay(io, path);
  const readJson = async (path: string): Promise<{ ok: true; value: unknown } | { ok: false }> => {
    const bytes = await read(path);
    if (!bytes) return { ok: false };
    try {
      return { ok: true, value: JSON.parse(new TextDecoder().decode(bytes)) };
    } catch (e) {
      io.err(`${path}: not JSON (${String(e)})\n`);
      return { ok: false };
    }
  };

  const workbookBytes = await read(values.mappings);
  if (!workbookBytes) return 1;
  const mappings = readMappingWorkbook(workbookBytes);
  if (!mappings.ok) {
    for (const e of mappings.errors) {
      const where = [e.sheet, e.row !== undefined ? `row ${e.row}` : "", e.column ?? "", e.cell ?? ""]
        .filter(Boolean)
        .join(", ");
      io.err(`${values.mappings} (${where}): ${e.message}\n`);
    }
    return 1;
  }
  const orgJson = await readJson(values.org);
  if (!orgJson.ok) return 1;
  const org = parseOrgSnapshot(orgJson.value);
  if (!org.ok) {
    for (const e of org.errors) io.err(`${values.org}: ${e}\n`);
    return 1;
  }
  let ledgerMovements: Record<string, number> | undefined;
  let ledgerBalances: Record<string, number> | undefined;
  if (values.ledger) {
    const ledger = await readJson(values.ledger);
    if (!ledger.ok) return 1;
    const v = ledger.value as Record<string, unknown>;
    const split = v !== null && typeof v === "object" && ("movements" in v || "balances" in v);
    const m = amounts(split ? (v.movements ?? {}) : v, "movements");
    const b = split && v.balances !== undefined ? amounts(v.balances, "balances") : {};
    if (typeof m === "string" || typeof b === "string") {
      io.err(`${values.ledger}: ${typeof m === "string" ? m : b}\n`);
      return 1;
    }
    ledgerMovements = m;
    if (split && v.balances !== undefined) ledgerBalances = b as Record<string, number>;
  }

  const settings = values.vendor
    ? mappings.mappings.settings.find((s) => s.vendorCode === values.vendor)
    : mappings.mappings.settings[0];
  const settlements: Settlement[] = [];
  let bad = false;
  for (const file of files) {
    const bytes = await read(file);
    if (!bytes) {
      bad = true;
      continue;
    }
    const name = file.split(/[\\/]/).pop() ?? file;
    const remittance = ingest(
      { kind: "bytes", fileName: name, bytes },
      {
        ...(dateOrder ? { dateOrder } : {}),
        ...(settings?.marketplace ? { marketplace: settings.marketplace } : {}),
        knownInvoiceNumbers: org.org.invoices.map((i) => i.number),
      },
    );
    const fatal = remittance.problems.filter((p) => p.severity === "error");
    if (fatal.length > 0) {
      for (const p of fatal) io.err(`${name}${p.row !== undefined ? ` row ${p.row}` : ""}: ${p.message}\n`);
      bad = true;
      continue;
    }
    try {
      const plan = planSettlement(remittance, mappings.mappings, org.org, {
        ...(values.vendor ? { vendorCode: values.vendor } : {}),
      });
      settlements.push({ remittance, plan });
    } catch (e) {
      if (e instanceof PlanError) {
        io.err(`${name}: ${e.message}\n`);
        bad = true;
        continue;
      }
      throw e;
    }
  }
  if (bad) return 1;

  const report = monthEndReport({
    period,
    organisation: {
      ...(org.org.name !== undefined ? { name: org.org.name } : {}),
      baseCurrency: org.org.baseCurrency,
    },
    mappings: mappings.mappings,
    settlements,
    basis: "planned",
    org: org.org,
    ...(ledgerMovements ? { ledgerMovements } : {}),
    ...(ledgerBalances ? { ledgerBalances } : {}),
  });
  io.out(
    values.json
      ? `${JSON.stringify(monthEndToJson(report), null, 2)}\n`
      : values.csv
        ? `${monthEndToCsv(report)}\r\n`
        : monthEndText(report),
  );
  return report.flags.length > 0 ? 1 : 0;
}

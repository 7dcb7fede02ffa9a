import { parseArgs } from "node:util";
import { formatMoneyHuman } from "../../domain/money";
import { ingest } from "../../domain/remittance/ingest";
import { remittanceToJson } from "../../domain/remittance/json";
import type { LineKind, Remittance } from "../../domain/remittance/model";
import { type CliIo, localeOrSay, readOrSay } from "../io";

export const PARSE_USAGE = `Usage: vcx parse <file> [--locale us|eu] [--marketplace US|UK|DE|…] [--currency USD]
                 [--deposit PAYMENT=AMOUNT …] [--json]

Reads a Vendor Central remittance export (XLSX or CSV) or an EDI X12 820 and prints the payments, their
classified lines and the checks. Exit code 0 when the file was read (warnings allowed), 1 when it has
errors, 2 on wrong usage.`;

export async function parseCommand(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n\n${PARSE_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    io.err(`${PARSE_USAGE}\n`);
    return 2;
  }
  const dateOrder = localeOrSay(io, values.locale);
  if (dateOrder === false) return 2;
  const deposits: Record<string, string> = {};
  for (const d of values.deposit ?? []) {
    const [k, v] = d.split("=");
    if (!k || !v) {
      io.err(`--deposit takes PAYMENT=AMOUNT, e.g. --deposit 40311877=12770.00 (got '${d}')\n`);
      return 2;
    }
    deposits[k] = v;
  }
  const bytes = await readOrSay(io, file);
  if (!bytes) return 1;
  const name = file.split(/[\\/]/).pop() ?? file;
  const r = ingest(
    { kind: "bytes", fileName: name, bytes },
    {
      ...(dateOrder ? { dateOrder } : {}),
      ...(values.marketplace ? { marketplace: values.marketplace } : {}),
      ...(values.currency ? { currency: values.currency } : {}),
      bankDeposits: deposits,
    },
  );
  io.out(values.json ? `${JSON.stringify(remittanceToJson(r), null, 2)}\n` : summary(r));
  return r.problems.some((p) => p.severity === "error") ? 1 : 0;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      locale: { type: "string" },
      marketplace: { type: "string" },
      currency: { type: "string" },
      deposit: { type: "string", multiple: true },
      json: { type: "boolean", default: false },
    },
  });
}

/** A readable report: problems, then per payment its lines by kind, totals and checks. */
export function summary(r: Remittance): string {
  const out: string[] = [];
  out.push(
    `${r.fileName}: ${r.format}${r.dateOrder ? `, dates ${r.dateOrder === "MDY" ? "MM/DD/YYYY" : "DD/MM/YYYY"}` : ""}`,
  );
  for (const p of r.problems) {
    const where = [p.sheet ? `sheet ${p.sheet}` : "", p.row ? `row ${p.row}` : "", p.column ?? ""]
      .filter(Boolean)
      .join(", ");
    out.push(`  ${p.severity.toUpperCase()}${where ? ` (${where})` : ""}: ${p.message}`);
  }
  for (const p of r.payments) {
    const m = (n: number) => formatMoneyHuman(n, p.currency);
    out.push("");
    out.push(
      `Payment ${p.paymentNumber}  ${p.paymentDate ?? "(no date)"}  ${p.currency} ${m(p.amount)}  ${p.lines.length} lines`,
    );
    const byKind = new Map<LineKind, { n: number; total: number }>();
    for (const l of p.lines) {
      const k = byKind.get(l.kind) ?? { n: 0, total: 0 };
      k.n++;
      k.total += l.amount;
      byKind.set(l.kind, k);
      for (const a of l.adjustments) {
        const ak = byKind.get(a.kind) ?? { n: 0, total: 0 };
        ak.n++;
        byKind.set(a.kind, ak);
      }
    }
    const rows = [...byKind].map(([kind, v]) => [kind, String(v.n), m(v.total)]);
    const w0 = Math.max(4, ...rows.map((r) => r[0]?.length ?? 0));
    const w2 = Math.max(6, ...rows.map((r) => r[2]?.length ?? 0), m(p.amount).length);
    out.push(`  ${"kind".padEnd(w0)}  lines  ${"amount".padStart(w2)}`);
    for (const [k, n, a] of rows)
      out.push(`  ${(k ?? "").padEnd(w0)}  ${(n ?? "").padStart(5)}  ${(a ?? "").padStart(w2)}`);
    out.push(
      `  ${"total".padEnd(w0)}  ${String(p.lines.length).padStart(5)}  ${m(p.lines.reduce((a, l) => a + l.amount, 0)).padStart(w2)}`,
    );
    for (const c of p.checks) {
      const mark = c.ok ? "ok  " : c.severity === "error" ? "FAIL" : "warn";
      out.push(`  [${mark}] ${c.name}: ${c.message}`);
    }
  }
  return `${out.join("\n")}\n`;
}

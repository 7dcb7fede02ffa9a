/**
 * Plan → text for people (CLI, logs) and → JSON with decimal-string amounts (the wire bodies are already
 * Xero-shaped and are passed through untouched).
 */
import { minorToDecimal } from "../money";
import type { Plan } from "./model";
import { showMoney } from "./wire";

export function planToJson(plan: Plan) {
  const dec = (n: number) => minorToDecimal(n, 2);
  return {
    ...plan,
    payments: plan.payments.map((p) => ({
      ...p,
      gross: dec(p.gross),
      net: dec(p.net),
      held: dec(p.held),
      deductionsByKind: Object.fromEntries(Object.entries(p.deductionsByKind).map(([k, v]) => [k, dec(v)])),
    })),
    lines: plan.lines.map((l) => ({ ...l, amount: dec(l.amount) })),
  };
}

export function planSummaryText(plan: Plan): string {
  const out: string[] = [`Posting plan for vendor ${plan.vendorCode}`];
  for (const p of plan.payments) {
    const money = (n: number) => `${p.currency} ${showMoney(n)}`.padStart(20);
    out.push("");
    out.push(
      `Payment ${p.paymentNumber}  ${p.date ?? "(no date)"}  design ${p.design}${p.planned ? "" : "  — NOT PLANNED"}`,
    );
    if (p.dateNote) out.push(`  ${p.dateNote}`);
    if (p.planned) {
      out.push(`  ${"gross invoices".padEnd(26)}${money(p.gross)}`);
      for (const [kind, amount] of Object.entries(p.deductionsByKind))
        out.push(`  ${kind.padEnd(26)}${money(amount)}`);
      out.push(`  ${"net (payment)".padEnd(26)}${money(p.net)}`);
      if (p.held !== 0) out.push(`  ${"held in suspense".padEnd(26)}${money(p.held)}`);
    }
    const docs = plan.documents.filter((d) => d.paymentNumber === p.paymentNumber);
    for (const [i, d] of docs.entries())
      out.push(`  ${String(i + 1).padStart(2)}. ${d.type.padEnd(16)} ${d.description}  [${d.key}]`);
    const posted = plan.alreadyPosted.filter((k) => p.documentKeys.includes(k));
    if (posted.length > 0) out.push(`  (${posted.length} document(s) already posted, skipped)`);
    for (const e of plan.exceptions.filter((x) => x.paymentNumber === p.paymentNumber)) {
      const where =
        e.row !== undefined ? ` row ${e.row}${e.documentNumber ? ` ${e.documentNumber}` : ""}` : "";
      out.push(`  ${e.severity === "blocking" ? "BLOCKING" : "warning "} ${e.code}${where}: ${e.reason}`);
      out.push(`           fix: ${e.fix}`);
    }
  }
  out.push("");
  for (const c of plan.checks) out.push(`[${c.ok ? "ok  " : "FAIL"}] ${c.name}: ${c.message}`);
  return `${out.join("\n")}\n`;
}

/**
 * Checks recomputed from the wire documents themselves (not from the planner's bookkeeping), so a planner
 * bug shows up as a failed check: journals balance, clearing nets to zero and to the deposit, nothing is
 * dated into a locked period, nothing pays above amount due, keys are unique, short and well ordered.
 */
import { decimalToMinor } from "../money";
import { effectiveLockDate } from "../org/lock-dates";
import type { OrgSnapshot } from "../org/model";
import { convertAtRate } from "./amounts";
import { MAX_KEY_LENGTH } from "./keys";
import type { PlanCheck, PlannedDocument } from "./model";

/** A wire amount (JSON number with ≤ 2 decimals) → exact minor units. */
export function wireMinor(n: number): number {
  const m = decimalToMinor(String(n), 2);
  if (m === undefined) throw new Error(`wire amount ${n} is not a 2 dp decimal`);
  return m;
}

function baseOf(doc: PlannedDocument, n: number): number {
  const m = wireMinor(n);
  return doc.exchange ? convertAtRate(m, doc.exchange.rate) : m;
}

/** Signed movements (debit +) on the clearing account, per document, in base currency. */
export function clearingMovements(
  docs: readonly PlannedDocument[],
  clearing: string,
): { doc: PlannedDocument; amount: number }[] {
  const out: { doc: PlannedDocument; amount: number }[] = [];
  for (const doc of docs) {
    let amount = 0;
    switch (doc.type) {
      case "Payment":
        if (doc.body.Account.Code === clearing) amount = baseOf(doc, doc.body.Amount);
        break;
      case "RefundPayment":
        if (doc.body.Account.Code === clearing) amount = -baseOf(doc, doc.body.Amount);
        break;
      case "ManualJournal":
        for (const l of doc.body.JournalLines)
          if (l.AccountCode === clearing) amount += wireMinor(l.LineAmount);
        break;
      case "BankTransaction": {
        const sign = doc.body.Type === "RECEIVE" ? -1 : 1;
        for (const l of doc.body.LineItems)
          if (l.AccountCode === clearing) amount += sign * wireMinor(l.LineAmount);
        break;
      }
      default:
        break;
    }
    if (amount !== 0) out.push({ doc, amount });
  }
  return out;
}

function documentDates(doc: PlannedDocument): string[] {
  return [doc.body.Date];
}

export interface CheckContext {
  org: OrgSnapshot;
  clearingAccount: string;
  /** Deposit per planned payment, base-currency minor units. */
  netByPayment: ReadonlyMap<string, number>;
  alreadyPosted: ReadonlySet<string>;
}

export function planChecks(docs: readonly PlannedDocument[], ctx: CheckContext): PlanCheck[] {
  const checks: PlanCheck[] = [];
  const check = (name: PlanCheck["name"], failures: string[], okMessage: string) =>
    checks.push({
      name,
      ok: failures.length === 0,
      message: failures.length === 0 ? okMessage : failures.slice(0, 20).join("; "),
    });

  const unbalanced: string[] = [];
  for (const d of docs) {
    if (d.type !== "ManualJournal") continue;
    const total = d.body.JournalLines.reduce((s, l) => s + wireMinor(l.LineAmount), 0);
    if (total !== 0 || d.body.JournalLines.length < 2)
      unbalanced.push(`${d.key} is off by ${total} minor units`);
  }
  check("journals_balance", unbalanced, "every manual journal balances to the cent");

  const notNet: string[] = [];
  const notZero: string[] = [];
  // Group once: filtering all documents per payment is quadratic on a 100k-line remittance.
  const byPayment = new Map<string, PlannedDocument[]>();
  for (const d of docs) {
    const list = byPayment.get(d.paymentNumber);
    if (list) list.push(d);
    else byPayment.set(d.paymentNumber, [d]);
  }
  for (const [paymentNumber, net] of ctx.netByPayment) {
    const own = byPayment.get(paymentNumber) ?? [];
    const moves = clearingMovements(own, ctx.clearingAccount);
    const beforeBank = moves
      .filter((m) => m.doc.type !== "BankTransaction")
      .reduce((s, m) => s + m.amount, 0);
    const bank = moves.filter((m) => m.doc.type === "BankTransaction").reduce((s, m) => s + m.amount, 0);
    if (beforeBank !== net)
      notNet.push(`payment ${paymentNumber}: clearing receives ${beforeBank}, deposit is ${net}`);
    // Without a bank transaction the user codes the deposit to clearing, which moves -net.
    const hasBank = own.some((d) => d.type === "BankTransaction");
    const final = beforeBank + (hasBank ? bank : -net);
    if (final !== 0) notZero.push(`payment ${paymentNumber}: clearing ends at ${final}`);
  }
  check("net_equals_payment", notNet, "per payment, what passes through clearing equals the payment amount");
  check("clearing_nets_to_zero", notZero, "per payment, clearing is back to zero after the deposit");

  const lock = effectiveLockDate(ctx.org);
  const locked =
    lock === undefined
      ? []
      : docs
          .filter((d) => documentDates(d).some((x) => x <= lock))
          .map((d) => `${d.key} dated on or before ${lock}`);
  check(
    "no_locked_dates",
    locked,
    lock ? `nothing dated on or before the lock date ${lock}` : "no lock date set",
  );

  const invoices = new Map(ctx.org.invoices.map((i) => [i.number, i]));
  const invoicesById = new Map(ctx.org.invoices.filter((i) => i.id !== undefined).map((i) => [i.id, i]));
  const applied = new Map<string, number>();
  const overpaid: string[] = [];
  for (const d of docs) {
    if (d.type !== "Payment" && d.type !== "Allocation") continue;
    const ref = d.body.Invoice;
    const inv =
      ref?.InvoiceID !== undefined
        ? invoicesById.get(ref.InvoiceID)
        : ref?.InvoiceNumber !== undefined
          ? invoices.get(ref.InvoiceNumber)
          : undefined;
    if (!inv) {
      overpaid.push(`${d.key} refers to an invoice not in the snapshot`);
      continue;
    }
    if (inv.status !== "AUTHORISED")
      overpaid.push(`${d.key} applies to ${inv.number} which is ${inv.status}`);
    const total = (applied.get(inv.number) ?? 0) + wireMinor(d.body.Amount);
    applied.set(inv.number, total);
    if (total > inv.amountDue) overpaid.push(`${inv.number}: ${total} applied, ${inv.amountDue} due`);
  }
  check(
    "payments_within_amount_due",
    overpaid,
    "payments and allocations stay within each invoice's amount due",
  );

  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const d of docs) {
    if (seen.has(d.key)) dupes.push(d.key);
    seen.add(d.key);
  }
  check("keys_unique", dupes, "every document key is unique");
  check(
    "keys_within_limit",
    docs.filter((d) => d.key.length > MAX_KEY_LENGTH).map((d) => d.key),
    `every key is at most ${MAX_KEY_LENGTH} characters`,
  );

  const sent = new Set(ctx.alreadyPosted);
  const misordered: string[] = [];
  for (const d of docs) {
    for (const dep of d.dependsOn) if (!sent.has(dep)) misordered.push(`${d.key} needs ${dep} first`);
    sent.add(d.key);
  }
  check("send_order", misordered, "every document comes after the documents it depends on");
  return checks;
}

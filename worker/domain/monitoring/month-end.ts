/**
 * The month-end control report for one organisation and period, from plain inputs: the remittances with
 * their settlement plans (and what of them was posted), invoices raised from purchase orders, the org
 * snapshot and the ledger's own figures (trial balance movements). Every account figure VCX derives from
 * its documents is tied to the ledger figure given, and any difference is flagged.
 *
 * Figures are recomputed from the planned wire documents (not from the planner's bookkeeping), in the base
 * currency, debit positive — the same way a trial balance shows movements.
 */
import { type Mappings, type Settings, settingsFor } from "../mapping/model";
import { minorToDecimal } from "../money";
import type { OrgSnapshot } from "../org/model";
import { convertAtRate } from "../plan/amounts";
import { wireMinor } from "../plan/checks";
import type { Plan, PlanException, PlannedDocument } from "../plan/model";
import { type LineKind, REVERSES, type Remittance } from "../remittance/model";
import type { Alert } from "./alerts";
import { toCsv } from "./csv";
import { daysBetween } from "./disputes";
import { linkHistory, type PoInvoiceRef } from "./history";

export interface Settlement {
  remittance: Remittance;
  /** The full plan (made without `alreadyPosted`, so `documents` lists every document). */
  plan: Plan;
  /** Document keys Xero accepted (the posting engine's record). */
  postedKeys?: readonly string[];
}

export interface MonthEndInput {
  /** YYYY-MM. */
  period: string;
  organisation: { id?: string; name?: string; baseCurrency: string };
  mappings: Mappings;
  settlements: readonly Settlement[];
  /**
   * `posted`: count only documents in `postedKeys` (what the ledger should show now). `planned`: count
   * every planned document (what it will show once posted; the offline CLI). Default: `posted` when any
   * settlement has `postedKeys`, else `planned`.
   */
  basis?: "posted" | "planned";
  /** Invoices raised from purchase orders (with dates and totals). */
  poInvoices?: readonly PoInvoiceRef[];
  /** For open receivables, account names and the receivables account. */
  org?: OrgSnapshot;
  /** True when the snapshot was read after the period's documents were posted (default false). */
  snapshotIncludesPostings?: boolean;
  /** Trial balance movements for the period by account code: base-currency minor units, debit positive. */
  ledgerMovements?: Readonly<Record<string, number>>;
  /** Account balances at period end (for provisions outstanding and clearing), same units. */
  ledgerBalances?: Readonly<Record<string, number>>;
  /** Every remittance ever received (for provisions outstanding); default the settlements' remittances. */
  history?: readonly Remittance[];
  /** Open monitoring alerts to list with the exceptions. */
  alerts?: readonly Alert[];
}

export type TieStatus = "ok" | "difference" | "no_ledger_figure";

export interface Tie {
  figure: string;
  accountCode: string;
  accountName?: string;
  /** VCX's figure, base-currency minor units. */
  vcx: number;
  ledger?: number;
  /** ledger − vcx. */
  difference?: number;
  status: TieStatus;
}

export interface DeductionFigure {
  /** The deduction kind, with reversals netted into the kind they reverse. */
  kind: string;
  accountCode: string;
  currency: string;
  /** Amounts Amazon took (positive). */
  charged: number;
  /** Amounts Amazon paid back through reversals (positive). */
  reversed: number;
  /** charged − reversed. */
  net: number;
  lines: number;
  /** Part of it held in suspense (blocking exceptions or a `hold` mapping). */
  held: number;
}

export interface RemittanceFigure {
  paymentNumber: string;
  paymentDate: string | null;
  /** Date the documents carry (first open day when the payment date was locked). */
  documentDate: string | null;
  currency: string;
  amount: number;
  gross: number;
  status: "posted" | "partly_posted" | "not_posted" | "not_planned";
  documents: number;
  posted: number;
  held: number;
}

export interface CreditNoteFigure {
  key: string;
  date: string;
  reference: string;
  accountCodes: string[];
  currency: string;
  amount: number;
  /** What happened to the credit: allocated to an invoice still open, or refunded through clearing. */
  settledBy: "allocation" | "refund" | "none";
  posted: boolean;
}

export interface ProvisionFigure {
  documentNumber: string;
  paymentNumber: string;
  paymentDate: string | null;
  currency: string;
  /** Still held by Amazon (positive). */
  outstanding: number;
  ageDays?: number;
}

export const AGE_BUCKETS = ["0-30", "31-60", "61-90", "91+"] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export function ageBucket(days: number): AgeBucket {
  return days <= 30 ? "0-30" : days <= 60 ? "31-60" : days <= 90 ? "61-90" : "91+";
}

export interface ReceivableFigure {
  invoiceNumber: string;
  date: string;
  currency: string;
  amountDue: number;
  ageDays: number;
  bucket: AgeBucket;
}

export interface ExceptionFigure {
  source: "plan" | "alert";
  code: string;
  severity: string;
  paymentNumber?: string;
  documentNumber?: string;
  reason: string;
  fix: string;
  ageDays?: number;
  bucket?: AgeBucket;
}

export interface MonthEndReport {
  period: string;
  from: string;
  to: string;
  organisation: { id?: string; name?: string; baseCurrency: string };
  basis: "posted" | "planned";
  poInvoices: {
    count: number;
    totalsByCurrency: Record<string, number>;
    invoices: {
      invoiceNumber: string;
      purchaseOrderNumber: string;
      date: string;
      currency: string;
      total: number;
    }[];
  };
  remittances: {
    received: number;
    posted: number;
    totalsByCurrency: Record<string, number>;
    list: RemittanceFigure[];
  };
  deductions: DeductionFigure[];
  creditNotes: CreditNoteFigure[];
  provisions: { outstanding: number; currency: string; list: ProvisionFigure[] }[];
  clearing: { accountCode: string; movement: number; balance?: number; zero: boolean };
  /** Every account VCX's documents moved in the period (base currency, debit positive). */
  accountMovements: Record<string, number>;
  receivables: {
    total: number;
    byBucket: Record<AgeBucket, number>;
    list: ReceivableFigure[];
  };
  exceptions: {
    total: number;
    byCode: Record<string, number>;
    byBucket: Record<AgeBucket, number>;
    list: ExceptionFigure[];
  };
  ties: Tie[];
  /** Plain sentences for everything that needs a look: differences, clearing not zero, unposted, blocking. */
  flags: string[];
}

/** First and last day of a YYYY-MM period. */
export function periodBounds(period: string): { from: string; to: string } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (!m) throw new Error(`period '${period}' is not YYYY-MM`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return { from: `${period}-01`, to: `${period}-${String(last).padStart(2, "0")}` };
}

function documentDate(d: PlannedDocument): string {
  return d.body.Date;
}

const toBase = (d: PlannedDocument, wire: number) => {
  const m = wireMinor(wire);
  return d.exchange ? convertAtRate(m, d.exchange.rate) : m;
};

/** Signed ledger movements (debit +, base currency) a document makes; `ar` names the receivables account. */
export function documentMovements(d: PlannedDocument, ar: string): [string, number][] {
  switch (d.type) {
    case "CreditNote": {
      const lines = d.body.LineItems.map((l): [string, number] => [l.AccountCode, toBase(d, l.LineAmount)]);
      return [...lines, [ar, -lines.reduce((s, [, a]) => s + a, 0)]];
    }
    case "Allocation":
      return [];
    case "Payment":
      return [
        [d.body.Account.Code, toBase(d, d.body.Amount)],
        [ar, -toBase(d, d.body.Amount)],
      ];
    case "RefundPayment":
      return [
        [d.body.Account.Code, -toBase(d, d.body.Amount)],
        [ar, toBase(d, d.body.Amount)],
      ];
    case "ManualJournal":
      return d.body.JournalLines.map((l) => [l.AccountCode, wireMinor(l.LineAmount)]);
    case "BankTransaction": {
      const sign = d.body.Type === "RECEIVE" ? 1 : -1;
      const lines = d.body.LineItems.map((l): [string, number] => [
        l.AccountCode,
        -sign * wireMinor(l.LineAmount),
      ]);
      return [...lines, [d.body.BankAccount.Code, -lines.reduce((s, [, a]) => s + a, 0)]];
    }
  }
}

const add = (m: Record<string, number>, k: string, v: number) => {
  m[k] = (m[k] ?? 0) + v;
};

function netKind(kind: LineKind): { kind: LineKind; reversal: boolean } {
  const reversed = REVERSES[kind];
  return reversed?.[0] ? { kind: reversed[0], reversal: true } : { kind, reversal: false };
}

function emptyBuckets(): Record<AgeBucket, number> {
  return { "0-30": 0, "31-60": 0, "61-90": 0, "91+": 0 };
}

export function monthEndReport(input: MonthEndInput): MonthEndReport {
  const { from, to } = periodBounds(input.period);
  const inPeriod = (date: string | null | undefined) => date != null && date >= from && date <= to;
  const basis =
    input.basis ?? (input.settlements.some((s) => s.postedKeys !== undefined) ? "posted" : "planned");
  const arCode =
    input.org?.accounts.find((a) => a.systemAccount === "DEBTORS")?.code ?? "Accounts Receivable";
  const names = new Map((input.org?.accounts ?? []).map((a) => [a.code, a.name]));
  const flags: string[] = [];

  const movements: Record<string, number> = {};
  const deductions = new Map<string, DeductionFigure>();
  const remittances: RemittanceFigure[] = [];
  const creditNotes: CreditNoteFigure[] = [];
  const exceptions: ExceptionFigure[] = [];
  const clearingCodes = new Set<string>();
  const settledOnInvoice = new Map<string, number>();

  // A payment given twice (the same remittance uploaded again) counts once.
  const seenPayments = new Set<string>();
  for (const s of input.settlements) {
    const settings: Settings | undefined = settingsFor(input.mappings, s.plan.vendorCode);
    if (settings) clearingCodes.add(settings.clearingAccount);
    const posted = new Set(s.postedKeys ?? []);
    const counts = (d: PlannedDocument) => basis === "planned" || posted.has(d.key);
    const repeated = new Set<string>();
    for (const p of s.plan.payments) {
      const id = `${s.plan.vendorCode}/${p.paymentNumber}`;
      if (seenPayments.has(id)) {
        repeated.add(p.paymentNumber);
        flags.push(`Payment ${p.paymentNumber} is in more than one remittance given; counted once`);
      }
      seenPayments.add(id);
    }

    for (const d of s.plan.documents) {
      if (repeated.has(d.paymentNumber) || !inPeriod(documentDate(d)) || !counts(d)) continue;
      for (const [code, amount] of documentMovements(d, arCode)) add(movements, code, amount);
      if (!input.snapshotIncludesPostings) {
        // In the invoice's own currency, as Xero's AmountDue is.
        const settled =
          d.type === "Payment" || d.type === "Allocation"
            ? { ref: d.body.Invoice, amount: wireMinor(d.body.Amount) }
            : undefined;
        const id = settled?.ref?.InvoiceID ?? settled?.ref?.InvoiceNumber;
        if (settled && id !== undefined)
          settledOnInvoice.set(id, (settledOnInvoice.get(id) ?? 0) + settled.amount);
      }
      if (d.type === "CreditNote") {
        const allocated = s.plan.documents.some((x) => x.type === "Allocation" && x.creditNoteKey === d.key);
        const refunded = s.plan.documents.some(
          (x) => x.type === "RefundPayment" && x.creditNoteKey === d.key,
        );
        creditNotes.push({
          key: d.key,
          date: d.body.Date,
          reference: d.body.Reference,
          accountCodes: [...new Set(d.body.LineItems.map((l) => l.AccountCode))],
          currency: d.body.CurrencyCode,
          amount: d.body.LineItems.reduce((t, l) => t + wireMinor(l.LineAmount), 0),
          settledBy: allocated ? "allocation" : refunded ? "refund" : "none",
          posted: posted.has(d.key),
        });
      }
    }

    for (const p of s.plan.payments) {
      if (repeated.has(p.paymentNumber)) continue;
      const payment = s.remittance.payments.find((x) => x.paymentNumber === p.paymentNumber);
      const paymentDate = payment?.paymentDate ?? null;
      const when = p.date ?? paymentDate;
      if (!inPeriod(when)) continue;
      const keys = p.documentKeys.length > 0 ? p.documentKeys : [];
      const postedCount = keys.filter((k) => posted.has(k)).length;
      remittances.push({
        paymentNumber: p.paymentNumber,
        paymentDate,
        documentDate: p.date,
        currency: p.currency,
        amount: payment?.amount ?? p.net,
        gross: p.gross,
        status: !p.planned
          ? "not_planned"
          : keys.length > 0 && postedCount === keys.length
            ? "posted"
            : postedCount > 0
              ? "partly_posted"
              : "not_posted",
        documents: keys.length,
        posted: postedCount,
        held: p.held,
      });
      // Deductions: line outcomes of this payment, reversals netted into the kind they reverse.
      for (const o of s.plan.lines.filter((l) => l.paymentNumber === p.paymentNumber)) {
        if (o.kind === "invoice_payment") continue;
        const { kind, reversal } = netKind(o.kind);
        const account = o.accountCode ?? "(none)";
        const key = `${kind}\u001f${account}\u001f${p.currency}`;
        const f = deductions.get(key) ?? {
          kind,
          accountCode: account,
          currency: p.currency,
          charged: 0,
          reversed: 0,
          net: 0,
          lines: 0,
          held: 0,
        };
        if (reversal) f.reversed += o.amount;
        else f.charged += -o.amount;
        f.net = f.charged - f.reversed;
        f.lines += 1;
        if (o.held) f.held += -o.amount;
        deductions.set(key, f);
      }
      // Terms discounts and withholding are deductions too (taken on invoice lines).
      for (const [kind, account] of [
        ["terms_discount", settings?.termsDiscountAccount],
        ["withholding", settings?.withholdingAccount],
      ] as const) {
        const amount = p.deductionsByKind[kind];
        if (amount === undefined || amount === 0) continue;
        const acc = account ?? "(none)";
        const key = `${kind}\u001f${acc}\u001f${p.currency}`;
        const f = deductions.get(key) ?? {
          kind,
          accountCode: acc,
          currency: p.currency,
          charged: 0,
          reversed: 0,
          net: 0,
          lines: 0,
          held: 0,
        };
        f.charged += -amount;
        f.net = f.charged - f.reversed;
        f.lines += 1;
        deductions.set(key, f);
      }
    }

    for (const e of s.plan.exceptions) {
      if (repeated.has(e.paymentNumber)) continue;
      const payment = s.remittance.payments.find((x) => x.paymentNumber === e.paymentNumber);
      const date = payment?.paymentDate ?? undefined;
      if (date !== undefined && date > to) continue;
      exceptions.push(exceptionFigure(e, date, to));
    }
  }

  for (const a of input.alerts ?? []) {
    exceptions.push({
      source: "alert",
      code: a.kind,
      severity: a.severity,
      reason: a.message,
      fix: a.action,
    });
  }

  // Invoices raised from purchase orders in the period.
  const poList = (input.poInvoices ?? [])
    .filter((p) => inPeriod(p.date) && p.total !== undefined)
    .map((p) => ({
      invoiceNumber: p.invoiceNumber,
      purchaseOrderNumber: p.purchaseOrderNumber,
      date: p.date ?? "",
      currency: p.currency ?? input.organisation.baseCurrency,
      total: p.total ?? 0,
    }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.invoiceNumber.localeCompare(b.invoiceNumber));
  const poTotals: Record<string, number> = {};
  for (const p of poList) add(poTotals, p.currency, p.total);

  // Provisions still held at period end, from the whole history.
  const history = linkHistory(input.history ?? input.settlements.map((s) => s.remittance));
  const provisionsByCurrency = new Map<string, ProvisionFigure[]>();
  for (const l of history.lines) {
    if (l.line.kind !== "provision" || l.netAmount === 0) continue;
    if (l.line.paymentDate !== null && l.line.paymentDate > to) continue;
    // Reversals received after the period end do not count against it.
    const reversedByEnd = l.reversedBy
      .map((id) => history.byId.get(id)?.line)
      .filter((r) => r !== undefined && r.paymentDate !== null && r.paymentDate <= to)
      .reduce((t, r) => t + (r?.amount ?? 0), 0);
    const outstanding = -(l.line.amount + reversedByEnd);
    if (outstanding === 0) continue;
    const list = provisionsByCurrency.get(l.line.currency) ?? [];
    list.push({
      documentNumber: l.line.documentNumber,
      paymentNumber: l.line.paymentNumber,
      paymentDate: l.line.paymentDate,
      currency: l.line.currency,
      outstanding,
      ...(l.line.paymentDate !== null ? { ageDays: daysBetween(l.line.paymentDate, to) } : {}),
    });
    provisionsByCurrency.set(l.line.currency, list);
  }
  // Provisions whose reversal came after the period are outstanding at period end too.
  for (const l of history.lines) {
    if (l.line.kind !== "provision" || l.netAmount !== 0) continue;
    if (l.line.paymentDate === null || l.line.paymentDate > to) continue;
    const reversedByEnd = l.reversedBy
      .map((id) => history.byId.get(id)?.line)
      .some((r) => r !== undefined && r.paymentDate !== null && r.paymentDate <= to);
    if (reversedByEnd) continue;
    const list = provisionsByCurrency.get(l.line.currency) ?? [];
    list.push({
      documentNumber: l.line.documentNumber,
      paymentNumber: l.line.paymentNumber,
      paymentDate: l.line.paymentDate,
      currency: l.line.currency,
      outstanding: -l.line.amount,
      ageDays: daysBetween(l.line.paymentDate, to),
    });
    provisionsByCurrency.set(l.line.currency, list);
  }
  const provisions = [...provisionsByCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, list]) => ({
      currency,
      outstanding: list.reduce((t, p) => t + p.outstanding, 0),
      list: list.sort((a, b) => a.documentNumber.localeCompare(b.documentNumber)),
    }));

  // Open Amazon receivables at period end, by age.
  const receivables: ReceivableFigure[] = [];
  const contacts = new Set(
    input.mappings.settings.flatMap((s) =>
      [s.amazonContact, s.amazonContactId].filter((x) => x !== undefined),
    ),
  );
  for (const inv of input.org?.invoices ?? []) {
    if (inv.type !== "ACCREC" || inv.status !== "AUTHORISED" || inv.date > to) continue;
    if (inv.contact && !contacts.has(inv.contact.name) && !contacts.has(inv.contact.contactId ?? ""))
      continue;
    const settled = (settledOnInvoice.get(inv.id ?? "") ?? 0) + (settledOnInvoice.get(inv.number) ?? 0);
    const due = inv.amountDue - settled;
    if (due <= 0) continue;
    const ageDays = daysBetween(inv.date, to);
    receivables.push({
      invoiceNumber: inv.number,
      date: inv.date,
      currency: inv.currency,
      amountDue: due,
      ageDays,
      bucket: ageBucket(ageDays),
    });
  }
  receivables.sort((a, b) => a.date.localeCompare(b.date) || a.invoiceNumber.localeCompare(b.invoiceNumber));
  const receivableBuckets = emptyBuckets();
  for (const r of receivables) receivableBuckets[r.bucket] += r.amountDue;

  // Clearing: the movement over the period must be zero (and so must the balance, when given).
  const clearingCode = [...clearingCodes][0] ?? input.mappings.settings[0]?.clearingAccount ?? "";
  const clearingMovement = [...clearingCodes].reduce((t, c) => t + (movements[c] ?? 0), 0);
  const clearingBalance = input.ledgerBalances?.[clearingCode];
  const clearing = {
    accountCode: clearingCode,
    movement: clearingMovement,
    ...(clearingBalance !== undefined ? { balance: clearingBalance } : {}),
    zero: clearingMovement === 0 && (clearingBalance ?? 0) === 0,
  };
  if (clearingMovement !== 0)
    flags.push(
      `Clearing account ${clearingCode} moved ${dec(clearingMovement)} in ${input.period}; after every remittance it should be back to zero`,
    );
  if (clearingBalance !== undefined && clearingBalance !== 0)
    flags.push(
      `Clearing account ${clearingCode} has a balance of ${dec(clearingBalance)} in the ledger at ${to}`,
    );

  // Ties: every account VCX moved, against the ledger's movement for the period.
  const ties: Tie[] = [];
  const figureName = (code: string) => {
    if (clearingCodes.has(code)) return "Clearing account movement";
    if (code === arCode) return "Accounts receivable movement";
    const used = input.mappings.settings.find(
      (s) => s.termsDiscountAccount === code || s.provisionsAccount === code || s.bankAccount === code,
    );
    if (used?.termsDiscountAccount === code) return "Terms discounts";
    if (used?.provisionsAccount === code) return "Provisions held by Amazon";
    if (used?.bankAccount === code) return "Amazon deposits";
    const kinds = [...deductions.values()].filter((f) => f.accountCode === code).map((f) => f.kind);
    return kinds.length > 0 ? `Deductions: ${[...new Set(kinds)].join(", ")}` : "Account movement";
  };
  const codes = new Set([...Object.keys(movements), ...clearingCodes]);
  for (const code of [...codes].sort()) {
    const vcx = movements[code] ?? 0;
    const ledger = input.ledgerMovements?.[code];
    const name = names.get(code);
    const tie: Tie = {
      figure: figureName(code),
      accountCode: code,
      ...(name !== undefined ? { accountName: name } : {}),
      vcx,
      status: ledger === undefined ? "no_ledger_figure" : ledger === vcx ? "ok" : "difference",
      ...(ledger !== undefined ? { ledger, difference: ledger - vcx } : {}),
    };
    ties.push(tie);
    if (tie.status === "difference")
      flags.push(
        `Account ${code}${name ? ` ${name}` : ""}: VCX posted ${dec(vcx)} in ${input.period} but the ledger shows ${dec(ledger ?? 0)} (difference ${dec((ledger ?? 0) - vcx)})`,
      );
  }
  for (const p of provisions) {
    const code =
      settingsFor(input.mappings)?.provisionsAccount ?? input.mappings.settings[0]?.provisionsAccount;
    const balance = code !== undefined ? input.ledgerBalances?.[code] : undefined;
    if (code === undefined) continue;
    const status: TieStatus =
      balance === undefined ? "no_ledger_figure" : balance === p.outstanding ? "ok" : "difference";
    ties.push({
      figure: `Provisions outstanding at ${to} (${p.currency})`,
      accountCode: code,
      ...(names.get(code) !== undefined ? { accountName: names.get(code) } : {}),
      vcx: p.outstanding,
      status,
      ...(balance !== undefined ? { ledger: balance, difference: balance - p.outstanding } : {}),
    });
    if (status === "difference")
      flags.push(
        `Provisions: Amazon still holds ${dec(p.outstanding)} per the remittances but account ${code} shows ${dec(balance ?? 0)}`,
      );
  }

  const notPosted = remittances.filter((r) => r.status !== "posted");
  if (basis === "posted" && notPosted.length > 0)
    flags.push(
      `${notPosted.length} remittance(s) of ${input.period} not fully posted: ${notPosted.map((r) => r.paymentNumber).join(", ")}`,
    );
  const blocking = exceptions.filter((e) => e.severity === "blocking" || e.severity === "critical");
  if (blocking.length > 0) flags.push(`${blocking.length} blocking exception(s) or critical alert(s) open`);

  const remittanceTotals: Record<string, number> = {};
  for (const r of remittances) add(remittanceTotals, r.currency, r.amount);
  const byCode: Record<string, number> = {};
  const exceptionBuckets = emptyBuckets();
  for (const e of exceptions) {
    add(byCode, e.code, 1);
    if (e.bucket) exceptionBuckets[e.bucket] += 1;
  }

  return {
    period: input.period,
    from,
    to,
    organisation: input.organisation,
    basis,
    poInvoices: { count: poList.length, totalsByCurrency: poTotals, invoices: poList },
    remittances: {
      received: remittances.length,
      posted: remittances.filter((r) => r.status === "posted").length,
      totalsByCurrency: remittanceTotals,
      list: remittances.sort(
        (a, b) =>
          (a.paymentDate ?? "").localeCompare(b.paymentDate ?? "") ||
          a.paymentNumber.localeCompare(b.paymentNumber),
      ),
    },
    deductions: [...deductions.values()].sort(
      (a, b) =>
        a.kind.localeCompare(b.kind) ||
        a.accountCode.localeCompare(b.accountCode) ||
        a.currency.localeCompare(b.currency),
    ),
    creditNotes: creditNotes.sort((a, b) => a.date.localeCompare(b.date) || a.key.localeCompare(b.key)),
    provisions,
    clearing,
    accountMovements: Object.fromEntries(Object.entries(movements).sort(([a], [b]) => a.localeCompare(b))),
    receivables: {
      total: receivables.reduce((t, r) => t + r.amountDue, 0),
      byBucket: receivableBuckets,
      list: receivables,
    },
    exceptions: { total: exceptions.length, byCode, byBucket: exceptionBuckets, list: exceptions },
    ties,
    flags,
  };
}

function exceptionFigure(e: PlanException, date: string | undefined, to: string): ExceptionFigure {
  const ageDays = date !== undefined ? Math.max(0, daysBetween(date, to)) : undefined;
  return {
    source: "plan",
    code: e.code,
    severity: e.severity,
    paymentNumber: e.paymentNumber,
    ...(e.documentNumber !== undefined ? { documentNumber: e.documentNumber } : {}),
    reason: e.reason,
    fix: e.fix,
    ...(ageDays !== undefined ? { ageDays, bucket: ageBucket(ageDays) } : {}),
  };
}

/** Xero amounts: 2 dp. */
const dec = (minor: number) => minorToDecimal(minor, 2);

/** The report with every amount as a decimal string (2 dp, as in Xero). */
export function monthEndToJson(r: MonthEndReport) {
  const decMap = (m: Record<string, number>) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, dec(v)]));
  return {
    ...r,
    poInvoices: {
      ...r.poInvoices,
      totalsByCurrency: decMap(r.poInvoices.totalsByCurrency),
      invoices: r.poInvoices.invoices.map((i) => ({ ...i, total: dec(i.total) })),
    },
    remittances: {
      ...r.remittances,
      totalsByCurrency: decMap(r.remittances.totalsByCurrency),
      list: r.remittances.list.map((x) => ({
        ...x,
        amount: dec(x.amount),
        gross: dec(x.gross),
        held: dec(x.held),
      })),
    },
    deductions: r.deductions.map((d) => ({
      ...d,
      charged: dec(d.charged),
      reversed: dec(d.reversed),
      net: dec(d.net),
      held: dec(d.held),
    })),
    creditNotes: r.creditNotes.map((c) => ({ ...c, amount: dec(c.amount) })),
    provisions: r.provisions.map((p) => ({
      ...p,
      outstanding: dec(p.outstanding),
      list: p.list.map((x) => ({ ...x, outstanding: dec(x.outstanding) })),
    })),
    clearing: {
      ...r.clearing,
      movement: dec(r.clearing.movement),
      ...(r.clearing.balance !== undefined ? { balance: dec(r.clearing.balance) } : {}),
    },
    accountMovements: decMap(r.accountMovements),
    receivables: {
      total: dec(r.receivables.total),
      byBucket: decMap(r.receivables.byBucket),
      list: r.receivables.list.map((x) => ({ ...x, amountDue: dec(x.amountDue) })),
    },
    ties: r.ties.map((t) => ({
      ...t,
      vcx: dec(t.vcx),
      ...(t.ledger !== undefined ? { ledger: dec(t.ledger) } : {}),
      ...(t.difference !== undefined ? { difference: dec(t.difference) } : {}),
    })),
  };
}

export const MONTH_END_CSV_COLUMNS = [
  "Section",
  "Item",
  "Account",
  "Kind",
  "Date",
  "Currency",
  "Amount",
  "Ledger",
  "Difference",
  "Status",
  "Detail",
] as const;

/** One CSV, one row per figure, a Section column to filter on (papaparse). */
export function monthEndToCsv(r: MonthEndReport): string {
  const rows: (string | number)[][] = [];
  const row = (
    section: string,
    item: string,
    o: {
      account?: string;
      kind?: string;
      date?: string | null;
      currency?: string;
      amount?: number;
      ledger?: number;
      difference?: number;
      status?: string;
      detail?: string;
    } = {},
  ) =>
    rows.push([
      section,
      item,
      o.account ?? "",
      o.kind ?? "",
      o.date ?? "",
      o.currency ?? "",
      o.amount !== undefined ? dec(o.amount) : "",
      o.ledger !== undefined ? dec(o.ledger) : "",
      o.difference !== undefined ? dec(o.difference) : "",
      o.status ?? "",
      o.detail ?? "",
    ]);
  const base = r.organisation.baseCurrency;
  row("Report", `Month-end control ${r.period}`, {
    date: r.to,
    currency: base,
    status: r.flags.length === 0 ? "ok" : "review",
    detail: `${r.organisation.name ?? r.organisation.id ?? ""}; basis ${r.basis}`.trim(),
  });
  for (const p of r.poInvoices.invoices)
    row("PO invoices", p.invoiceNumber, {
      date: p.date,
      currency: p.currency,
      amount: p.total,
      detail: `PO ${p.purchaseOrderNumber}`,
    });
  for (const [cur, total] of Object.entries(r.poInvoices.totalsByCurrency))
    row("PO invoices", "Total", { currency: cur, amount: total, detail: `${r.poInvoices.count} invoice(s)` });
  for (const x of r.remittances.list)
    row("Remittances", x.paymentNumber, {
      date: x.paymentDate,
      currency: x.currency,
      amount: x.amount,
      status: x.status,
      detail: `${x.posted}/${x.documents} documents posted; gross ${dec(x.gross)}${x.held ? `; held ${dec(x.held)}` : ""}`,
    });
  for (const d of r.deductions)
    row("Deductions", d.kind, {
      account: d.accountCode,
      kind: d.kind,
      currency: d.currency,
      amount: d.net,
      detail: `charged ${dec(d.charged)}; reversed ${dec(d.reversed)}; ${d.lines} line(s)${d.held ? `; held ${dec(d.held)}` : ""}`,
    });
  for (const c of r.creditNotes)
    row("Credit notes", c.key, {
      account: c.accountCodes.join(" "),
      date: c.date,
      currency: c.currency,
      amount: c.amount,
      status: c.posted ? "posted" : "planned",
      detail: `${c.reference}; settled by ${c.settledBy}`,
    });
  for (const p of r.provisions) {
    for (const x of p.list)
      row("Provisions outstanding", x.documentNumber, {
        date: x.paymentDate,
        currency: x.currency,
        amount: x.outstanding,
        detail: `payment ${x.paymentNumber}${x.ageDays !== undefined ? `; ${x.ageDays} days` : ""}`,
      });
    row("Provisions outstanding", "Total", { currency: p.currency, amount: p.outstanding });
  }
  row("Clearing", "Clearing account movement", {
    account: r.clearing.accountCode,
    currency: base,
    amount: r.clearing.movement,
    ...(r.clearing.balance !== undefined ? { ledger: r.clearing.balance } : {}),
    status: r.clearing.zero ? "ok" : "not zero",
  });
  for (const x of r.receivables.list)
    row("Receivables", x.invoiceNumber, {
      date: x.date,
      currency: x.currency,
      amount: x.amountDue,
      kind: x.bucket,
      detail: `${x.ageDays} days`,
    });
  for (const b of AGE_BUCKETS)
    row("Receivables", `Age ${b} days`, { kind: b, amount: r.receivables.byBucket[b] });
  for (const e of r.exceptions.list)
    row("Exceptions", e.code, {
      kind: e.severity,
      status: e.bucket ?? "",
      detail: `${e.paymentNumber ? `payment ${e.paymentNumber}; ` : ""}${e.documentNumber ? `${e.documentNumber}; ` : ""}${e.reason} — ${e.fix}`,
    });
  for (const t of r.ties)
    row("Ledger tie", t.figure, {
      account: t.accountCode,
      currency: base,
      amount: t.vcx,
      ...(t.ledger !== undefined ? { ledger: t.ledger } : {}),
      ...(t.difference !== undefined ? { difference: t.difference } : {}),
      status: t.status,
      detail: t.accountName ?? "",
    });
  for (const f of r.flags) row("Flags", f, { status: "review" });
  return toCsv(MONTH_END_CSV_COLUMNS, rows);
}

/** Short text for the terminal. */
export function monthEndText(r: MonthEndReport): string {
  const out: string[] = [
    `Month-end control report ${r.period} (${r.from} – ${r.to})${r.organisation.name ? ` — ${r.organisation.name}` : ""}`,
    `Basis: ${r.basis === "planned" ? "documents as planned (not yet checked against what was posted)" : "documents posted"}`,
    "",
    `Invoices raised from POs: ${r.poInvoices.count}${Object.entries(r.poInvoices.totalsByCurrency)
      .map(([c, t]) => `  ${c} ${dec(t)}`)
      .join("")}`,
    `Remittances received: ${r.remittances.received}, fully posted: ${r.remittances.posted}`,
  ];
  for (const x of r.remittances.list)
    out.push(
      `  ${x.paymentNumber.padEnd(14)} ${x.paymentDate ?? "(no date)"}  ${x.currency} ${dec(x.amount).padStart(14)}  ${x.status}`,
    );
  out.push("", "Deductions (net of reversals):");
  for (const d of r.deductions)
    out.push(`  ${d.kind.padEnd(24)} ${d.accountCode.padEnd(8)} ${d.currency} ${dec(d.net).padStart(14)}`);
  out.push("", `Credit notes issued: ${r.creditNotes.length}`);
  for (const c of r.creditNotes)
    out.push(`  ${c.date}  ${c.currency} ${dec(c.amount).padStart(12)}  ${c.reference}`);
  for (const p of r.provisions) out.push(`Provisions outstanding: ${p.currency} ${dec(p.outstanding)}`);
  out.push(
    `Clearing ${r.clearing.accountCode}: ${dec(r.clearing.movement)}${r.clearing.zero ? " (zero, as it should be)" : " — NOT ZERO"}`,
    `Open receivables: ${dec(r.receivables.total)} (${AGE_BUCKETS.map((b) => `${b}: ${dec(r.receivables.byBucket[b])}`).join(", ")})`,
    `Open exceptions: ${r.exceptions.total}${Object.entries(r.exceptions.byCode)
      .map(([c, n]) => ` ${c}×${n}`)
      .join("")}`,
    "",
    "Tie to the ledger:",
  );
  for (const t of r.ties)
    out.push(
      `  [${t.status === "ok" ? "ok  " : t.status === "difference" ? "DIFF" : " -- "}] ${t.accountCode.padEnd(8)} ${(t.accountName ?? t.figure).padEnd(36)} ${dec(t.vcx).padStart(14)}${t.ledger !== undefined ? `  ledger ${dec(t.ledger)}` : "  (no ledger figure given)"}`,
    );
  out.push("");
  if (r.flags.length === 0) out.push("Nothing to review.");
  for (const f of r.flags) out.push(`! ${f}`);
  return `${out.join("\n")}\n`;
}

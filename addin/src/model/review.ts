/**
 * The Review sheet from a parsed remittance and its posting plan: one row per remittance line, control
 * totals per payment and deductions by kind (the chart's data). Pure: the adapter writes what this returns.
 */
import { currencyScale, decimalToMinor, minorToDecimal } from "../../../worker/domain/money";
import { toRow } from "./grid";
import { DEDUCTIONS_BY_KIND_SHEET, REVIEW_SHEET, TOTALS_SHEET } from "./sheets";
import type {
  PlanDocumentJson,
  PlanJson,
  RemittanceJson,
  RemittanceLineJson,
  RemittancePaymentJson,
  Row,
} from "./types";

export interface PaymentTotals {
  paymentNumber: string;
  currency: string;
  /** Minor units of the currency. */
  gross: number;
  deductionsByKind: Record<string, number>;
  net: number;
  bankDeposit: number;
  /** gross + Σ deductions − net: zero when the remittance adds up. */
  difference: number;
  held: number;
}

export interface Review {
  rows: Row[];
  /** Document key(s) of each review row, to stamp posting results back. */
  keys: string[][];
  totals: PaymentTotals[];
  totalsRows: Row[];
  byKindRows: Row[];
  blocking: number;
  warnings: number;
}

const minor = (text: string | null | undefined, scale: number): number =>
  text ? (decimalToMinor(text, scale) ?? 0) : 0;

/** What the line was matched to in Xero: the invoice a payment or allocation settles. */
function matchedDocument(docs: readonly PlanDocumentJson[], line: RemittanceLineJson): string {
  for (const d of docs) {
    if (d.type === "Payment" || d.type === "Allocation") {
      const inv = d.body.Invoice;
      if (!inv) continue;
      const number =
        inv.InvoiceNumber ??
        (line.kind === "invoice_payment" ? line.documentNumber : line.originalDocumentNumber);
      return [number, inv.InvoiceID].filter(Boolean).join(" · ");
    }
  }
  return "";
}

function totalsFor(p: RemittancePaymentJson, plan: PlanJson | undefined): PaymentTotals {
  const scale = currencyScale(p.currency);
  const depositScale = currencyScale(p.exchange?.paymentCurrency ?? p.currency);
  const bankDeposit = p.bankDeposit
    ? minor(p.bankDeposit, depositScale)
    : p.exchange
      ? minor(p.exchange.paymentAmount, depositScale)
      : minor(p.amount, scale);
  const pp = plan?.payments.find((x) => x.paymentNumber === p.paymentNumber);
  let gross: number;
  let net: number;
  let held = 0;
  const byKind: Record<string, number> = {};
  if (pp?.planned) {
    gross = minor(pp.gross, 2);
    net = minor(pp.net, 2);
    held = minor(pp.held, 2);
    for (const [k, v] of Object.entries(pp.deductionsByKind)) byKind[k] = minor(v, 2);
  } else {
    gross = 0;
    for (const l of p.lines) {
      const a = minor(l.amount, scale);
      if (l.kind === "invoice_payment") gross += a;
      else byKind[l.kind] = (byKind[l.kind] ?? 0) + a;
    }
    net = minor(p.amount, scale);
  }
  const deductions = Object.values(byKind).reduce((a, b) => a + b, 0);
  return {
    paymentNumber: p.paymentNumber,
    currency: p.currency,
    gross,
    deductionsByKind: byKind,
    net,
    bankDeposit,
    difference: gross + deductions - net,
    held,
  };
}

const dec = (n: number, currency: string) => Number(minorToDecimal(n, currencyScale(currency)));

export function buildReview(remittance: RemittanceJson, plan?: PlanJson): Review {
  const docsByKey = new Map((plan?.documents ?? []).map((d) => [d.key, d]));
  const posted = new Set(plan?.alreadyPosted ?? []);
  const rows: Row[] = [];
  const keys: string[][] = [];
  for (const p of remittance.payments) {
    for (const l of p.lines) {
      const pl = plan?.lines.find((x) => x.paymentNumber === p.paymentNumber && x.row === l.row);
      const docs = (pl?.documentKeys ?? []).flatMap((k) => docsByKey.get(k) ?? []);
      const exceptions = (plan?.exceptions ?? []).filter(
        (e) => e.paymentNumber === p.paymentNumber && e.row === l.row,
      );
      const lineKeys = pl?.documentKeys ?? [];
      const status = !plan
        ? "not previewed"
        : !pl
          ? "not planned"
          : pl.held
            ? "held"
            : lineKeys.length > 0 && lineKeys.every((k) => posted.has(k))
              ? "posted"
              : "planned";
      keys.push(lineKeys);
      rows.push(
        toRow(REVIEW_SHEET, [
          p.paymentNumber,
          l.row,
          l.documentNumber,
          l.kind,
          l.amount,
          l.currency,
          pl ? (pl.held ? `${pl.treatment} (suspense)` : pl.treatment) : "",
          pl?.accountCode ?? "",
          matchedDocument(docs, l),
          [...new Set(docs.map((d) => d.type))].join(", "),
          lineKeys.join(" "),
          exceptions.map((e) => `${e.code}: ${e.reason}`).join("\n"),
          exceptions.some((e) => e.severity === "blocking")
            ? "blocking"
            : exceptions.length > 0
              ? "warning"
              : "",
          status,
          "",
          "",
        ]),
      );
    }
  }
  const totals = remittance.payments.map((p) => totalsFor(p, plan));
  const totalsRows: Row[] = [];
  const byKind = new Map<string, { currency: string; amount: number }>();
  for (const t of totals) {
    const add = (measure: string, amount: number) =>
      totalsRows.push(toRow(TOTALS_SHEET, [t.paymentNumber, t.currency, measure, dec(amount, t.currency)]));
    add("Gross", t.gross);
    for (const [k, v] of Object.entries(t.deductionsByKind)) {
      add(`Deductions: ${k}`, v);
      const key = `${k}\u0000${t.currency}`;
      const cur = byKind.get(key) ?? { currency: t.currency, amount: 0 };
      cur.amount += v;
      byKind.set(key, cur);
    }
    add("Net", t.net);
    add("Bank deposit", t.bankDeposit);
    if (t.held !== 0) add("Held in suspense", t.held);
    add("Difference", t.difference);
  }
  const currencies = new Set(totals.map((t) => t.currency));
  const byKindRows = [...byKind.entries()].map(([key, v]) => {
    const kind = key.split("\u0000")[0] ?? "";
    // Deductions are negative contributions; the chart shows what Amazon took as positive bars.
    return toRow(DEDUCTIONS_BY_KIND_SHEET, [
      currencies.size > 1 ? `${kind} (${v.currency})` : kind,
      dec(-v.amount, v.currency),
    ]);
  });
  const exceptions = plan?.exceptions ?? [];
  return {
    rows,
    keys,
    totals,
    totalsRows,
    byKindRows,
    blocking: exceptions.filter((e) => e.severity === "blocking").length,
    warnings: exceptions.filter((e) => e.severity === "warning").length,
  };
}

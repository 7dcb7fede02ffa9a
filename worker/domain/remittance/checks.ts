import { formatMoneyHuman, sumMinor } from "../money";
import { showCell } from "./grid";
import { type Check, CREDIT_KINDS, type LineKind, type Payment, REVERSES } from "./model";

/**
 * The checks a finance team relies on, per payment. They are reported, never thrown: an `error` check
 * blocks posting that payment, a `warning` is for review.
 */
export function checkPayments(payments: Payment[], withoutSummary: ReadonlySet<string>): void {
  // File-wide indexes: duplicates and reversal originals are about the whole file, not one payment.
  // Counts first; row lists only for the (few) numbers that repeat.
  const count = new Map<string, number>();
  const kindsByDocument = new Map<string, LineKind | Set<LineKind>>();
  for (const p of payments) {
    for (const l of p.lines) {
      const n = l.documentNumber;
      count.set(n, (count.get(n) ?? 0) + 1);
      const k = kindsByDocument.get(n);
      if (k === undefined) kindsByDocument.set(n, l.kind);
      else if (k instanceof Set) k.add(l.kind);
      else if (k !== l.kind) kindsByDocument.set(n, new Set([k, l.kind]));
    }
  }
  const rowsByDocument = new Map<string, number[]>();
  for (const p of payments) {
    for (const l of p.lines) {
      if ((count.get(l.documentNumber) ?? 0) < 2) continue;
      const rows = rowsByDocument.get(l.documentNumber);
      if (rows) rows.push(l.source.row);
      else rowsByDocument.set(l.documentNumber, [l.source.row]);
    }
  }
  for (const p of payments) {
    p.checks = [
      sumCheck(p, withoutSummary.has(p.paymentNumber)),
      summaryCheck(p, withoutSummary.has(p.paymentNumber)),
      duplicateCheck(p, rowsByDocument),
      reversalCheck(p, kindsByDocument),
      signCheck(p),
      currencyCheck(p),
      lineIdentityCheck(p),
      voidedCheck(p),
      ...depositCheck(p),
    ];
  }
}

function money(p: Payment, minor: number): string {
  return `${formatMoneyHuman(minor, p.currency)} ${p.currency}`;
}

function sumCheck(p: Payment, noSummary: boolean): Check {
  const total = sumMinor(p.lines.map((l) => l.amount));
  const ok = total === p.amount && (p.lines.length > 0 || p.amount === 0);
  return {
    name: "lines_sum_to_payment",
    ok,
    severity: "error",
    message: ok
      ? noSummary
        ? `Payment amount taken as the sum of its ${p.lines.length} lines: ${money(p, total)}`
        : `${p.lines.length} lines sum to the payment amount ${money(p, p.amount)}`
      : p.lines.length === 0
        ? `Payment ${p.paymentNumber} has no lines in the file; its ${money(p, p.amount)} cannot be reconciled`
        : `Lines sum to ${money(p, total)} but the payment is ${money(p, p.amount)} (difference ${money(p, total - p.amount)})`,
  };
}

function summaryCheck(p: Payment, noSummary: boolean): Check {
  return {
    name: "payment_has_summary",
    ok: !noSummary,
    severity: "warning",
    message: noSummary
      ? `Payment ${p.paymentNumber} has lines but no row in the payments section: its date is unknown and its amount is the sum of its lines`
      : `Payment ${p.paymentNumber} dated ${p.paymentDate ?? "?"} is in the payments section`,
  };
}

function duplicateCheck(p: Payment, rowsByDocument: Map<string, number[]>): Check {
  // Rows listed are this payment's; the message names where else each number appears (first few).
  const rows: number[] = [];
  const dupes = new Map<string, number[]>();
  if (rowsByDocument.size > 0) {
    for (const l of p.lines) {
      const all = rowsByDocument.get(l.documentNumber);
      if (!all) continue;
      rows.push(l.source.row);
      dupes.set(l.documentNumber, all);
    }
  }
  const names = [...dupes.keys()].slice(0, 5);
  return {
    name: "duplicate_documents",
    ok: dupes.size === 0,
    severity: "warning",
    message:
      dupes.size === 0
        ? "No document number appears twice in the file"
        : `Document numbers appearing more than once in the file: ${names
            .map((d) => {
              const r = dupes.get(d) ?? [];
              return `${showCell(d)} (rows ${r.slice(0, 10).join(", ")}${r.length > 10 ? ", …" : ""})`;
            })
            .join("; ")}${dupes.size > 5 ? ` and ${dupes.size - 5} more` : ""}`,
    ...(rows.length ? { rows } : {}),
  };
}

function reversalCheck(p: Payment, kindsByDocument: Map<string, LineKind | Set<LineKind>>): Check {
  const missing = p.lines.filter((l) => {
    const reversed = REVERSES[l.kind];
    if (!reversed) return false;
    const original = l.originalDocumentNumber;
    const kinds = original ? kindsByDocument.get(original) : undefined;
    if (kinds === undefined) return true;
    return !reversed.some((k) => (kinds instanceof Set ? kinds.has(k) : kinds === k));
  });
  return {
    name: "reversal_original_present",
    ok: missing.length === 0,
    severity: "warning",
    message:
      missing.length === 0
        ? "Every reversal has its original in this file"
        : `Reversals whose original is not in this file (it may be on an earlier remittance): ${missing
            .slice(0, 5)
            .map(
              (l) =>
                `${showCell(l.documentNumber)} → ${showCell(l.originalDocumentNumber ?? "unknown original")}`,
            )
            .join("; ")}${missing.length > 5 ? ` and ${missing.length - 5} more` : ""}`,
    ...(missing.length ? { rows: missing.map((l) => l.source.row) } : {}),
  };
}

function signCheck(p: Payment): Check {
  const odd = p.lines.filter((l) => {
    // X12 adjustments are already netted into the line: judge the sign before them.
    const gross = l.amount - sumMinor(l.adjustments.map((a) => a.amount));
    if (l.kind === "unknown" || gross === 0) return false;
    return CREDIT_KINDS.has(l.kind) ? gross < 0 : gross > 0;
  });
  return {
    name: "sign_anomalies",
    ok: odd.length === 0,
    severity: "warning",
    message:
      odd.length === 0
        ? "Every line has the sign its kind should have"
        : `Lines with an unexpected sign: ${odd
            .slice(0, 5)
            .map(
              (l) => `${showCell(l.documentNumber)} (${l.kind}, ${money(p, l.amount)}, row ${l.source.row})`,
            )
            .join("; ")}${odd.length > 5 ? ` and ${odd.length - 5} more` : ""}`,
    ...(odd.length ? { rows: odd.map((l) => l.source.row) } : {}),
  };
}

function currencyCheck(p: Payment): Check {
  const other = p.lines.filter((l) => l.currency !== p.currency);
  return {
    name: "currency_consistent",
    ok: other.length === 0,
    severity: "error",
    message:
      other.length === 0
        ? `All lines are in ${p.currency}`
        : `Lines in another currency than the payment (${p.currency}): ${other
            .slice(0, 5)
            .map((l) => `${showCell(l.documentNumber)} in ${l.currency} (row ${l.source.row})`)
            .join("; ")}`,
    ...(other.length ? { rows: other.map((l) => l.source.row) } : {}),
  };
}

/**
 * Amount Paid + Terms Discount + Withholding = Invoice Amount − Remaining Amount, where all are given.
 * Unverified against every marketplace's files, so it warns rather than blocks.
 */
function lineIdentityCheck(p: Payment): Check {
  const off = p.lines.filter(
    (l) =>
      l.invoiceAmount !== undefined &&
      l.remainingAmount !== undefined &&
      l.amount + l.termsDiscount + l.withholding !== l.invoiceAmount - l.remainingAmount,
  );
  return {
    name: "line_identity",
    ok: off.length === 0,
    severity: "warning",
    message:
      off.length === 0
        ? "Amount paid + discount + withholding = invoice amount − remaining amount on every line that states them"
        : `Lines where amount paid + discount + withholding ≠ invoice amount − remaining amount: ${off
            .slice(0, 5)
            .map((l) => `${showCell(l.documentNumber)} (row ${l.source.row})`)
            .join("; ")}${off.length > 5 ? ` and ${off.length - 5} more` : ""}`,
    ...(off.length ? { rows: off.map((l) => l.source.row) } : {}),
  };
}

function voidedCheck(p: Payment): Check {
  const voided = /void/i.test(p.paymentStatus ?? "") || (p.voidedReason ?? "") !== "";
  return {
    name: "payment_not_voided",
    ok: !voided,
    severity: "error",
    message: voided
      ? `Payment ${p.paymentNumber} is voided${p.voidedReason ? ` (${p.voidedReason})` : ""}; it must not be posted`
      : `Payment ${p.paymentNumber} is not voided`,
  };
}

function depositCheck(p: Payment): Check[] {
  if (p.bankDeposit === undefined) return [];
  const cur = p.exchange?.paymentCurrency ?? p.currency;
  const expected = p.exchange?.paymentAmount ?? p.amount;
  const ok = p.bankDeposit === expected;
  const fmt = (m: number) => `${formatMoneyHuman(m, cur)} ${cur}`;
  return [
    {
      name: "bank_deposit_matches",
      ok,
      severity: "error",
      message: ok
        ? `Bank deposit ${fmt(p.bankDeposit)} equals the payment`
        : `Bank deposit ${fmt(p.bankDeposit)} differs from the payment ${fmt(expected)} by ${fmt(p.bankDeposit - expected)}`,
    },
  ];
}

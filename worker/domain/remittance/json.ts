import { formatMoney } from "../money";
import type { Remittance } from "./model";

/**
 * The remittance as JSON for the CLI (`vcx parse --json`), the Worker API and the add-in: amounts become
 * decimal strings in their currency's scale, absent optional amounts become null.
 */
export function remittanceToJson(r: Remittance) {
  return {
    format: r.format,
    fileName: r.fileName,
    dateOrder: r.dateOrder ?? null,
    payments: r.payments.map((p) => ({
      paymentNumber: p.paymentNumber,
      paymentDate: p.paymentDate,
      currency: p.currency,
      amount: formatMoney(p.amount, p.currency),
      exchange: p.exchange
        ? {
            paymentCurrency: p.exchange.paymentCurrency,
            paymentAmount: formatMoney(p.exchange.paymentAmount, p.exchange.paymentCurrency),
            rate: p.exchange.rate ?? null,
          }
        : null,
      paymentType: p.paymentType ?? null,
      paymentStatus: p.paymentStatus ?? null,
      bankDeposit:
        p.bankDeposit === undefined
          ? null
          : formatMoney(p.bankDeposit, p.exchange?.paymentCurrency ?? p.currency),
      source: p.source,
      lines: p.lines.map((l) => ({
        documentNumber: l.documentNumber,
        invoiceDate: l.invoiceDate ?? null,
        kind: l.kind,
        evidence: l.evidence,
        currency: l.currency,
        amount: formatMoney(l.amount, l.currency),
        invoiceAmount: l.invoiceAmount === undefined ? null : formatMoney(l.invoiceAmount, l.currency),
        termsDiscount: formatMoney(l.termsDiscount, l.currency),
        withholding: formatMoney(l.withholding, l.currency),
        remainingAmount: l.remainingAmount === undefined ? null : formatMoney(l.remainingAmount, l.currency),
        originalDocumentNumber: l.originalDocumentNumber ?? null,
        invoiceNumber: l.invoiceNumber ?? null,
        transactionType: l.transactionType ?? null,
        transactionDescription: l.transactionDescription ?? null,
        referenceDetails: l.referenceDetails ?? null,
        adjustments: l.adjustments.map((a) => ({
          amount: formatMoney(a.amount, l.currency),
          reasonCode: a.reasonCode,
          reasonText: a.reasonText ?? null,
          kind: a.kind,
          referenceId: a.referenceId ?? null,
          row: a.source.row,
        })),
        row: l.source.row,
        sheet: l.source.sheet ?? null,
      })),
      checks: p.checks.map((c) => ({
        name: c.name,
        ok: c.ok,
        severity: c.severity,
        message: c.message,
        rows: c.rows ?? [],
      })),
    })),
    problems: r.problems.map((p) => ({
      severity: p.severity,
      code: p.code,
      file: p.file,
      sheet: p.sheet ?? null,
      row: p.row ?? null,
      column: p.column ?? null,
      cell: p.cell ?? null,
      message: p.message,
    })),
  };
}

export type RemittanceJson = ReturnType<typeof remittanceToJson>;

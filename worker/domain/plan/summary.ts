/**
 * Design `summary` (the seed's "batching"): no per-invoice documents in Xero. One manual journal per
 * payment — clearing debited with the deposit, every deduction itemised on its mapped account (credit-note
 * rows included: there is no invoice to credit), terms discount and withholding, and the gross sales of the
 * invoices this payment settles credited to the sales account — plus the optional bank transaction.
 * Revenue is recognised at payment: the simpler ledger costs the reporting lag.
 */
import { assessLine } from "./assess";
import {
  bankTransaction,
  closeJournal,
  differenceLine,
  journalDocument,
  lineDescription,
  outcomeFor,
  type PaymentResult,
} from "./common";
import { JournalLines } from "./journal";
import type { PaymentScope } from "./scope";

export function planSummary(scope: PaymentScope): PaymentResult {
  const decided = scope.lines.map((x) => ({ x, d: assessLine(scope, x, "summary") }));
  const body = new JournalLines();
  const s = scope.settings;
  let gross = 0;
  let invoices = 0;
  for (const { x, d } of decided) {
    const doc = x.line.documentNumber;
    switch (d.type) {
      case "sale":
        gross += scope.toBase(d.settled);
        invoices += 1;
        body.add({
          accountCode: s.termsDiscountAccount,
          amount: scope.toBase(x.discount),
          description: `Terms discount ${doc}`,
        });
        body.add({
          accountCode: s.withholdingAccount,
          amount: scope.toBase(x.withholding),
          description: `Withholding ${doc}`,
        });
        break;
      case "journal":
      case "credit_note":
        body.add({
          accountCode: d.accountCode,
          amount: -scope.toBase(x.amount),
          description: lineDescription(x, d.label),
          ...(d.taxType !== undefined ? { taxType: d.taxType } : {}),
          tracking: d.tracking,
        });
        break;
      case "hold":
        body.add({
          accountCode: s.suspenseAccount,
          amount: -scope.toBase(x.amount),
          description: `Held: ${doc} — see VCX exceptions`,
        });
        break;
      default:
        break;
    }
  }
  const diff = differenceLine(scope);
  if (diff) body.add(diff);
  body.add({
    accountCode: s.salesAccount,
    amount: -gross,
    description: `Gross sales: ${invoices} invoice${invoices === 1 ? "" : "s"} settled by Amazon payment ${scope.paymentNumber}`,
  });
  const lines = closeJournal(scope, body, 0, true);
  const journal = journalDocument(
    scope,
    `Amazon remittance ${scope.paymentNumber} — summary`,
    lines,
    decided.map(({ x }) => x.row),
  );
  const bank = bankTransaction(scope);
  return {
    documents: [...(journal ? [journal] : []), ...(bank ? [bank] : [])],
    outcomes: decided.map(({ x, d }) =>
      outcomeFor(scope, x, d, journal && d.type !== "none" ? [journal.key] : []),
    ),
  };
}

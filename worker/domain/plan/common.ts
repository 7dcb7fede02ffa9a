/**
 * Pieces both designs share: the remittance-vs-payment difference, closing a journal against clearing, the
 * optional receive-money bank transaction, line outcomes and descriptions.
 */
import { addDays } from "../org/lock-dates";
import type { InvoiceState } from "../org/model";
import type { Decision } from "./assess";
import { type JournalLine, JournalLines, manualJournalBody } from "./journal";
import type { LineOutcome, PlannedDocument } from "./model";
import type { PaymentScope, XLine } from "./scope";
import { clip, showMoney, wireAmount, type XeroContactRef, type XeroDocumentRef } from "./wire";

/** What planning one payment yields. */
export interface PaymentResult {
  documents: PlannedDocument[];
  outcomes: LineOutcome[];
}

/** "INV-BSC shortage claim on INV-B — PO 123" */
export function lineDescription(x: XLine, label: string): string {
  const { line } = x;
  const on =
    line.originalDocumentNumber ??
    (line.invoiceNumber !== line.documentNumber ? line.invoiceNumber : undefined);
  return `${line.documentNumber} ${label}${on ? ` on ${on}` : ""}${line.referenceDetails ? ` — ${line.referenceDetails}` : ""}`;
}

export function withKey(text: string, key: string, max = 255): string {
  return `${clip(text, max - key.length - 3)} | ${key}`;
}

export function invoiceRef(inv: InvoiceState): XeroDocumentRef {
  return inv.id !== undefined ? { InvoiceID: inv.id } : { InvoiceNumber: inv.number };
}

export function contactFor(scope: PaymentScope, inv?: InvoiceState): XeroContactRef {
  // A credit note must share its invoice's contact to be allocated.
  if (inv?.contact)
    return inv.contact.contactId ? { ContactID: inv.contact.contactId } : { Name: inv.contact.name };
  return scope.state.contact;
}

/**
 * The difference between the payment amount and the sum of its lines. Within tolerance it is rounding;
 * beyond, it is held in suspense and reported — either way the deposit still reconciles.
 */
export function differenceLine(scope: PaymentScope): JournalLine | undefined {
  const linesTotal = scope.payment.lines.reduce((s, l) => s + l.amount, 0);
  if (linesTotal === scope.payment.amount) return undefined;
  const diff = scope.net - scope.lines.reduce((s, x) => s + x.amount, 0);
  if (diff === 0) return undefined; // sub-cent: left to the rounding residue
  const withinTolerance = Math.abs(diff) <= scope.settings.tolerance;
  const account = withinTolerance ? scope.settings.roundingAccount : scope.settings.suspenseAccount;
  scope.raise(
    "lines_do_not_sum",
    withinTolerance ? "warning" : "blocking",
    undefined,
    `The remittance lines sum to ${showMoney(scope.net - diff)} but payment ${scope.paymentNumber} is ${showMoney(scope.net)}; the difference ${showMoney(diff)} is posted to ${withinTolerance ? "rounding" : "suspense"} ${account}`,
    withinTolerance
      ? "Nothing to do unless the difference recurs."
      : "Compare the remittance with Vendor Central (a missing or duplicated line?), correct it and re-plan; or clear the suspense amount by hand.",
  );
  return {
    accountCode: account,
    amount: -scope.toBase(diff),
    description: `Difference between remittance lines and payment ${scope.paymentNumber}`,
  };
}

/**
 * Finish a journal: add the clearing line that makes clearing net to the deposit (given what other
 * documents already moved through clearing), then book any conversion residue to rounding.
 * `clearingFirst` puts the clearing line at the top (summary design) instead of the bottom.
 */
export function closeJournal(
  scope: PaymentScope,
  body: JournalLines,
  clearingFromOtherDocuments: number,
  clearingFirst: boolean,
): JournalLine[] {
  const clearing: JournalLine = {
    accountCode: scope.settings.clearingAccount,
    amount: scope.netBase - clearingFromOtherDocuments,
    description: `Amazon Vendor Clearing — remittance ${scope.paymentNumber}`,
  };
  const residue = -(body.total() + clearing.amount);
  const all = new JournalLines();
  if (clearingFirst) all.add(clearing);
  for (const l of body.lines) all.add(l);
  all.add({
    accountCode: scope.settings.roundingAccount,
    amount: residue,
    description: "Currency conversion rounding",
  });
  if (!clearingFirst) all.add(clearing);
  return all.lines;
}

export function journalDocument(
  scope: PaymentScope,
  title: string,
  lines: JournalLine[],
  rows: number[],
): PlannedDocument | undefined {
  if (lines.length < 2) return undefined;
  const key = scope.key("mj");
  const narration = `${title}${scope.dateNote ? `; ${scope.dateNote}` : ""}`;
  return {
    type: "ManualJournal",
    endpoint: "PUT /ManualJournals",
    key,
    role: "mj",
    paymentNumber: scope.paymentNumber,
    dependsOn: [],
    rows,
    description: `${title} (${lines.length} lines)`,
    body: manualJournalBody(`${narration} | ${key}`, scope.date, lines),
  };
}

/** Receive money (bank ← clearing) for the net deposit, so the bank feed line matches one document. */
export function bankTransaction(scope: PaymentScope): PlannedDocument | undefined {
  if (!scope.settings.createBankTransaction || scope.netBase === 0) return undefined;
  const key = scope.key("bank");
  const amount = Math.abs(scope.netBase);
  const base = scope.state.org.org.baseCurrency;
  return {
    type: "BankTransaction",
    endpoint: "PUT /BankTransactions",
    key,
    role: "bank",
    paymentNumber: scope.paymentNumber,
    dependsOn: [],
    rows: [],
    description: `${scope.netBase > 0 ? "Receive" : "Spend"} ${base} ${showMoney(amount)} in ${scope.settings.bankAccount} from clearing`,
    body: {
      Type: scope.netBase > 0 ? "RECEIVE" : "SPEND",
      Contact: scope.state.contact,
      BankAccount: { Code: scope.settings.bankAccount },
      Date: scope.date,
      Reference: withKey(`Amazon ${scope.paymentNumber}`, key),
      Status: "AUTHORISED",
      LineAmountTypes: "NoTax",
      LineItems: [
        {
          Description: `Amazon remittance ${scope.paymentNumber}`,
          Quantity: 1,
          UnitAmount: wireAmount(amount),
          LineAmount: wireAmount(amount),
          AccountCode: scope.settings.clearingAccount,
        },
      ],
      CurrencyCode: base,
    },
  };
}

export function outcomeFor(scope: PaymentScope, x: XLine, d: Decision, keys: string[]): LineOutcome {
  const treatment: LineOutcome["treatment"] =
    d.type === "pay" ? "payment" : d.type === "sale" ? "summary" : d.type === "none" ? "none" : d.type;
  const accountCode =
    d.type === "journal" || d.type === "credit_note"
      ? d.accountCode
      : d.type === "hold"
        ? scope.settings.suspenseAccount
        : d.type === "sale"
          ? scope.settings.salesAccount
          : undefined;
  const windowDays = d.type === "journal" || d.type === "credit_note" ? d.disputeWindowDays : undefined;
  const from = x.line.invoiceDate ?? scope.payment.paymentDate ?? undefined;
  return {
    paymentNumber: scope.paymentNumber,
    row: x.row,
    documentNumber: x.line.documentNumber,
    kind: x.line.kind,
    amount: x.amount,
    treatment,
    ...(accountCode !== undefined ? { accountCode } : {}),
    held: d.type === "hold",
    documentKeys: keys,
    ...(windowDays !== undefined && from !== undefined ? { disputeDeadline: addDays(from, windowDays) } : {}),
  };
}

/**
 * Design `invoice_level`: every vendor invoice is paid in Xero from the clearing account, claims marked
 * `credit_note` become ACCRECCREDIT documents, and one manual journal carries the rest against clearing.
 *
 * Send order per payment (accounting-model.md): credit notes that will be allocated, each followed by its
 * allocation → invoice payments (reduced by those allocations, so never above amount due) → credit notes
 * that are refunded, each followed by its refund from clearing → the journal → the bank transaction.
 *
 * A credit note is allocated only to an invoice this same payment settles, and only when that settlement
 * can absorb it: then the payment shrinks by the same amount and clearing still nets to the deposit.
 * Otherwise (target paid, locked, not settled here, or no target) it is refunded from clearing — Amazon
 * already took the money, so it leaves through clearing, and a paid or locked invoice is never touched.
 */
import type { InvoiceState } from "../org/model";
import { assessLine, type Decision, kindLabel, type Posting } from "./assess";
import {
  bankTransaction,
  closeJournal,
  contactFor,
  differenceLine,
  invoiceRef,
  journalDocument,
  lineDescription,
  outcomeFor,
  type PaymentResult,
  withKey,
} from "./common";
import { JournalLines } from "./journal";
import type { PlannedDocument } from "./model";
import type { PaymentScope, XLine } from "./scope";
import { showMoney, wireAmount, type XeroCreditNote } from "./wire";

function creditNoteBody(
  scope: PaymentScope,
  x: XLine,
  p: Posting,
  target: InvoiceState | undefined,
  key: string,
): XeroCreditNote {
  const credit = -x.amount;
  // "(paid)" tells the reader why the credit is refunded rather than allocated (accounting-model.md).
  const status = target?.status === "PAID" ? " (paid)" : "";
  const about = `${x.line.documentNumber} ${kindLabel(x.line.kind)}${target ? ` on ${target.number}${status}` : ""}`;
  const rate = scope.currencyRate;
  return {
    Type: "ACCRECCREDIT",
    Contact: contactFor(scope, target),
    Date: scope.date,
    Status: "AUTHORISED",
    LineAmountTypes: p.taxType !== undefined ? "Inclusive" : "NoTax",
    LineItems: [
      {
        Description: lineDescription(x, p.label),
        Quantity: 1,
        UnitAmount: wireAmount(credit),
        LineAmount: wireAmount(credit),
        AccountCode: p.accountCode,
        ...(p.taxType !== undefined ? { TaxType: p.taxType } : {}),
        ...(p.tracking.length > 0
          ? { Tracking: p.tracking.map((t) => ({ Name: t.name, Option: t.option })) }
          : {}),
      },
    ],
    Reference: withKey(about, key),
    CurrencyCode: scope.payment.currency,
    ...(rate !== undefined ? { CurrencyRate: rate } : {}),
  };
}

export function planInvoiceLevel(scope: PaymentScope): PaymentResult {
  const decided = scope.lines.map((x) => ({ x, d: assessLine(scope, x, "invoice_level") }));
  const keysOf = new Map<XLine, string[]>(scope.lines.map((x) => [x, []]));
  const exchange = scope.exchange;
  const extra = exchange ? { exchange } : {};
  const rate = scope.currencyRate;

  // What this payment settles per invoice: the room credit notes can be allocated into.
  const capacity = new Map<string, number>();
  for (const { d } of decided)
    if (d.type === "pay") capacity.set(d.invoice.number, (capacity.get(d.invoice.number) ?? 0) + d.settled);

  const allocatedGroup: PlannedDocument[] = [];
  const refundedGroup: PlannedDocument[] = [];
  const allocatedTo = new Map<string, { amount: number; keys: string[] }>();
  let refunded = 0;

  for (const { x, d } of decided) {
    if (d.type !== "credit_note") continue;
    const credit = -x.amount;
    const cnKey = scope.key("cn", x);
    const cn: PlannedDocument = {
      type: "CreditNote",
      endpoint: "PUT /CreditNotes",
      key: cnKey,
      role: "cn",
      paymentNumber: scope.paymentNumber,
      dependsOn: [],
      rows: [x.row],
      description: `Credit note ${showMoney(credit)} to ${d.accountCode} for ${x.line.documentNumber}`,
      body: creditNoteBody(scope, x, d, d.target, cnKey),
      ...extra,
    };
    const target = d.target;
    const used = target ? (allocatedTo.get(target.number)?.amount ?? 0) : 0;
    const room = target && target.status === "AUTHORISED" ? (capacity.get(target.number) ?? 0) - used : 0;
    if (target && credit <= room) {
      const key = scope.key("alloc", x);
      allocatedTo.set(target.number, {
        amount: used + credit,
        keys: [...(allocatedTo.get(target.number)?.keys ?? []), key],
      });
      allocatedGroup.push(cn, {
        type: "Allocation",
        endpoint: "PUT /CreditNotes/{CreditNoteID}/Allocations",
        key,
        role: "alloc",
        paymentNumber: scope.paymentNumber,
        creditNoteKey: cnKey,
        dependsOn: [cnKey],
        rows: [x.row],
        description: `Allocate ${x.line.documentNumber} ${showMoney(credit)} to ${target.number}`,
        body: { Invoice: invoiceRef(target), Amount: wireAmount(credit), Date: scope.date },
        ...extra,
      });
      keysOf.get(x)?.push(cnKey, key);
    } else {
      const key = scope.key("refund", x);
      refunded += scope.toBase(credit);
      refundedGroup.push(cn, {
        type: "RefundPayment",
        endpoint: "PUT /Payments",
        key,
        role: "refund",
        paymentNumber: scope.paymentNumber,
        creditNoteKey: cnKey,
        dependsOn: [cnKey],
        rows: [x.row],
        description: `Refund ${x.line.documentNumber} ${showMoney(credit)} from clearing ${scope.settings.clearingAccount}`,
        body: {
          CreditNote: {},
          Account: { Code: scope.settings.clearingAccount },
          Date: scope.date,
          Amount: wireAmount(credit),
          Reference: withKey(`Amazon ${scope.paymentNumber} ${x.line.documentNumber}`, key),
          ...(rate !== undefined ? { CurrencyRate: rate } : {}),
        },
        ...extra,
      });
      keysOf.get(x)?.push(cnKey, key);
    }
  }

  const payments: PlannedDocument[] = [];
  const creditLeft = new Map([...allocatedTo].map(([n, a]) => [n, a.amount]));
  let paid = 0;
  for (const { x, d } of decided) {
    if (d.type !== "pay") continue;
    const absorbed = Math.min(creditLeft.get(d.invoice.number) ?? 0, d.settled);
    creditLeft.set(d.invoice.number, (creditLeft.get(d.invoice.number) ?? 0) - absorbed);
    const amount = d.settled - absorbed;
    if (amount === 0) continue; // fully settled by credit notes
    const key = scope.key("pay", x);
    paid += scope.toBase(amount);
    payments.push({
      type: "Payment",
      endpoint: "PUT /Payments",
      key,
      role: "pay",
      paymentNumber: scope.paymentNumber,
      dependsOn: allocatedTo.get(d.invoice.number)?.keys ?? [],
      rows: [x.row],
      description: `Pay ${d.invoice.number} ${showMoney(amount)} from clearing ${scope.settings.clearingAccount}`,
      body: {
        Invoice: invoiceRef(d.invoice),
        Account: { Code: scope.settings.clearingAccount },
        Date: scope.date,
        Amount: wireAmount(amount),
        Reference: withKey(`Amazon ${scope.paymentNumber} ${x.line.documentNumber}`, key),
        ...(rate !== undefined ? { CurrencyRate: rate } : {}),
      },
      ...extra,
    });
    keysOf.get(x)?.push(key);
  }

  const body = new JournalLines();
  const journalRows = new Set<number>();
  for (const { x, d } of decided) journalLinesFor(scope, x, d, body, journalRows);
  const diff = differenceLine(scope);
  if (diff) body.add(diff);
  const lines = closeJournal(scope, body, paid - refunded, false);
  const journal = journalDocument(scope, `Amazon remittance ${scope.paymentNumber} — deductions`, lines, [
    ...journalRows,
  ]);
  if (journal) for (const { x } of decided) if (journalRows.has(x.row)) keysOf.get(x)?.push(journal.key);

  const bank = bankTransaction(scope);
  const documents = [
    ...allocatedGroup,
    ...payments,
    ...refundedGroup,
    ...(journal ? [journal] : []),
    ...(bank ? [bank] : []),
  ];
  return {
    documents,
    outcomes: decided.map(({ x, d }) => outcomeFor(scope, x, d, keysOf.get(x) ?? [])),
  };
}

/** The journal lines a decided line contributes (base currency; debit positive). */
function journalLinesFor(
  scope: PaymentScope,
  x: XLine,
  d: Decision,
  body: JournalLines,
  rows: Set<number>,
): void {
  const before = body.lines.length;
  const doc = x.line.documentNumber;
  switch (d.type) {
    case "pay":
      body.add({
        accountCode: scope.settings.termsDiscountAccount,
        amount: scope.toBase(x.discount),
        description: `Terms discount ${doc}`,
      });
      body.add({
        accountCode: scope.settings.withholdingAccount,
        amount: scope.toBase(x.withholding),
        description: `Withholding ${doc}`,
      });
      break;
    case "journal":
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
        accountCode: scope.settings.suspenseAccount,
        amount: -scope.toBase(x.amount),
        description: `Held: ${doc} ${kindLabel(x.line.kind)} — see VCX exceptions`,
      });
      break;
    default:
      break;
  }
  if (body.lines.length > before) rows.add(x.row);
}

/**
 * Decide, line by line, how each remittance line is posted — and raise the line's exceptions. Blocking
 * problems turn the line into `hold` (its amount waits in suspense, so the deposit still reconciles).
 */

import { matchDeduction } from "../mapping/match";
import type { Design, Tracking } from "../mapping/model";
import type { AccountUse } from "../org/accounts";
import type { InvoiceState } from "../org/model";
import { type LineKind, REVERSES } from "../remittance/model";
import type { PaymentScope, XLine } from "./scope";
import { showMoney } from "./wire";

export interface Posting {
  accountCode: string;
  taxType?: string;
  tracking: Tracking[];
  label: string;
  disputeWindowDays?: number;
}

export type Decision =
  | { type: "none" }
  | { type: "hold" }
  /** invoice_level: pay the Xero invoice `settled` (= amount + terms discount + withholding). */
  | { type: "pay"; invoice: InvoiceState; settled: number }
  /** summary: a sale recognised at payment. */
  | { type: "sale"; settled: number }
  | ({ type: "journal" } & Posting)
  | ({ type: "credit_note"; target?: InvoiceState } & Posting);

/** Claims against a specific vendor invoice: if that invoice is not in Xero, the claim is held. */
const CLAIM_KINDS: ReadonlySet<LineKind> = new Set([
  "shortage_claim",
  "shortage_claim_revised",
  "price_claim",
  "returns",
]);
const PROVISION_KINDS: ReadonlySet<LineKind> = new Set(["provision", "provision_reversal"]);

const LABELS: Partial<Record<LineKind, string>> = {
  shortage_claim: "shortage claim",
  shortage_claim_reversal: "shortage claim reversal",
  shortage_claim_revised: "revised shortage claim",
  price_claim: "price claim",
  price_claim_reversal: "price claim reversal",
  chargeback: "chargeback",
  coop: "co-op",
  provision: "provision for receivables",
  provision_reversal: "provision reversal",
  price_protection: "price protection",
  returns: "returns",
  tax_debit_note: "tax debit note",
  tax_credit_note: "tax credit note",
  unknown: "unclassified deduction",
};

export function kindLabel(kind: LineKind): string {
  return LABELS[kind] ?? kind.replace(/_/g, " ");
}

function checkAccount(
  scope: PaymentScope,
  x: XLine,
  code: string,
  use: AccountUse,
  taxType?: string,
): boolean {
  const problem = scope.state.org.accountProblem(code, use);
  if (problem) {
    scope.raise(
      "account_invalid",
      "blocking",
      x,
      `${problem}; the line is held in suspense`,
      `Point the deduction map row for ${kindLabel(x.line.kind)} at an active account that allows this, then re-plan.`,
    );
    return false;
  }
  if (taxType !== undefined) {
    const taxProblem = scope.state.org.taxTypeProblem(taxType, code);
    if (taxProblem) {
      scope.raise(
        "tax_type_invalid",
        "blocking",
        x,
        `${taxProblem}; the line is held in suspense`,
        "Choose a tax type valid for the account in the deduction map.",
      );
      return false;
    }
  }
  return true;
}

/** The Xero invoice a line refers to, checked for currency; undefined + exception when unusable. */
function findInvoice(scope: PaymentScope, x: XLine, number: string): InvoiceState | undefined {
  const inv = scope.state.invoices.get(number);
  if (!inv) {
    scope.raise(
      "invoice_not_found",
      "blocking",
      x,
      `Invoice ${number} is not in Xero; ${showMoney(x.amount)} is held in suspense ${scope.settings.suspenseAccount}`,
      `Create the invoice in Xero (or correct the number in the remittance), refresh the organisation snapshot and re-plan.`,
    );
    return undefined;
  }
  if (inv.currency !== x.line.currency) {
    scope.raise(
      "currency_mismatch",
      "blocking",
      x,
      `Invoice ${number} is in ${inv.currency} but the remittance line is in ${x.line.currency}`,
      "Check the remittance currency against the invoice; correct whichever is wrong and re-plan.",
    );
    return undefined;
  }
  return inv;
}

function assessInvoicePayment(scope: PaymentScope, x: XLine, design: Design): Decision {
  const settled = x.amount + x.discount + x.withholding;
  if (design === "summary") return { type: "sale", settled };
  const number = x.line.invoiceNumber ?? x.line.documentNumber;
  const inv = findInvoice(scope, x, number);
  if (!inv) return { type: "hold" };
  const due = scope.state.remainingDue.get(inv.number) ?? inv.amountDue;
  if (inv.status === "PAID" || (inv.status === "AUTHORISED" && due === 0)) {
    scope.raise(
      "invoice_already_paid",
      "blocking",
      x,
      `Invoice ${number} is already fully paid in Xero; ${showMoney(x.amount)} is held in suspense`,
      "Look for a duplicate payment or credit on the invoice in Xero; if Amazon paid twice, refund or re-apply the held amount.",
    );
    return { type: "hold" };
  }
  if (inv.status !== "AUTHORISED") {
    scope.raise(
      "invoice_not_authorised",
      "blocking",
      x,
      `Invoice ${number} is ${inv.status} in Xero; payments need an AUTHORISED invoice`,
      "Approve the invoice in Xero, refresh the snapshot and re-plan.",
    );
    return { type: "hold" };
  }
  if (settled <= 0) {
    scope.raise(
      "negative_settlement",
      "blocking",
      x,
      `The line settles ${showMoney(settled)} on invoice ${number}; a payment must be positive`,
      "Check the line's amounts in the remittance (amount paid, terms discount, withholding).",
    );
    return { type: "hold" };
  }
  if (settled > due) {
    scope.raise(
      "amount_exceeds_due",
      "blocking",
      x,
      `The line settles ${showMoney(settled)} but invoice ${number} has ${showMoney(due)} due in Xero`,
      "Check for an earlier payment or credit on the invoice in Xero; correct it or resolve the difference from suspense.",
    );
    return { type: "hold" };
  }
  scope.state.remainingDue.set(inv.number, due - settled);
  return { type: "pay", invoice: inv, settled };
}

function assessDeduction(scope: PaymentScope, x: XLine, design: Design): Decision {
  const { line } = x;
  const match = matchDeduction(scope.state.rules, line, scope.state.vendorCode);
  if (!match) {
    // Unreachable with validated mappings (every vendor has a catch-all); kept so a bad input cannot post.
    scope.raise(
      "settings_invalid",
      "blocking",
      x,
      "No deduction map row applies and there is no catch-all row",
      "Add a catch-all row (Kind any, no pattern) to the Deductions sheet.",
    );
    return { type: "hold" };
  }
  if (line.kind === "unknown") {
    scope.raise(
      "unknown_kind",
      "warning",
      x,
      `VCX could not tell what ${line.documentNumber} is; posted to ${match.rule.accountCode}`,
      "Add a Deductions row with a pattern for this document number or description so it is classified next time.",
    );
  } else if (match.catchAll) {
    scope.raise(
      "unmapped_deduction",
      "warning",
      x,
      `No deduction map row for ${kindLabel(line.kind)} ${line.documentNumber}; posted to the catch-all account ${match.rule.accountCode}`,
      `Add a Deductions row for kind ${line.kind} and re-plan (or reclassify in Xero later).`,
    );
  }
  const rule = match.rule;
  const provision = PROVISION_KINDS.has(line.kind);
  let treatment = rule.treatment;
  // Reversals and provisions are money Amazon moves back and forth: always journal lines, never documents.
  if (treatment === "credit_note" && (REVERSES[line.kind] !== undefined || provision)) treatment = "journal";
  // No negative-total documents: a positive line cannot become a credit note.
  if (treatment === "credit_note" && x.amount >= 0) treatment = "journal";
  if (design === "summary" && treatment === "credit_note") treatment = "journal";
  if (treatment === "hold") {
    scope.raise(
      "held_by_mapping",
      "warning",
      x,
      `The deduction map holds ${kindLabel(line.kind)} lines; held in suspense`,
      "Post it manually from suspense, or change the row's treatment and re-plan.",
    );
    return { type: "hold" };
  }
  const posting: Posting = {
    // Provisions are receivables Amazon holds back: always the balance-sheet provisions account.
    accountCode: provision ? scope.settings.provisionsAccount : rule.accountCode,
    ...(rule.taxType !== undefined ? { taxType: rule.taxType } : {}),
    tracking: rule.tracking,
    // A rule found through the reversed kind is labelled for the original ("Shortage claim"): use our own.
    label: (match.viaReversedKind === undefined ? rule.label : undefined) ?? kindLabel(line.kind),
    ...(rule.disputeWindowDays !== undefined ? { disputeWindowDays: rule.disputeWindowDays } : {}),
  };
  let target: InvoiceState | undefined;
  const targetNumber = line.originalDocumentNumber ?? line.invoiceNumber;
  if (
    design === "invoice_level" &&
    targetNumber !== undefined &&
    (treatment === "credit_note" || CLAIM_KINDS.has(line.kind))
  ) {
    target = findInvoice(scope, x, targetNumber);
    if (!target) return { type: "hold" };
  }
  const use: AccountUse = treatment === "credit_note" ? "credit_note_line" : "journal";
  if (!checkAccount(scope, x, posting.accountCode, use, posting.taxType)) return { type: "hold" };
  return treatment === "credit_note"
    ? { type: "credit_note", ...posting, ...(target ? { target } : {}) }
    : { type: "journal", ...posting };
}

export function assessLine(scope: PaymentScope, x: XLine, design: Design): Decision {
  if (x.amount === 0 && x.discount === 0 && x.withholding === 0) return { type: "none" };
  if (x.line.currency !== scope.payment.currency) {
    scope.raise(
      "currency_mismatch",
      "blocking",
      x,
      `The line is in ${x.line.currency} but its payment is in ${scope.payment.currency}; held in suspense`,
      "Correct the currency in the remittance and re-plan.",
    );
    return { type: "hold" };
  }
  return x.line.kind === "invoice_payment"
    ? assessInvoicePayment(scope, x, design)
    : assessDeduction(scope, x, design);
}

/**
 * A settlement posting plan: exactly which Xero documents to create for a remittance, in which order, and
 * why — plus what could not be posted and how to fix it. Plans are data: the Worker executes them, the
 * add-in shows them. Amounts outside the wire bodies are Xero minor units (2 dp).
 */
import type { Design, Treatment } from "../mapping/model";
import type { LineKind } from "../remittance/model";
import type { KeyRole } from "./keys";
import type {
  XeroAllocation,
  XeroBankTransaction,
  XeroCreditNote,
  XeroManualJournal,
  XeroPayment,
} from "./wire";

export interface ExchangeNote {
  /** Currency of the documents (the invoices'). */
  from: string;
  /** Currency the money moved in. */
  to: string;
  /** Remittance rate: units of `to` per unit of `from`, as given. */
  rate: string;
}

interface DocumentBase {
  /** Stable ≤128-char key: Idempotency-Key, and written into Reference/Narration. */
  key: string;
  role: KeyRole;
  paymentNumber: string;
  /** Keys that must be posted first (this document needs their Xero IDs or their effect). */
  dependsOn: string[];
  /** Source rows of the remittance lines this document settles. */
  rows: number[];
  /** One plain sentence for reviewers. */
  description: string;
  exchange?: ExchangeNote;
}

export type PlannedDocument =
  | (DocumentBase & { type: "CreditNote"; endpoint: "PUT /CreditNotes"; body: XeroCreditNote })
  | (DocumentBase & {
      type: "Allocation";
      /** `{CreditNoteID}` is the ID Xero returned for `creditNoteKey`. */
      endpoint: "PUT /CreditNotes/{CreditNoteID}/Allocations";
      creditNoteKey: string;
      body: XeroAllocation;
    })
  | (DocumentBase & { type: "Payment"; endpoint: "PUT /Payments"; body: XeroPayment })
  | (DocumentBase & {
      type: "RefundPayment";
      endpoint: "PUT /Payments";
      /** The executor sets body.CreditNote.CreditNoteID to the ID Xero returned for this key. */
      creditNoteKey: string;
      body: XeroPayment;
    })
  | (DocumentBase & { type: "ManualJournal"; endpoint: "PUT /ManualJournals"; body: XeroManualJournal })
  | (DocumentBase & {
      type: "BankTransaction";
      endpoint: "PUT /BankTransactions";
      body: XeroBankTransaction;
    });

export type DocumentType = PlannedDocument["type"];

export const EXCEPTION_CODES = [
  "invoice_not_found",
  "invoice_already_paid",
  "invoice_not_authorised",
  "amount_exceeds_due",
  "currency_mismatch",
  "unmapped_deduction",
  "unknown_kind",
  "held_by_mapping",
  "account_invalid",
  "tax_type_invalid",
  "lines_do_not_sum",
  "period_locked",
  "payment_without_date",
  "payment_voided",
  "settings_invalid",
  "negative_settlement",
] as const;
export type ExceptionCode = (typeof EXCEPTION_CODES)[number];

export interface PlanException {
  code: ExceptionCode;
  /** `blocking`: the line (or payment) is not posted as intended — held to suspense or not planned. */
  severity: "blocking" | "warning";
  paymentNumber: string;
  /** Source row of the remittance line; absent for payment-level exceptions. */
  row?: number;
  documentNumber?: string;
  reason: string;
  fix: string;
}

/** What became of one remittance line. */
export interface LineOutcome {
  paymentNumber: string;
  row: number;
  documentNumber: string;
  kind: LineKind;
  /** Contribution to the payment, Xero minor units. */
  amount: number;
  /** How it is posted: invoice payment, journal line, credit note, held to suspense, summary journal, nothing. */
  treatment: "payment" | Treatment | "summary" | "none";
  accountCode?: string;
  /** True when a blocking exception (or the mapping) sent it to suspense. */
  held: boolean;
  documentKeys: string[];
  /** Last day to dispute, from the mapping's dispute window. */
  disputeDeadline?: string;
}

export interface PaymentPlanSummary {
  paymentNumber: string;
  design: Design;
  /** Date the documents carry (first open day when the payment date is locked). */
  date: string | null;
  dateNote?: string;
  currency: string;
  /** Σ settled amounts of vendor invoices (before deductions), Xero minor units. */
  gross: number;
  /** Signed totals by kind, including terms discounts and withholding (negative = taken by Amazon). */
  deductionsByKind: Record<string, number>;
  /** The payment amount (Xero minor units) — what reaches the bank. */
  net: number;
  /** Held to suspense. */
  held: number;
  documentKeys: string[];
  /** False when the payment could not be planned at all (see its exceptions). */
  planned: boolean;
}

export interface PlanCheck {
  name:
    | "journals_balance"
    | "clearing_nets_to_zero"
    | "net_equals_payment"
    | "no_locked_dates"
    | "payments_within_amount_due"
    | "keys_unique"
    | "keys_within_limit"
    | "send_order";
  ok: boolean;
  message: string;
}

export interface Plan {
  vendorCode: string;
  /** Documents still to post, in sending order. */
  documents: PlannedDocument[];
  /** Keys planned but skipped because they were already posted. */
  alreadyPosted: string[];
  payments: PaymentPlanSummary[];
  lines: LineOutcome[];
  exceptions: PlanException[];
  checks: PlanCheck[];
}

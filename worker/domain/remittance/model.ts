/**
 * The normalised remittance model: what every remittance format (Vendor Central export as XLSX, CSV or a
 * grid of cells, EDI X12 820) becomes. Everything downstream (posting plans, the Worker, the add-in)
 * consumes this and nothing else.
 *
 * Amounts are integers in minor units of the currency they are stated in (see ../money.ts).
 * Signs: `amount` is the line's contribution to the payment — vendor invoices positive, Amazon deductions
 * negative, reversals of deductions positive — so the lines of a payment sum to the payment amount.
 */

export const LINE_KINDS = [
  "invoice_payment",
  "shortage_claim",
  "shortage_claim_reversal",
  "shortage_claim_revised",
  "price_claim",
  "price_claim_reversal",
  "chargeback",
  "coop",
  "provision",
  "provision_reversal",
  "price_protection",
  "returns",
  "tax_debit_note",
  "tax_credit_note",
  "unknown",
] as const;
export type LineKind = (typeof LINE_KINDS)[number];

/** Kinds that put money back in the vendor's hands (expected to have a positive amount). */
export const CREDIT_KINDS: ReadonlySet<LineKind> = new Set<LineKind>([
  "invoice_payment",
  "shortage_claim_reversal",
  "price_claim_reversal",
  "provision_reversal",
  "tax_credit_note",
]);

/** Reversal kinds and the kinds they reverse. */
export const REVERSES: Partial<Record<LineKind, readonly LineKind[]>> = {
  shortage_claim_reversal: ["shortage_claim", "shortage_claim_revised"],
  price_claim_reversal: ["price_claim"],
  provision_reversal: ["provision"],
};

export type RemittanceFormat = "vc-export-csv" | "vc-export-xlsx" | "vc-export-grid" | "x12-820";

export type DateOrder = "MDY" | "DMY";

/** Where a value came from, for messages and for writing results back next to the source row. */
export interface SourceRef {
  file: string;
  sheet?: string;
  /** 1-based row in the sheet/CSV, or 1-based segment position in an X12 file. */
  row: number;
}

/** How a line's kind was decided, so a reviewer can see why. */
export type ClassificationEvidence =
  | { by: "transaction_type"; value: string }
  | { by: "description"; value: string }
  | { by: "document_number"; pattern: string }
  | { by: "x12_qualifier"; value: string }
  | { by: "none" };

/** An X12 ADX adjustment (or any adjustment with an X12 element-426 reason code) on a line. */
export interface Adjustment {
  /** Signed, in minor units: negative = Amazon took money (a deduction). */
  amount: number;
  reasonCode: string;
  /** Plain-language meaning of the reason code, when known. */
  reasonText?: string;
  /** Deduction kind the reason code implies (`unknown` when the code says nothing specific). */
  kind: LineKind;
  referenceQualifier?: string;
  referenceId?: string;
  source: SourceRef;
}

export interface RemittanceLine {
  /** Vendor invoice number or Amazon's document number, kept as text exactly as issued. */
  documentNumber: string;
  /** YYYY-MM-DD, when given. */
  invoiceDate?: string;
  kind: LineKind;
  evidence: ClassificationEvidence;
  /** Signed contribution to the payment, minor units of `currency`. */
  amount: number;
  currency: string;
  /** The document's own amount (VC "Invoice Amount", X12 RMR05), when given. */
  invoiceAmount?: number;
  /** Early-payment discount Amazon took on this line (positive = taken). */
  termsDiscount: number;
  /** Tax withheld at source on this line (positive = withheld). */
  withholding: number;
  /** Balance still open on the document after this payment, when given. */
  remainingAmount?: number;
  /**
   * The document this line refers to: SC / PC / SCRSC → the vendor invoice; SCR → its SC; a provision
   * reversal → its provision; any deduction with VC's "Original Invoice Number" → that invoice.
   */
  originalDocumentNumber?: string;
  /** The vendor invoice this line ultimately concerns (the invoice itself for invoice payments). */
  invoiceNumber?: string;
  transactionType?: string;
  transactionDescription?: string;
  /** Free-text references (PO, agreement, claim ids) — kept for narrations. */
  referenceDetails?: string;
  /** X12 adjustments carried on this line (ADX under an RMR). Their sum is included in `amount`. */
  adjustments: Adjustment[];
  source: SourceRef;
}

export interface ExchangeDetails {
  paymentCurrency: string;
  /** Amount actually paid, in minor units of `paymentCurrency`. */
  paymentAmount: number;
  /** Decimal string as given (invoice currency → payment currency). */
  rate?: string;
}

export type CheckName =
  | "lines_sum_to_payment"
  | "payment_has_summary"
  | "duplicate_documents"
  | "reversal_original_present"
  | "sign_anomalies"
  | "currency_consistent"
  | "bank_deposit_matches"
  | "line_identity"
  | "payment_not_voided"
  | "x12_rmr_identity"
  | "x12_bpr_total";

export interface Check {
  name: CheckName;
  ok: boolean;
  /** How serious a failure is: an `error` blocks posting the payment, a `warning` is for review. */
  severity: "error" | "warning";
  message: string;
  /** Source rows involved in a failure. */
  rows?: number[];
}

export interface Payment {
  paymentNumber: string;
  /** YYYY-MM-DD; null only when the file has lines for a payment but no payment row. */
  paymentDate: string | null;
  /** Currency the lines are stated in (VC "Invoice Currency"). */
  currency: string;
  /** Payment amount in `currency`, minor units (VC "Amount in Invoice Currency", X12 BPR02). */
  amount: number;
  /** Present when the money moved in another currency. */
  exchange?: ExchangeDetails;
  paymentType?: string;
  paymentStatus?: string;
  voidedReason?: string;
  /** Bank deposit the user expects for this payment (optional input), minor units of the paid currency. */
  bankDeposit?: number;
  lines: RemittanceLine[];
  checks: Check[];
  source: SourceRef;
}

export interface Problem {
  severity: "error" | "warning";
  /** Stable machine code, e.g. `bad_amount`, `missing_column`, `ambiguous_dates`. */
  code: string;
  file: string;
  sheet?: string;
  row?: number;
  /** Column header as it appears in the file (or X12 element id such as RMR04). */
  column?: string;
  /** Spreadsheet cell address such as "L48", when the source is a grid. */
  cell?: string;
  message: string;
}

export interface Remittance {
  format: RemittanceFormat;
  fileName: string;
  /** Date order used for the file's numeric dates, when it had any. */
  dateOrder?: DateOrder;
  payments: Payment[];
  problems: Problem[];
}

/** True when nothing in the result blocks posting: no error problem and no failed error check. */
export function isPostable(r: Remittance): boolean {
  return (
    !r.problems.some((p) => p.severity === "error") &&
    r.payments.every((p) => p.checks.every((c) => c.ok || c.severity !== "error"))
  );
}

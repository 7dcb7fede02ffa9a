import { normaliseLabel } from "./grid";

/**
 * Column names of the Vendor Central remittance export, with the aliases seen across regions and layouts.
 * Columns are found by name (never by position), after normalising case, spaces and dashes.
 */
export const PAYMENT_COLUMNS = {
  paymentNumber: ["payment number"],
  paymentDate: ["payment date"],
  currency: ["invoice currency", "currency"],
  amount: [
    "amount in invoice currency",
    "amount",
    "payment amount",
    "amount paid",
    "net amount paid",
    "net amount",
  ],
  paymentCurrency: ["payment currency"],
  paymentAmount: ["amount in payment currency"],
  exchangeRate: ["exchange rate"],
  paymentType: ["payment type"],
  paymentStatus: ["payment status"],
  voidedReason: ["payment voided reason", "voided reason"],
} as const;

export const LINE_COLUMNS = {
  paymentNumber: ["payment number"],
  documentNumber: ["invoice number", "document number"],
  invoiceDate: ["invoice date"],
  transactionType: ["transaction type"],
  transactionDescription: ["transaction description"],
  description: ["description"],
  referenceDetails: ["reference details", "reference"],
  originalInvoiceNumber: ["original invoice number"],
  invoiceAmount: ["invoice amount"],
  currency: ["invoice currency", "currency"],
  withholding: ["withholding amount", "withholding"],
  termsDiscount: ["terms discount taken", "discount taken", "terms discount"],
  amountPaid: ["amount paid", "net amount paid"],
  remainingAmount: ["remaining amount"],
} as const;

export type PaymentField = keyof typeof PAYMENT_COLUMNS;
export type LineField = keyof typeof LINE_COLUMNS;

export const REQUIRED_PAYMENT: readonly PaymentField[] = ["paymentNumber", "paymentDate", "amount"];
export const REQUIRED_LINE: readonly LineField[] = ["paymentNumber", "documentNumber", "amountPaid"];

/** Field → { index, header as written } for one header row. */
export type ColumnMap<F extends string> = Partial<Record<F, { index: number; header: string }>>;

export function mapColumns<F extends string>(
  spec: Record<F, readonly string[]>,
  headers: readonly string[],
): ColumnMap<F> {
  const normalised = headers.map((h) => normaliseLabel(h));
  const out: ColumnMap<F> = {};
  for (const field of Object.keys(spec) as F[]) {
    // Aliases are in order of preference: the first alias present wins.
    for (const alias of spec[field]) {
      const i = normalised.indexOf(alias);
      if (i >= 0) {
        out[field] = { index: i, header: headers[i] ?? alias };
        break;
      }
    }
  }
  return out;
}

/**
 * The Xero wire shape of what VCX creates (PascalCase, as in shared/specs/xero/xero_accounting.yaml), limited
 * to the fields VCX sends. Amounts are JSON numbers made from exact 2 dp decimal strings — never computed in
 * floating point — so they serialise back to the same digits.
 */
import { minorToDecimal } from "../money";

export interface XeroTracking {
  Name: string;
  Option: string;
}

export interface XeroJournalLine {
  LineAmount: number;
  AccountCode: string;
  Description?: string;
  TaxType?: string;
  Tracking?: XeroTracking[];
}

export interface XeroManualJournal {
  Narration: string;
  Date: string;
  Status: "POSTED";
  LineAmountTypes: "NoTax" | "Inclusive";
  JournalLines: XeroJournalLine[];
  ShowOnCashBasisReports?: boolean;
}

export interface XeroContactRef {
  ContactID?: string;
  Name?: string;
}

export interface XeroLineItem {
  Description: string;
  Quantity: number;
  UnitAmount: number;
  LineAmount: number;
  AccountCode: string;
  TaxType?: string;
  Tracking?: XeroTracking[];
}

export interface XeroCreditNote {
  Type: "ACCRECCREDIT";
  Contact: XeroContactRef;
  Date: string;
  Status: "AUTHORISED";
  LineAmountTypes: "NoTax" | "Inclusive";
  LineItems: XeroLineItem[];
  Reference: string;
  CurrencyCode: string;
  CurrencyRate?: number;
}

export interface XeroDocumentRef {
  InvoiceID?: string;
  InvoiceNumber?: string;
}

export interface XeroPayment {
  /** Invoice payments. */
  Invoice?: XeroDocumentRef;
  /** Refunds of a credit note: the executor fills CreditNoteID from the credit note's key. */
  CreditNote?: { CreditNoteID?: string };
  Account: { Code: string };
  Date: string;
  Amount: number;
  Reference: string;
  CurrencyRate?: number;
}

export interface XeroAllocation {
  Invoice: XeroDocumentRef;
  Amount: number;
  Date: string;
}

export interface XeroBankTransaction {
  Type: "RECEIVE" | "SPEND";
  Contact: XeroContactRef;
  BankAccount: { Code: string };
  Date: string;
  Reference: string;
  Status: "AUTHORISED";
  LineAmountTypes: "NoTax";
  LineItems: XeroLineItem[];
  CurrencyCode: string;
  CurrencyRate?: number;
}

/** An ACCREC invoice line: ItemCode plus the account, in eaches with a 4 dp UnitAmount (sent with unitdp=4). */
export interface XeroInvoiceLineItem {
  Description: string;
  Quantity: number;
  UnitAmount: number;
  LineAmount: number;
  ItemCode?: string;
  AccountCode?: string;
  TaxType?: string;
  Tracking?: XeroTracking[];
}

/** A sales invoice (purchase orders → Xero, worker/domain/po). */
export interface XeroInvoice {
  Type: "ACCREC";
  Contact: XeroContactRef;
  InvoiceNumber: string;
  Reference: string;
  Date: string;
  DueDate: string;
  Status: "DRAFT" | "AUTHORISED";
  LineAmountTypes: "Exclusive" | "Inclusive" | "NoTax";
  LineItems: XeroInvoiceLineItem[];
  CurrencyCode: string;
}

/** 2 dp minor units → the JSON number Xero expects (exactly the decimal digits). */
export function wireAmount(minor: number): number {
  return Number(minorToDecimal(minor, 2));
}

/** Xero text fields have length limits (Reference 255, Description 4000); keep the start. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** 2 dp minor units → "12,770.00" for people. */
export function showMoney(minor: number): string {
  const [int = "", frac = ""] = minorToDecimal(minor, 2).split(".");
  const sign = int.startsWith("-") ? "-" : "";
  return `${sign}${int.replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac}`;
}

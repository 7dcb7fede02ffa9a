/**
 * Internal records as persisted. Amounts are integers: `…Cents` at 2 dp, `…4` at 4 dp.
 * Dates are UTC-midnight epoch ms; timestamps epoch ms.
 */

export type Version = "US" | "UK";

export interface Org {
  tenantId: string;
  name: string;
  shortCode: string;
  version: Version;
  baseCurrency: string;
  countryCode: string;
  timezone: string;
  defaultSalesTax: "Tax Exclusive" | "Tax Inclusive";
  periodLockDate?: number;
  endOfYearLockDate?: number;
  /** Daily call budget for this tenant (5,000; 1,000 on the Starter tier). */
  dailyLimit: number;
  nextInvoiceNo: number;
  nextCreditNoteNo: number;
  createdMs: number;
}

export interface Account {
  AccountID: string;
  Code: string;
  Name: string;
  Type: string;
  Class: string;
  TaxType: string;
  Status: "ACTIVE" | "ARCHIVED" | "DELETED";
  SystemAccount?: string;
  EnablePaymentsToAccount: boolean;
  BankAccountNumber?: string;
  Description?: string;
  updatedMs: number;
}

export interface TaxRate {
  Name: string;
  TaxType: string;
  ReportTaxType: string;
  Status: "ACTIVE" | "DELETED" | "ARCHIVED";
  /** Effective rate in units of 0.0001 % (20 % = 200000). */
  rate4: number;
  CanApplyToRevenue: boolean;
  CanApplyToExpenses: boolean;
  CanApplyToLiabilities: boolean;
  CanApplyToAssets: boolean;
  CanApplyToEquity: boolean;
}

export interface Item {
  ItemID: string;
  Code: string;
  Name: string;
  Description?: string;
  IsSold: boolean;
  IsPurchased: boolean;
  sales?: { unitPrice4?: number; AccountCode?: string; TaxType?: string };
  updatedMs: number;
}

export interface Contact {
  ContactID: string;
  Name: string;
  ContactNumber?: string;
  EmailAddress?: string;
  ContactStatus: "ACTIVE" | "ARCHIVED" | "GDPRREQUEST";
  IsCustomer: boolean;
  IsSupplier: boolean;
  updatedMs: number;
}

export interface Line {
  LineItemID: string;
  Description?: string;
  quantity4: number;
  unitAmount4: number;
  ItemCode?: string;
  AccountCode?: string;
  AccountID?: string;
  TaxType?: string;
  taxCents: number;
  lineCents: number;
  discountRate4?: number;
  Tracking?: unknown[];
}

export type LineAmountTypes = "Exclusive" | "Inclusive" | "NoTax";
export type SalesStatus = "DRAFT" | "SUBMITTED" | "AUTHORISED" | "VOIDED" | "DELETED";

/** An invoice or a credit note; PAID is never stored, it is derived from the amount due. */
export interface SalesDoc {
  id: string;
  kind: "invoice" | "creditnote";
  Type: string;
  number: string;
  Reference?: string;
  ContactID: string;
  date: number;
  dueDate?: number;
  Status: SalesStatus;
  LineAmountTypes: LineAmountTypes;
  lines: Line[];
  subTotalCents: number;
  totalTaxCents: number;
  totalCents: number;
  CurrencyCode: string;
  Url?: string;
  createdMs: number;
  updatedMs: number;
}

export interface Payment {
  PaymentID: string;
  docKind: "invoice" | "creditnote";
  docId: string;
  AccountID: string;
  date: number;
  amountCents: number;
  Reference?: string;
  Status: "AUTHORISED" | "DELETED";
  IsReconciled: boolean;
  PaymentType: "ACCRECPAYMENT" | "ARCREDITPAYMENT";
  updatedMs: number;
}

export interface Allocation {
  AllocationID: string;
  creditNoteId: string;
  invoiceId: string;
  amountCents: number;
  date: number;
  IsDeleted: boolean;
  updatedMs: number;
}

export interface JournalLine {
  AccountID: string;
  AccountCode: string;
  Description?: string;
  lineCents: number;
  TaxType?: string;
  taxCents: number;
  Tracking?: unknown[];
}

export interface ManualJournal {
  ManualJournalID: string;
  Narration: string;
  date: number;
  Status: "DRAFT" | "POSTED" | "DELETED" | "VOIDED" | "ARCHIVED";
  LineAmountTypes: LineAmountTypes;
  lines: JournalLine[];
  Url?: string;
  ShowOnCashBasisReports: boolean;
  updatedMs: number;
}

export interface BankTransaction {
  BankTransactionID: string;
  Type: "RECEIVE" | "SPEND";
  ContactID: string;
  BankAccountID: string;
  date: number;
  Reference?: string;
  Status: "AUTHORISED" | "DELETED";
  IsReconciled: boolean;
  LineAmountTypes: LineAmountTypes;
  lines: Line[];
  subTotalCents: number;
  totalTaxCents: number;
  totalCents: number;
  CurrencyCode: string;
  Url?: string;
  updatedMs: number;
}

/** An OAuth client ("app"). Custom-connection apps are bound to one tenant. */
export interface App {
  clientId: string;
  clientSecret: string;
  name: string;
  redirectUris: string[];
  customTenantId?: string;
}

export interface Connection {
  id: string;
  clientId: string;
  userId: string;
  tenantId: string;
  authEventId: string;
  /** Connected by an adviser user: exempt from the PeriodLockDate (never from EndOfYearLockDate). */
  adviser: boolean;
  createdMs: number;
  updatedMs: number;
}

export interface TokenGrant {
  token: string;
  kind: "access" | "refresh" | "code";
  clientId: string;
  userId: string;
  authEventId: string;
  scope: string;
  /** For custom connections (client_credentials) the single tenant the token is bound to. */
  customTenantId?: string;
  redirectUri?: string;
  tenantIds?: string[];
  adviser?: boolean;
  issuedMs: number;
  expiresMs: number;
  /** Refresh tokens: when it was exchanged (grace period starts); codes: when used. */
  usedMs?: number;
  revoked?: boolean;
}

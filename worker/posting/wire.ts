/**
 * Per-document-type Xero facts the engine needs: where it is sent, the plural key, the id/number fields,
 * which field carries our key (Reference or Narration; invoices: their InvoiceNumber) for look-ups, statuses that mean "not there",
 * and deep links into Xero.
 */
import type { DocumentType } from "./types";

export interface Kind {
  plural: string;
  path: string;
  idField: string;
  numberField?: string;
  /** Field holding "… | <key>" (or, for invoices, the planned number): searched when an outcome is ambiguous. */
  searchField?: "Reference" | "Narration" | "InvoiceNumber";
  /**
   * Look up by this list filter (comma-separated values of `searchField`) instead of `where`: invoices are
   * found by `InvoiceNumbers=` (their Reference is the bare PO number, not our key).
   */
  searchFilter?: "InvoiceNumbers";
  /** Statuses that mean the document is gone (voided/deleted) and may be posted again. */
  dead: string[];
  /** Batchable together under one PUT. */
  group: string;
}

export const KINDS: Record<DocumentType, Kind> = {
  Invoice: {
    plural: "Invoices",
    path: "/Invoices",
    idField: "InvoiceID",
    numberField: "InvoiceNumber",
    searchField: "InvoiceNumber",
    searchFilter: "InvoiceNumbers",
    dead: ["VOIDED", "DELETED"],
    group: "PUT /Invoices",
  },
  CreditNote: {
    plural: "CreditNotes",
    path: "/CreditNotes",
    idField: "CreditNoteID",
    numberField: "CreditNoteNumber",
    searchField: "Reference",
    dead: ["VOIDED", "DELETED"],
    group: "PUT /CreditNotes",
  },
  Allocation: {
    plural: "Allocations",
    path: "/CreditNotes/{CreditNoteID}/Allocations",
    idField: "AllocationID",
    dead: [],
    group: "allocation",
  },
  Payment: {
    plural: "Payments",
    path: "/Payments",
    idField: "PaymentID",
    searchField: "Reference",
    dead: ["DELETED"],
    group: "PUT /Payments",
  },
  RefundPayment: {
    plural: "Payments",
    path: "/Payments",
    idField: "PaymentID",
    searchField: "Reference",
    dead: ["DELETED"],
    group: "PUT /Payments",
  },
  ManualJournal: {
    plural: "ManualJournals",
    path: "/ManualJournals",
    idField: "ManualJournalID",
    searchField: "Narration",
    dead: ["VOIDED", "DELETED"],
    group: "PUT /ManualJournals",
  },
  BankTransaction: {
    plural: "BankTransactions",
    path: "/BankTransactions",
    idField: "BankTransactionID",
    searchField: "Reference",
    dead: ["VOIDED", "DELETED"],
    group: "PUT /BankTransactions",
  },
};

/** Deep link to the document in Xero's web app (for people; the id is what the engine relies on). */
export function xeroLink(type: DocumentType, id: string, extra?: { creditNoteId?: string }): string {
  const go = "https://go.xero.com";
  switch (type) {
    case "Invoice":
      return `${go}/AccountsReceivable/View.aspx?InvoiceID=${id}`;
    case "CreditNote":
      return `${go}/AccountsReceivable/ViewCreditNote.aspx?creditNoteID=${id}`;
    case "Allocation":
      return `${go}/AccountsReceivable/ViewCreditNote.aspx?creditNoteID=${extra?.creditNoteId ?? ""}`;
    case "Payment":
    case "RefundPayment":
      return `${go}/Bank/ViewTransaction.aspx?paymentID=${id}`;
    case "ManualJournal":
      return `${go}/Journal/View.aspx?invoiceID=${id}`;
    case "BankTransaction":
      return `${go}/Bank/ViewTransaction.aspx?bankTransactionID=${id}`;
  }
}

/** "/Date(1552521600000+0000)/" or "2026-02-10…" → "2026-02-10". */
export function xeroDay(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(v);
  if (ms) return new Date(Number(ms[1])).toISOString().slice(0, 10);
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(v);
  return iso?.[1];
}

/** A `where` string literal (Xero accepts C#-style escapes, which JSON's are). */
export const whereString = (s: string): string => JSON.stringify(s);

/**
 * Every sheet the add-in creates: name, Excel table name and columns. The mapping sheets come straight from
 * the core's MAPPING_SHEETS (worker/domain/mapping/sheets.ts) so the add-in and the Worker agree on headers.
 */
import { MAPPING_SHEETS, type SheetSpec } from "../../../worker/domain/mapping/sheets";

/** Lists kept on the hidden Lists sheet and used as dropdown sources. */
export const LIST_NAMES = [
  "accounts",
  "taxTypes",
  "items",
  "treatments",
  "kinds",
  "matchOn",
  "designs",
  "booleans",
] as const;
export type ListName = (typeof LIST_NAMES)[number];

export type ColumnFormat = "text" | "general" | "money" | "int" | "link";

export interface ColumnDef {
  header: string;
  /** `text` columns are formatted "@" before any value is written, so 0123 and =HYPERLINK(… stay text. */
  format: ColumnFormat;
  /** Dropdown fed from the Lists sheet. */
  list?: ListName;
  /** A fixed dropdown written inline in the validation rule (no Lists sheet needed), e.g. dispute statuses. */
  options?: readonly string[];
  required?: boolean;
}

export interface SheetDef {
  name: string;
  /** Excel table name (unique in the workbook, no spaces). */
  table: string;
  columns: readonly ColumnDef[];
  /** Mapping sheets are edited by people; the others are written by the add-in. */
  editable: boolean;
  /** Key in the Worker's mappings `sheets` object. */
  mapping?: SheetSpec["table"];
}

function listFor(header: string): ListName | undefined {
  if (header === "Kind") return "kinds";
  if (header === "Treatment") return "treatments";
  if (header === "Match On") return "matchOn";
  if (header === "Design") return "designs";
  if (header === "Create Bank Transaction") return "booleans";
  if (header === "Tax Type") return "taxTypes";
  if (header === "Item Code") return "items";
  if (header === "Account Code" || / Account$/.test(header)) return "accounts";
  return undefined;
}

function tableName(name: string): string {
  return `Vcx${name.replace(/[^A-Za-z0-9]/g, "")}`;
}

export const MAPPING_SHEET_DEFS: readonly SheetDef[] = MAPPING_SHEETS.map((spec) => ({
  name: spec.name,
  table: tableName(spec.name),
  editable: true,
  mapping: spec.table,
  columns: spec.columns.map((c): ColumnDef => {
    const list = listFor(c.header);
    // Everything a person types that is a code or an identifier is text; numbers stay numbers.
    const format: ColumnFormat = c.type === "int" ? "int" : c.type === "text" ? "text" : "general";
    return { header: c.header, format, required: c.required, ...(list ? { list } : {}) };
  }),
}));

const t = (header: string): ColumnDef => ({ header, format: "text" });
const m = (header: string): ColumnDef => ({ header, format: "money" });

export const REVIEW_SHEET: SheetDef = {
  name: "Review",
  table: "VcxReview",
  editable: false,
  columns: [
    t("Payment"),
    { header: "Row", format: "int" },
    t("Document Number"),
    t("Kind"),
    m("Amount"),
    t("Currency"),
    t("Treatment"),
    t("Account"),
    t("Matched Document"),
    t("Planned Document"),
    t("Document Key"),
    t("Exception"),
    t("Severity"),
    t("Status"),
    t("Xero ID"),
    { header: "Xero Link", format: "link" },
  ],
};

/** Control totals per payment, written beside the Review table. */
export const TOTALS_SHEET: SheetDef = {
  name: "Review",
  table: "VcxReviewTotals",
  editable: false,
  columns: [t("Payment"), t("Currency"), t("Measure"), m("Amount")],
};

/** Deductions by kind across the remittance: the chart's source. */
export const DEDUCTIONS_BY_KIND_SHEET: SheetDef = {
  name: "Review",
  table: "VcxDeductionsByKind",
  editable: false,
  columns: [t("Kind"), m("Amount")],
};

export const EXCEPTIONS_SHEET: SheetDef = {
  name: "Exceptions",
  table: "VcxExceptions",
  editable: false,
  columns: [
    t("Payment"),
    { header: "Row", format: "int" },
    t("Document Number"),
    t("Code"),
    t("Severity"),
    t("Reason"),
    t("Suggested Fix"),
    { header: "Age (days)", format: "int" },
    t("Status"),
    t("Id"),
  ],
};

export const POSTING_LOG_SHEET: SheetDef = {
  name: "Posting Log",
  table: "VcxPostingLog",
  editable: false,
  columns: [
    t("Posted At"),
    t("Posted By"),
    t("Remittance"),
    t("Job"),
    t("Document Key"),
    t("Type"),
    t("State"),
    t("Xero ID"),
    { header: "Xero Link", format: "link" },
    t("Error"),
  ],
};

export const LISTS_SHEET_NAME = "Lists";

/** Where each list lives on the hidden Lists sheet: one column per list, header in row 1. */
export function listColumn(list: ListName): number {
  return LIST_NAMES.indexOf(list);
}

/** Absolute address of a list's values for a data-validation source, e.g. =Lists!$A$2:$A$120. */
export function listSource(list: ListName, length: number): string {
  const letter = String.fromCharCode(65 + listColumn(list));
  return `=${LISTS_SHEET_NAME}!$${letter}$2:$${letter}$${Math.max(2, length + 1)}`;
}

export function mappingSheet(table: SheetDef["mapping"]): SheetDef {
  const def = MAPPING_SHEET_DEFS.find((s) => s.mapping === table);
  if (!def) throw new Error(`no mapping sheet ${table}`);
  return def;
}

const n = (header: string): ColumnDef => ({ header, format: "int" });

/** One row per purchase-order line of the latest PO preview (issue 7). */
export const PURCHASE_ORDERS_SHEET: SheetDef = {
  name: "Purchase Orders",
  table: "VcxPurchaseOrders",
  editable: false,
  columns: [
    t("PO"),
    n("Line"),
    t("ASIN"),
    t("SKU"),
    t("Item"),
    n("Ordered"),
    n("Accepted"),
    n("Received"),
    n("Invoiced Before"),
    n("Invoicing Now"),
    { header: "Unit Cost", format: "general" },
    t("Status"),
    t("Invoice Number"),
    t("Exception"),
  ],
};

/** The month-end control report's figures: one row per figure, ledger tie and difference. */
export const MONTH_END_SHEET: SheetDef = {
  name: "Month-end report",
  table: "VcxMonthEnd",
  editable: false,
  columns: [
    t("Section"),
    t("Figure"),
    t("Account"),
    t("Currency"),
    m("VCX"),
    m("Ledger"),
    m("Difference"),
    t("Status"),
  ],
};

/** Net deductions by kind for the month: the month-end chart's source, beside the figures. */
export const MONTH_END_BY_KIND_SHEET: SheetDef = {
  name: "Month-end report",
  table: "VcxMonthEndByKind",
  editable: false,
  columns: [t("Kind"), m("Amount")],
};

/** Dispute statuses, as the Worker's DISPUTE_STATUSES (worker/domain/monitoring/disputes.ts). */
export const DISPUTE_STATUS_OPTIONS = ["open", "disputed", "won", "lost", "expired"] as const;

/** One row per deduction of the dispute register (issue 9): Status and Note are edited by people. */
export const DISPUTES_SHEET: SheetDef = {
  name: "Disputes",
  table: "VcxDisputes",
  editable: true,
  columns: [
    t("Key"),
    t("Payment"),
    t("Document Number"),
    t("Kind"),
    m("Amount"),
    t("Currency"),
    t("Deadline"),
    n("Days Left"),
    { header: "Status", format: "text", options: DISPUTE_STATUS_OPTIONS },
    t("Note"),
  ],
};

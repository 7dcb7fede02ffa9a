/**
 * The mapping workbook's sheets and columns — the contract shared with the add-in, which manages the same
 * workbook. Headers are matched trimmed and case-insensitively; column order is free; unknown columns are
 * ignored (the add-in may add its own); blank rows are skipped. docs/mapping-sheets.md shows the same
 * tables with examples.
 *
 * Sheet "Deductions" — one row per rule, first match wins, the catch-all applies last:
 * | Header              | Required | Value                                                                    |
 * |---------------------|----------|--------------------------------------------------------------------------|
 * | Vendor Code         | no       | restrict the row to one vendor code (blank = all)                        |
 * | Kind                | yes      | a line kind (shortage_claim, chargeback, coop, …) or `any`               |
 * | Match On            | no       | document_number (default) · description · reference                      |
 * | Pattern             | no       | `*`/`?` wildcards on the whole value, or `re:<regex>`; case-insensitive  |
 * | Account Code        | yes      | Xero account code                                                        |
 * | Tax Type            | no       | Xero TaxType (e.g. BASEXCLUDED)                                          |
 * | Treatment           | yes      | journal · credit_note · hold                                             |
 * | Tracking 1 Name / Tracking 1 Option / Tracking 2 Name / Tracking 2 Option | no | Xero tracking   |
 * | Dispute Window Days | no       | days from the document date to dispute the deduction                     |
 * | Label               | no       | words used in journal line descriptions                                  |
 * `Kind` = any with no `Pattern` is the catch-all row; every vendor needs one.
 *
 * Sheet "SKUs" — one row per product:
 * | ASIN | Vendor SKU | Item Code (req) | Units Per Case (req, integer) | Agreed Cost Per Each (req, ≤ 4 dp) | Currency (req) | Tax Type |
 *
 * Sheet "Settings" — one row per vendor code (marketplace):
 * | Vendor Code (req) | Marketplace | Amazon Contact (req) | Amazon Contact ID | Clearing Account (req) |
 * | Bank Account (req) | Suspense Account (req) | Rounding Account (req) | Terms Discount Account (req) |
 * | Withholding Account (req) | Provisions Account (req) | Sales Account (req) | Design (req: invoice_level · summary) |
 * | Create Bank Transaction (req: TRUE/FALSE) | Tolerance (req, 2 dp, e.g. 0.05) |
 */
import { decimalToMinor, minorToDecimal } from "../money";

export type CellType = "text" | "int" | "bool" | "money2" | "money4";

export interface ColumnSpec {
  header: string;
  /** Field of the row object; tracking columns use `tracking.<i>.name|option`. */
  field: string;
  type: CellType;
  required: boolean;
}

export interface SheetSpec {
  name: string;
  /** Key in the Mappings object. */
  table: "deductions" | "skus" | "settings";
  columns: readonly ColumnSpec[];
}

const col = (header: string, field: string, type: CellType = "text", required = false): ColumnSpec => ({
  header,
  field,
  type,
  required,
});

export const DEDUCTIONS_SHEET: SheetSpec = {
  name: "Deductions",
  table: "deductions",
  columns: [
    col("Vendor Code", "vendorCode"),
    col("Kind", "kind", "text", true),
    col("Match On", "matchOn"),
    col("Pattern", "pattern"),
    col("Account Code", "accountCode", "text", true),
    col("Tax Type", "taxType"),
    col("Treatment", "treatment", "text", true),
    col("Tracking 1 Name", "tracking.0.name"),
    col("Tracking 1 Option", "tracking.0.option"),
    col("Tracking 2 Name", "tracking.1.name"),
    col("Tracking 2 Option", "tracking.1.option"),
    col("Dispute Window Days", "disputeWindowDays", "int"),
    col("Label", "label"),
  ],
};

export const SKUS_SHEET: SheetSpec = {
  name: "SKUs",
  table: "skus",
  columns: [
    col("ASIN", "asin"),
    col("Vendor SKU", "vendorSku"),
    col("Item Code", "itemCode", "text", true),
    col("Units Per Case", "unitsPerCase", "int", true),
    col("Agreed Cost Per Each", "agreedCostPerEach", "money4", true),
    col("Currency", "currency", "text", true),
    col("Tax Type", "taxType"),
  ],
};

export const SETTINGS_SHEET: SheetSpec = {
  name: "Settings",
  table: "settings",
  columns: [
    col("Vendor Code", "vendorCode", "text", true),
    col("Marketplace", "marketplace"),
    col("Amazon Contact", "amazonContact", "text", true),
    col("Amazon Contact ID", "amazonContactId"),
    col("Clearing Account", "clearingAccount", "text", true),
    col("Bank Account", "bankAccount", "text", true),
    col("Suspense Account", "suspenseAccount", "text", true),
    col("Rounding Account", "roundingAccount", "text", true),
    col("Terms Discount Account", "termsDiscountAccount", "text", true),
    col("Withholding Account", "withholdingAccount", "text", true),
    col("Provisions Account", "provisionsAccount", "text", true),
    col("Sales Account", "salesAccount", "text", true),
    col("Design", "design", "text", true),
    col("Create Bank Transaction", "createBankTransaction", "bool", true),
    col("Tolerance", "tolerance", "money2", true),
  ],
};

export const MAPPING_SHEETS: readonly SheetSpec[] = [DEDUCTIONS_SHEET, SKUS_SHEET, SETTINGS_SHEET];

/** Parse one non-blank cell text by column type; a string result is an error message. */
export function parseCell(text: string, type: CellType): { value: unknown } | string {
  switch (type) {
    case "text":
      return { value: text };
    case "int":
      return /^-?\d+$/.test(text) ? { value: Number(text) } : `"${text}" is not a whole number`;
    case "bool": {
      const t = text.toLowerCase();
      if (["true", "yes", "y", "1"].includes(t)) return { value: true };
      if (["false", "no", "n", "0"].includes(t)) return { value: false };
      return `"${text}" is not TRUE or FALSE`;
    }
    case "money2":
    case "money4": {
      const scale = type === "money2" ? 2 : 4;
      const minor = decimalToMinor(text.replace(/,/g, ""), scale);
      return minor === undefined
        ? `"${text}" is not an amount with at most ${scale} decimals`
        : { value: minor };
    }
  }
}

/** Cell text for a value when writing a workbook (inverse of parseCell). */
export function formatCell(value: unknown, type: CellType): string {
  if (value === undefined || value === null) return "";
  if (type === "bool") return value ? "TRUE" : "FALSE";
  if (type === "money2" || type === "money4") {
    return minorToDecimal(value as number, type === "money2" ? 2 : 4);
  }
  return String(value);
}

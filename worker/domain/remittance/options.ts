import type { ClassificationRule } from "./classify";
import type { DateOrder } from "./model";

export interface IngestOptions {
  /** Date order for numeric dates. When absent it comes from `marketplace`, else from the file itself. */
  dateOrder?: DateOrder;
  /** Amazon marketplace (country code such as US, CA, MX, BR, UK, DE, IN): fixes the date order. */
  marketplace?: string;
  /** Currency to assume when the file states none (older exports, X12 without CUR). */
  currency?: string;
  /** Vendor invoice numbers known elsewhere (e.g. open invoices in Xero), for suffix classification. */
  knownInvoiceNumbers?: Iterable<string>;
  /** Expected bank deposit per payment number, decimal strings in the paid currency. */
  bankDeposits?: Readonly<Record<string, string>>;
  /** The complete rule list to classify with (defaults to DEFAULT_RULES; put overrides first). */
  classificationRules?: readonly ClassificationRule[];
}

const MDY_MARKETPLACES = new Set(["US", "CA", "MX", "BR"]);

/** Date order fixed by the options, if any. */
export function optionDateOrder(o: IngestOptions): DateOrder | undefined {
  if (o.dateOrder) return o.dateOrder;
  if (o.marketplace) return MDY_MARKETPLACES.has(o.marketplace.toUpperCase()) ? "MDY" : "DMY";
  return undefined;
}

/** `--locale us|eu` (CLI, API query) → date order. */
export function localeToDateOrder(locale: string | undefined): DateOrder | undefined {
  if (!locale) return undefined;
  const l = locale.toLowerCase();
  if (l === "us" || l === "mdy") return "MDY";
  if (l === "eu" || l === "dmy") return "DMY";
  return undefined;
}

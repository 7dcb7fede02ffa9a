/**
 * The dropdown lists: reference data from the Worker (accounts, tax types, items) plus the fixed
 * vocabularies of the mapping model (kept here, not imported, so zod stays out of the pane's bundle;
 * test/addin/model/lists.test.ts checks they equal the core's).
 */
import { LINE_KINDS } from "../../../worker/domain/remittance/model";
import type { ListName } from "./sheets";

export const TREATMENT_VALUES = ["journal", "credit_note", "hold"] as const;
export const MATCH_ON_VALUES = ["document_number", "description", "reference"] as const;
export const DESIGN_VALUES = ["invoice_level", "summary"] as const;
export const RULE_KIND_VALUES = [...LINE_KINDS, "any"] as const;

export interface ReferenceData {
  accounts: { code: string; name: string; type: string; status: string }[];
  taxRates: { taxType: string; name: string; rate?: number | string }[];
  items: { code: string; name: string }[];
  refreshedAt?: string;
}

export function listsFromReference(ref: ReferenceData): Record<ListName, string[]> {
  const uniq = (xs: string[]) => [...new Set(xs.filter((x) => x !== ""))];
  return {
    accounts: uniq(ref.accounts.filter((a) => a.status !== "ARCHIVED" && a.code).map((a) => a.code)),
    taxTypes: uniq(ref.taxRates.map((t) => t.taxType)),
    items: uniq(ref.items.map((i) => i.code)),
    treatments: [...TREATMENT_VALUES],
    kinds: [...RULE_KIND_VALUES],
    matchOn: [...MATCH_ON_VALUES],
    designs: [...DESIGN_VALUES],
    booleans: ["TRUE", "FALSE"],
  };
}

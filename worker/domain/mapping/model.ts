/**
 * The mapping model: how the finance team tells VCX where each Amazon line lands in Xero. It lives in an
 * Excel workbook (one sheet per table, see ./sheets.ts and docs/mapping-sheets.md) that the add-in manages;
 * these zod schemas are the single definition both the workbook reader and the Worker validate against.
 *
 * Money here is exact: tolerance in minor units (2 dp), agreed cost per each in 1/10,000 (4 dp, Xero's
 * `unitdp=4` precision), never floats.
 */
import { z } from "zod";
import { LINE_KINDS } from "../remittance/model";

export const TREATMENTS = ["journal", "credit_note", "hold"] as const;
export type Treatment = (typeof TREATMENTS)[number];

/** What a deduction rule's pattern is tested against. */
export const MATCH_FIELDS = ["document_number", "description", "reference"] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];

export const DESIGNS = ["invoice_level", "summary"] as const;
export type Design = (typeof DESIGNS)[number];

/** Rule kind: a remittance line kind, or `any` (with no pattern: the catch-all row). */
export const RULE_KINDS = [...LINE_KINDS, "any"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

const code = z.string().trim().min(1).max(10);

export const trackingSchema = z.object({
  name: z.string().trim().min(1).max(100),
  option: z.string().trim().min(1).max(100),
});
export type Tracking = z.infer<typeof trackingSchema>;

/** `*` and `?` wildcards (case-insensitive, whole value), or a regular expression written `re:<expr>`. */
export const patternSchema = z
  .string()
  .trim()
  .min(1)
  .refine((p) => {
    if (!p.startsWith("re:")) return true;
    try {
      new RegExp(p.slice(3), "i");
      return true;
    } catch {
      return false;
    }
  }, "not a valid regular expression after re:");

export const deductionRuleSchema = z
  .object({
    /** 1-based workbook row, for messages; absent when the rule was built in code. */
    row: z.number().int().positive().optional(),
    /** Restrict the rule to one vendor code; absent = every vendor. */
    vendorCode: z.string().trim().min(1).optional(),
    kind: z.enum(RULE_KINDS),
    matchOn: z.enum(MATCH_FIELDS).default("document_number"),
    pattern: patternSchema.optional(),
    accountCode: code,
    taxType: z.string().trim().min(1).optional(),
    treatment: z.enum(TREATMENTS),
    tracking: z.array(trackingSchema).max(2).default([]),
    disputeWindowDays: z.number().int().min(0).max(3650).optional(),
    /** Human label used in journal line descriptions ("Shortage claim"). */
    label: z.string().trim().min(1).optional(),
  })
  .strict();
export type DeductionRule = z.infer<typeof deductionRuleSchema>;

export function isCatchAll(rule: DeductionRule): boolean {
  return rule.kind === "any" && rule.pattern === undefined;
}

export const skuMappingSchema = z
  .object({
    row: z.number().int().positive().optional(),
    asin: z
      .string()
      .trim()
      .regex(/^[A-Z0-9]{10}$/, "an ASIN is 10 letters or digits")
      .optional(),
    vendorSku: z.string().trim().min(1).optional(),
    itemCode: z.string().trim().min(1).max(30),
    unitsPerCase: z.number().int().positive(),
    /** Agreed cost per each in 1/10,000 of the currency unit (4 dp). */
    agreedCostPerEach: z.number().int().nonnegative(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    taxType: z.string().trim().min(1).optional(),
  })
  .strict()
  .refine((s) => s.asin !== undefined || s.vendorSku !== undefined, {
    message: "give an ASIN or a vendor SKU (or both)",
    path: ["asin"],
  });
export type SkuMapping = z.infer<typeof skuMappingSchema>;

export const settingsSchema = z
  .object({
    row: z.number().int().positive().optional(),
    vendorCode: z.string().trim().min(1),
    marketplace: z.string().trim().min(1).optional(),
    /** Contact the Amazon invoices are raised to (name as in Xero; the ID when known). */
    amazonContact: z.string().trim().min(1).max(255),
    amazonContactId: z.string().uuid().optional(),
    /** Non-bank account with "enable payments" that every remittance passes through. */
    clearingAccount: code,
    bankAccount: code,
    /** Where held lines (blocking exceptions) wait so the deposit still reconciles. */
    suspenseAccount: code,
    /** Takes the sub-cent residue of converting amounts to Xero's 2 dp and differences within tolerance. */
    roundingAccount: code,
    termsDiscountAccount: code,
    withholdingAccount: code,
    /** Balance-sheet account for provisions for receivables (never expense). */
    provisionsAccount: code,
    /** Revenue account for the gross sales line of the `summary` design. */
    salesAccount: code,
    design: z.enum(DESIGNS),
    createBankTransaction: z.boolean(),
    /** A remittance whose lines miss its payment amount by at most this (minor units) goes to rounding. */
    tolerance: z.number().int().nonnegative(),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;

export const mappingsSchema = z
  .object({
    deductions: z.array(deductionRuleSchema),
    skus: z.array(skuMappingSchema),
    settings: z.array(settingsSchema).min(1, "the Settings sheet needs at least one vendor row"),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    for (const [i, s] of m.settings.entries()) {
      if (seen.has(s.vendorCode)) {
        ctx.addIssue({
          code: "custom",
          path: ["settings", i, "vendorCode"],
          message: "duplicate vendor code",
        });
      }
      seen.add(s.vendorCode);
      const hasCatchAll = m.deductions.some(
        (r) => isCatchAll(r) && (r.vendorCode === undefined || r.vendorCode === s.vendorCode),
      );
      if (!hasCatchAll) {
        ctx.addIssue({
          code: "custom",
          path: ["deductions"],
          message: `no catch-all row (kind "any", no pattern) for vendor ${s.vendorCode}`,
        });
      }
    }
  });
export type Mappings = z.infer<typeof mappingsSchema>;
export type MappingsInput = z.input<typeof mappingsSchema>;

/** The settings row for a vendor code; with no code, the only row (ambiguous otherwise). */
export function settingsFor(m: Mappings, vendorCode?: string): Settings | undefined {
  if (vendorCode !== undefined) return m.settings.find((s) => s.vendorCode === vendorCode);
  return m.settings.length === 1 ? m.settings[0] : undefined;
}

/**
 * What the planner needs to know about the Xero organisation, read by the Worker just before planning:
 * currency, lock dates, who is connected, the chart of accounts, tax rates, items, and the state of the
 * invoices and credit notes a remittance refers to. Field names follow our camelCase model; values accept
 * what Xero returns (MS-JSON dates, money as JSON numbers) and become exact minor units and YYYY-MM-DD.
 */
import { z } from "zod";
import { decimalToMinor } from "../money";

const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/** YYYY-MM-DD, or Xero's "/Date(1552521600000+0000)/" converted to its UTC day. */
export const dateSchema = z.string().transform((s, ctx) => {
  const ms = MS_DATE.exec(s);
  if (ms) return new Date(Number(ms[1])).toISOString().slice(0, 10);
  const iso = /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(s);
  if (iso?.[1] && !Number.isNaN(Date.parse(`${iso[1]}T00:00:00Z`))) return iso[1];
  ctx.addIssue({ code: "custom", message: `"${s}" is not a date (YYYY-MM-DD)` });
  return z.NEVER;
});

/**
 * A money value as Xero sends it (JSON number) or as a decimal string → exact minor units at 2 dp.
 * Xero amounts are always 2 dp whatever the currency, so the scale is fixed here.
 */
export const xeroMoneySchema = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const minor = decimalToMinor(String(v).trim(), 2);
  if (minor === undefined) {
    ctx.addIssue({ code: "custom", message: `"${String(v)}" is not an amount with at most 2 decimals` });
    return z.NEVER;
  }
  return minor;
});

export const ACCOUNT_TYPES = [
  "BANK",
  "CURRENT",
  "CURRLIAB",
  "DEPRECIATN",
  "DIRECTCOSTS",
  "EQUITY",
  "EXPENSE",
  "FIXED",
  "INVENTORY",
  "LIABILITY",
  "NONCURRENT",
  "OTHERINCOME",
  "OVERHEADS",
  "PREPAYMENT",
  "REVENUE",
  "SALES",
  "TERMLIAB",
  "PAYGLIABILITY",
  "SUPERANNUATIONEXPENSE",
  "SUPERANNUATIONLIABILITY",
  "WAGESEXPENSE",
  "WAGESPAYABLELIABILITY",
] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export const accountSchema = z.object({
  accountId: z.string().optional(),
  code: z.string().min(1),
  name: z.string().optional(),
  type: z.enum(ACCOUNT_TYPES),
  status: z.enum(["ACTIVE", "ARCHIVED", "DELETED"]),
  enablePaymentsToAccount: z.boolean().default(false),
  /** Default tax type of the account. */
  taxType: z.string().optional(),
  /** Xero's SystemAccount (DEBTORS, CREDITORS, RETAINEDEARNINGS, ROUNDING, …). */
  systemAccount: z.string().optional(),
});
export type Account = z.infer<typeof accountSchema>;

export const taxRateSchema = z.object({
  taxType: z.string().min(1),
  name: z.string().optional(),
  status: z.enum(["ACTIVE", "DELETED", "ARCHIVED", "PENDING"]),
  canApplyToAssets: z.boolean().optional(),
  canApplyToEquity: z.boolean().optional(),
  canApplyToExpenses: z.boolean().optional(),
  canApplyToLiabilities: z.boolean().optional(),
  canApplyToRevenue: z.boolean().optional(),
});
export type TaxRate = z.infer<typeof taxRateSchema>;

export const itemSchema = z.object({
  code: z.string().min(1).max(30),
  itemId: z.string().optional(),
  name: z.string().optional(),
});

export const contactRefSchema = z.object({ contactId: z.string().optional(), name: z.string().min(1) });
export type ContactRef = z.infer<typeof contactRefSchema>;

export const INVOICE_STATUSES = ["DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED", "DELETED"] as const;

export const invoiceStateSchema = z.object({
  number: z.string().min(1),
  id: z.string().optional(),
  type: z.enum(["ACCREC", "ACCPAY"]).default("ACCREC"),
  status: z.enum(INVOICE_STATUSES),
  total: xeroMoneySchema,
  amountDue: xeroMoneySchema,
  date: dateSchema,
  currency: z.string().regex(/^[A-Z]{3}$/),
  contact: contactRefSchema.optional(),
});
export type InvoiceState = z.infer<typeof invoiceStateSchema>;

export const creditNoteStateSchema = invoiceStateSchema.omit({ amountDue: true, type: true }).extend({
  remainingCredit: xeroMoneySchema,
});
export type CreditNoteState = z.infer<typeof creditNoteStateSchema>;

export const orgSnapshotSchema = z.object({
  name: z.string().optional(),
  baseCurrency: z.string().regex(/^[A-Z]{3}$/),
  periodLockDate: dateSchema.optional(),
  endOfYearLockDate: dateSchema.optional(),
  /** The connection was made by an Adviser user, who may post inside PeriodLockDate. */
  isAdviser: z.boolean().default(false),
  accounts: z.array(accountSchema),
  taxRates: z.array(taxRateSchema).default([]),
  items: z.array(itemSchema).default([]),
  contacts: z.array(contactRefSchema).default([]),
  invoices: z.array(invoiceStateSchema).default([]),
  creditNotes: z.array(creditNoteStateSchema).default([]),
});
export type OrgSnapshot = z.infer<typeof orgSnapshotSchema>;
export type OrgSnapshotInput = z.input<typeof orgSnapshotSchema>;

export type OrgResult = { ok: true; org: OrgSnapshot } | { ok: false; errors: string[] };

/** Validate a snapshot (parsed JSON); errors carry their JSON path. */
export function parseOrgSnapshot(json: unknown): OrgResult {
  const r = orgSnapshotSchema.safeParse(json);
  if (r.success) return { ok: true, org: r.data };
  return { ok: false, errors: r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`) };
}

/** Xero stores every amount at 2 dp; the remittance may not (JPY 0 dp, KWD 3 dp). */
export const XERO_SCALE = 2;

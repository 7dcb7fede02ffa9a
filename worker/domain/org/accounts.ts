/**
 * Xero's rules about which account may be used where, checked before planning rather than discovered as a
 * 400 at posting time. Each check returns a plain reason or undefined.
 */
import type { Account, AccountType, OrgSnapshot, TaxRate } from "./model";

export type AccountClass = "ASSET" | "LIABILITY" | "EQUITY" | "EXPENSE" | "REVENUE";

const CLASS_OF: Record<AccountType, AccountClass> = {
  BANK: "ASSET",
  CURRENT: "ASSET",
  FIXED: "ASSET",
  INVENTORY: "ASSET",
  NONCURRENT: "ASSET",
  PREPAYMENT: "ASSET",
  CURRLIAB: "LIABILITY",
  LIABILITY: "LIABILITY",
  TERMLIAB: "LIABILITY",
  PAYGLIABILITY: "LIABILITY",
  SUPERANNUATIONLIABILITY: "LIABILITY",
  WAGESPAYABLELIABILITY: "LIABILITY",
  EQUITY: "EQUITY",
  DEPRECIATN: "EXPENSE",
  DIRECTCOSTS: "EXPENSE",
  EXPENSE: "EXPENSE",
  OVERHEADS: "EXPENSE",
  SUPERANNUATIONEXPENSE: "EXPENSE",
  WAGESEXPENSE: "EXPENSE",
  OTHERINCOME: "REVENUE",
  REVENUE: "REVENUE",
  SALES: "REVENUE",
};

export function accountClass(type: AccountType): AccountClass {
  return CLASS_OF[type];
}

/** System accounts Xero refuses in manual journals (AR, AP, retained earnings). */
const JOURNAL_FORBIDDEN_SYSTEM = new Set(["DEBTORS", "CREDITORS", "RETAINEDEARNINGS"]);

export type AccountUse = "journal" | "payment_source" | "bank" | "credit_note_line" | "bank_line";

/** Lookup tables over a snapshot, built once per plan. */
export class OrgIndex {
  readonly accounts: ReadonlyMap<string, Account>;
  readonly taxRates: ReadonlyMap<string, TaxRate>;

  constructor(readonly org: OrgSnapshot) {
    this.accounts = new Map(org.accounts.map((a) => [a.code, a]));
    this.taxRates = new Map(org.taxRates.map((t) => [t.taxType, t]));
  }

  /** Why `code` cannot be used for `use`, or undefined when it can. */
  accountProblem(code: string, use: AccountUse): string | undefined {
    const a = this.accounts.get(code);
    if (!a) return `account ${code} does not exist in Xero`;
    if (a.status !== "ACTIVE") return `account ${code} is ${a.status.toLowerCase()}`;
    switch (use) {
      case "journal":
        if (a.type === "BANK" || a.type === "INVENTORY")
          return `account ${code} is a ${a.type} account, not allowed in manual journals`;
        if (a.systemAccount && JOURNAL_FORBIDDEN_SYSTEM.has(a.systemAccount)) {
          return `account ${code} is the ${a.systemAccount} system account, not allowed in manual journals`;
        }
        return undefined;
      case "payment_source":
        if (a.type === "BANK")
          return `account ${code} is a bank account; VCX pays through a clearing account`;
        if (!a.enablePaymentsToAccount)
          return `account ${code} does not have "enable payments to this account"`;
        return this.accountProblem(code, "journal");
      case "bank":
        return a.type === "BANK" ? undefined : `account ${code} is not a bank account`;
      case "credit_note_line":
      case "bank_line":
        if (a.type === "BANK") return `account ${code} is a bank account`;
        if (a.systemAccount && JOURNAL_FORBIDDEN_SYSTEM.has(a.systemAccount))
          return `account ${code} is a system account`;
        return undefined;
    }
  }

  /** Why `taxType` cannot be used on account `code`, or undefined. */
  taxTypeProblem(taxType: string, code: string): string | undefined {
    const rate = this.taxRates.get(taxType);
    if (!rate) return `tax type ${taxType} does not exist in Xero`;
    if (rate.status !== "ACTIVE") return `tax type ${taxType} is ${rate.status.toLowerCase()}`;
    const account = this.accounts.get(code);
    if (!account) return undefined;
    const flag = {
      ASSET: rate.canApplyToAssets,
      LIABILITY: rate.canApplyToLiabilities,
      EQUITY: rate.canApplyToEquity,
      EXPENSE: rate.canApplyToExpenses,
      REVENUE: rate.canApplyToRevenue,
    }[accountClass(account.type)];
    return flag === false ? `tax type ${taxType} cannot be used with account ${code}` : undefined;
  }
}

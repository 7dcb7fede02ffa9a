/**
 * Settlement posting planner: (remittance, mappings, organisation snapshot, keys already posted) → Plan.
 * Pure and deterministic: no clock, no I/O; the same inputs give the same documents, keys and order.
 */
import { type Mappings, type Settings, settingsFor } from "../mapping/model";
import { type AccountUse, OrgIndex } from "../org/accounts";
import { datingFor } from "../org/lock-dates";
import type { OrgSnapshot } from "../org/model";
import type { Payment, Remittance } from "../remittance/model";
import { isValidRate } from "./amounts";
import { planChecks } from "./checks";
import type { PaymentResult } from "./common";
import { planInvoiceLevel } from "./invoice-level";
import type { LineOutcome, PaymentPlanSummary, Plan, PlanException, PlannedDocument } from "./model";
import { PaymentScope, type PlanState } from "./scope";
import { planSummary } from "./summary";
import type { XeroContactRef } from "./wire";

export interface PlanOptions {
  /** Which Settings row applies; optional when the workbook has exactly one. */
  vendorCode?: string;
  /** Keys the Worker has already posted: those documents are left out of `documents`. */
  alreadyPosted?: Iterable<string>;
}

export class PlanError extends Error {
  override name = "PlanError";
}

/** Settings accounts that must be usable, with how they are used. */
function settingsProblems(s: Settings, org: OrgIndex): string[] {
  const uses: [string, string, AccountUse][] = [
    ["clearing account", s.clearingAccount, "payment_source"],
    ["suspense account", s.suspenseAccount, "journal"],
    ["rounding account", s.roundingAccount, "journal"],
    ["terms discount account", s.termsDiscountAccount, "journal"],
    ["withholding account", s.withholdingAccount, "journal"],
    ["provisions account", s.provisionsAccount, "journal"],
  ];
  if (s.design === "summary") uses.push(["sales account", s.salesAccount, "journal"]);
  if (s.createBankTransaction) uses.push(["bank account", s.bankAccount, "bank"]);
  const problems: string[] = [];
  for (const [what, code, use] of uses) {
    const p = org.accountProblem(code, use);
    if (p) problems.push(`${what}: ${p}`);
  }
  return problems;
}

function contactOf(s: Settings, org: OrgSnapshot): XeroContactRef {
  const id = s.amazonContactId ?? org.contacts.find((c) => c.name === s.amazonContact)?.contactId;
  return id !== undefined ? { ContactID: id } : { Name: s.amazonContact };
}

function paymentBlocked(p: Payment, state: PlanState, settingsIssues: string[]): PlanException | undefined {
  const at = { paymentNumber: p.paymentNumber, severity: "blocking" as const };
  const voidedCheck = p.checks.find((c) => c.name === "payment_not_voided" && !c.ok);
  if (voidedCheck || (p.paymentStatus !== undefined && /void/i.test(p.paymentStatus))) {
    return {
      ...at,
      code: "payment_voided",
      reason: `Payment ${p.paymentNumber} is voided by Amazon; nothing is posted`,
      fix: "Nothing to do; post the replacement payment when it arrives.",
    };
  }
  if (p.paymentDate === null) {
    return {
      ...at,
      code: "payment_without_date",
      reason: `Payment ${p.paymentNumber} has lines but no payment row, so no date`,
      fix: "Export the remittance again including the payments section, then re-plan.",
    };
  }
  if (settingsIssues.length > 0) {
    return {
      ...at,
      code: "settings_invalid",
      reason: `The Settings row for ${state.vendorCode} cannot be used: ${settingsIssues.join("; ")}`,
      fix: "Fix the Settings sheet (or the accounts in Xero) and re-plan.",
    };
  }
  const base = state.org.org.baseCurrency;
  if (p.currency !== base) {
    const ex = p.exchange;
    if (!ex || ex.paymentCurrency !== base || ex.rate === undefined || !isValidRate(ex.rate)) {
      return {
        ...at,
        code: "currency_mismatch",
        reason: `Payment ${p.paymentNumber} is in ${p.currency}; Xero journals are in the base currency ${base} and the remittance gives no rate into ${base}`,
        fix: `Export the remittance with its exchange rate (payment currency ${base}), then re-plan.`,
      };
    }
  }
  return undefined;
}

function summarise(scope: PaymentScope, result: PaymentResult): PaymentPlanSummary {
  const byKind: Record<string, number> = {};
  let gross = 0;
  for (const x of scope.lines) {
    if (x.line.kind === "invoice_payment") {
      gross += x.amount + x.discount + x.withholding;
      if (x.discount !== 0) byKind["terms_discount"] = (byKind["terms_discount"] ?? 0) - x.discount;
      if (x.withholding !== 0) byKind["withholding"] = (byKind["withholding"] ?? 0) - x.withholding;
    } else if (x.amount !== 0) {
      byKind[x.line.kind] = (byKind[x.line.kind] ?? 0) + x.amount;
    }
  }
  return {
    paymentNumber: scope.paymentNumber,
    design: scope.settings.design,
    date: scope.date,
    ...(scope.dateNote ? { dateNote: scope.dateNote } : {}),
    currency: scope.payment.currency,
    gross,
    deductionsByKind: byKind,
    net: scope.net,
    held: result.outcomes.filter((o) => o.held).reduce((s, o) => s + o.amount, 0),
    documentKeys: result.documents.map((d) => d.key),
    planned: true,
  };
}

export function planSettlement(
  remittance: Remittance,
  mappings: Mappings,
  org: OrgSnapshot,
  options: PlanOptions = {},
): Plan {
  const settings = settingsFor(mappings, options.vendorCode);
  if (!settings) {
    throw new PlanError(
      options.vendorCode === undefined
        ? `the Settings sheet has ${mappings.settings.length} vendor rows; say which vendor code to plan for`
        : `no Settings row for vendor code ${options.vendorCode}`,
    );
  }
  const index = new OrgIndex(org);
  const state: PlanState = {
    vendorCode: settings.vendorCode,
    settings,
    rules: mappings.deductions,
    org: index,
    invoices: new Map(org.invoices.filter((i) => i.type === "ACCREC").map((i) => [i.number, i])),
    remainingDue: new Map(),
    exceptions: [],
    contact: contactOf(settings, org),
  };
  const settingsIssues = settingsProblems(settings, index);

  const all: PlannedDocument[] = [];
  const lines: LineOutcome[] = [];
  const payments: PaymentPlanSummary[] = [];
  const netByPayment = new Map<string, number>();
  for (const payment of remittance.payments) {
    const blocked = paymentBlocked(payment, state, settingsIssues);
    if (blocked || payment.paymentDate === null) {
      if (blocked) state.exceptions.push(blocked);
      payments.push({
        paymentNumber: payment.paymentNumber,
        design: settings.design,
        date: payment.paymentDate,
        currency: payment.currency,
        gross: 0,
        deductionsByKind: {},
        net: 0,
        held: 0,
        documentKeys: [],
        planned: false,
      });
      continue;
    }
    const dating = datingFor(org, payment.paymentDate);
    const rate = payment.currency !== org.baseCurrency ? payment.exchange?.rate : undefined;
    const scope = new PaymentScope(state, payment, dating.date, dating.note, rate);
    if (dating.note) {
      scope.raise(
        "period_locked",
        "warning",
        undefined,
        dating.note,
        "Nothing to do: the documents say why they are dated later. Ask your adviser if the period should be reopened instead.",
      );
    }
    const result = settings.design === "invoice_level" ? planInvoiceLevel(scope) : planSummary(scope);
    all.push(...result.documents);
    lines.push(...result.outcomes);
    payments.push(summarise(scope, result));
    netByPayment.set(payment.paymentNumber, scope.netBase);
  }

  const posted = new Set(options.alreadyPosted ?? []);
  const checks = planChecks(all, {
    org,
    clearingAccount: settings.clearingAccount,
    netByPayment,
    alreadyPosted: new Set(),
  });
  return {
    vendorCode: settings.vendorCode,
    documents: all.filter((d) => !posted.has(d.key)),
    alreadyPosted: all.filter((d) => posted.has(d.key)).map((d) => d.key),
    payments,
    lines,
    exceptions: state.exceptions,
    checks,
  };
}

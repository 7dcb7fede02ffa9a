/**
 * Drift detection: pure checks over plain inputs the Worker gathers (a new remittance, the mapping
 * workbook, an org snapshot, what VCX posted and what Xero says now, job and connection records, the API
 * budget, the remittance history). Each returns alerts with stable ids (see ./alerts.ts).
 */
import { matchDeduction } from "../mapping/match";
import type { Mappings, Settings } from "../mapping/model";
import { formatMoney, minorToDecimal } from "../money";
import type { OrgSnapshot } from "../org/model";
import { kindLabel } from "../plan/assess";
import type { Remittance, RemittanceLine } from "../remittance/model";
import { type Alert, dedupeAlerts, makeAlert } from "./alerts";
import { type DeductionHistory, orphanReversals } from "./history";

// ————— New deduction codes and descriptions; lines falling to the catch-all —————

/** What VCX has already seen for an organisation: deduction code shapes and descriptions. */
export interface KnownDeductions {
  /** `deductionCode(line)` values seen before. */
  codes: readonly string[];
  /** `deductionDescription(line)` values seen before. */
  descriptions: readonly string[];
}

/**
 * A deduction's code: its kind plus the shape of its document number — digit runs become `#`, and the
 * vendor invoice number a claim is built on becomes `{invoice}` — so `123VCBSINV` and `98VCBSINV` are the
 * same code, `INV-BSC` and `INV-QSC` too, while a new suffix or prefix Amazon starts using is new.
 */
export function deductionCode(line: RemittanceLine): string {
  let shape = line.documentNumber.trim().toUpperCase();
  const base = (line.invoiceNumber ?? line.originalDocumentNumber)?.trim().toUpperCase();
  if (base && base !== shape && shape.startsWith(base)) shape = `{invoice}${shape.slice(base.length)}`;
  shape = shape.replace(/\d+/g, "#").replace(/\s+/g, " ");
  return `${line.kind}:${shape}`;
}

/** A deduction's description: transaction type and description, trimmed and lower-cased. */
export function deductionDescription(line: RemittanceLine): string {
  return [line.transactionType, line.transactionDescription]
    .map((s) => (s ?? "").trim().replace(/\s+/g, " ").toLowerCase())
    .join(" | ");
}

const isDeduction = (l: RemittanceLine) => l.kind !== "invoice_payment";

/** Add a remittance's codes and descriptions to what is known (to store after the alerts are raised). */
export function learnDeductions(known: KnownDeductions, remittance: Remittance): KnownDeductions {
  const codes = new Set(known.codes);
  const descriptions = new Set(known.descriptions);
  for (const p of remittance.payments)
    for (const l of p.lines.filter(isDeduction)) {
      codes.add(deductionCode(l));
      if (deductionDescription(l) !== " | ") descriptions.add(deductionDescription(l));
    }
  return { codes: [...codes].sort(), descriptions: [...descriptions].sort() };
}

export interface DeductionDriftInput {
  organisationId?: string;
  remittance: Remittance;
  known: KnownDeductions;
  mappings: Mappings;
  vendorCode: string;
}

/**
 * Deduction codes or descriptions never seen before, and lines only the catch-all row (or nothing) maps.
 * One alert per code / description / unmapped code, however many lines share it.
 */
export function deductionDriftAlerts(input: DeductionDriftInput): Alert[] {
  const { remittance, known, organisationId } = input;
  const codes = new Set(known.codes);
  const descriptions = new Set(known.descriptions);
  const byKey = new Map<string, { alert: Parameters<typeof makeAlert>[0]; docs: string[] }>();
  const add = (key: string, spec: Parameters<typeof makeAlert>[0], doc: string) => {
    const e = byKey.get(key);
    if (e) {
      if (!e.docs.includes(doc)) e.docs.push(doc);
    } else byKey.set(key, { alert: spec, docs: [doc] });
  };
  for (const p of remittance.payments) {
    for (const l of p.lines.filter(isDeduction)) {
      const code = deductionCode(l);
      const description = deductionDescription(l);
      const money = `${formatMoney(-l.amount, l.currency)} ${l.currency}`;
      const where = { paymentNumber: p.paymentNumber, file: remittance.fileName, row: l.source.row };
      if (!codes.has(code)) {
        add(
          `code:${code}`,
          {
            kind: "new_deduction_code",
            severity: "warning",
            organisationId,
            subject: code,
            message: `Amazon used a deduction number VCX has not seen before: ${l.documentNumber} (${kindLabel(l.kind)}, ${money}) in payment ${p.paymentNumber}`,
            action:
              "Check the deduction in Vendor Central; if it is a new kind of charge, add a row for it to the Deductions sheet and re-plan.",
            details: { code, documentNumber: l.documentNumber, ...where },
          },
          l.documentNumber,
        );
      }
      if (description !== " | " && !descriptions.has(description)) {
        add(
          `description:${description}`,
          {
            kind: "new_deduction_description",
            severity: "info",
            organisationId,
            subject: description,
            message: `Amazon used a deduction description VCX has not seen before: "${[l.transactionType, l.transactionDescription].filter(Boolean).join(" / ")}" on ${l.documentNumber}`,
            action:
              "Check that VCX classified it as you expect (see the Deductions sheet); add a row matching the description if not.",
            details: { description, documentNumber: l.documentNumber, kind: l.kind, ...where },
          },
          l.documentNumber,
        );
      }
      const match = matchDeduction(input.mappings.deductions, l, input.vendorCode);
      if (!match || match.catchAll || l.kind === "unknown") {
        add(
          `unmapped:${code}`,
          {
            kind: "unmapped_deduction",
            severity: "warning",
            organisationId,
            subject: code,
            message: `${l.documentNumber} (${kindLabel(l.kind)}, ${money}) has no row of its own in the Deductions sheet${match ? `; it falls to the catch-all account ${match.rule.accountCode}` : " and there is no catch-all row"}`,
            action:
              l.kind === "unknown"
                ? "Add a Deductions row with a pattern for this document number or description so VCX classifies it, then re-plan."
                : `Add a Deductions row for kind ${l.kind} pointing at the right account, then re-plan.`,
            details: {
              code,
              documentNumber: l.documentNumber,
              kind: l.kind,
              catchAllAccount: match?.rule.accountCode,
              ...where,
            },
          },
          l.documentNumber,
        );
      }
    }
  }
  return [...byKey.values()].map(({ alert, docs }) =>
    makeAlert({
      ...alert,
      details: { ...alert.details, lines: docs.length, documents: docs.slice(0, 10).join(", ") },
    }),
  );
}

// ————— Mappings pointing at archived or missing accounts —————

const SETTINGS_ACCOUNTS: [keyof Settings, string][] = [
  ["clearingAccount", "Clearing account"],
  ["bankAccount", "Bank account"],
  ["suspenseAccount", "Suspense account"],
  ["roundingAccount", "Rounding account"],
  ["termsDiscountAccount", "Terms discount account"],
  ["withholdingAccount", "Withholding account"],
  ["provisionsAccount", "Provisions account"],
  ["salesAccount", "Sales account"],
];

/** Every mapping (deduction row or Settings account) whose account is archived, deleted or gone from Xero. */
export function archivedAccountAlerts(
  mappings: Mappings,
  org: Pick<OrgSnapshot, "accounts">,
  organisationId?: string,
): Alert[] {
  const accounts = new Map(org.accounts.map((a) => [a.code, a]));
  const uses = new Map<string, string[]>();
  const note = (code: string, where: string) => uses.set(code, [...(uses.get(code) ?? []), where]);
  for (const r of mappings.deductions) {
    const label = r.label ?? (r.kind === "any" ? "catch-all" : kindLabel(r.kind));
    note(
      r.accountCode,
      `Deductions row ${r.row ?? "?"} (${label}${r.vendorCode ? `, vendor ${r.vendorCode}` : ""})`,
    );
  }
  for (const s of mappings.settings)
    for (const [field, label] of SETTINGS_ACCOUNTS) {
      if (field === "salesAccount" && s.design !== "summary") continue;
      if (field === "bankAccount" && !s.createBankTransaction) continue;
      note(String(s[field]), `Settings ${label} for vendor ${s.vendorCode}`);
    }
  const out: Alert[] = [];
  for (const [code, where] of [...uses.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const a = accounts.get(code);
    if (a && a.status === "ACTIVE") continue;
    const state = a ? a.status.toLowerCase() : "missing";
    out.push(
      makeAlert({
        kind: "archived_account",
        severity: "critical",
        organisationId,
        subject: code,
        idParts: [state],
        message: `Account ${code}${a?.name ? ` (${a.name})` : ""} ${a ? `is ${state} in Xero` : "no longer exists in Xero"}, but the mapping still uses it: ${where.join("; ")}`,
        action: `Point ${where.length > 1 ? "these rows" : "this row"} at an active account in the mapping workbook (or restore the account in Xero); until then the lines are held in suspense.`,
        details: { accountCode: code, status: state, usedBy: where.join("; ") },
      }),
    );
  }
  return out;
}

// ————— Xero-side changes to documents VCX posted —————

/** Xero amounts are always 2 dp. */
const dec = (minor: number) => minorToDecimal(minor, 2);

/** A document VCX posted (as the posting engine records it). */
export interface PostedDocument {
  /** VCX document key (Idempotency-Key). */
  key: string;
  type: string;
  /** Xero's id for it (InvoiceID, CreditNoteID, PaymentID, ManualJournalID, BankTransactionID). */
  xeroId: string;
  /** Invoice/credit note number or reference, for messages. */
  number?: string;
  /** Total VCX posted, Xero minor units (2 dp). */
  amount: number;
  currency: string;
  /** YYYY-MM-DD. */
  date?: string;
}

/** What Xero says about a document now (from a webhook fetch or the scheduled comparison). */
export interface XeroDocumentNow {
  xeroId: string;
  /** Xero status: AUTHORISED, PAID, VOIDED, DELETED, POSTED, … */
  status: string;
  /** Current total, Xero minor units; absent when unknown. */
  amount?: number;
  /** ISO timestamp of Xero's UpdatedDateUTC, when known. */
  updatedAt?: string;
}

export interface XeroChangeOptions {
  organisationId?: string;
  /**
   * True when `now` covers every posted document (a full comparison): a document Xero no longer returns
   * is then treated as deleted. False (default) for webhook batches that cover a few.
   */
  complete?: boolean;
}

/** Documents VCX posted that were since voided, deleted or had their amount edited in Xero. */
export function xeroChangeAlerts(
  posted: readonly PostedDocument[],
  now: readonly XeroDocumentNow[],
  options: XeroChangeOptions = {},
): Alert[] {
  const current = new Map(now.map((d) => [d.xeroId, d]));
  const out: Alert[] = [];
  for (const p of posted) {
    const d = current.get(p.xeroId);
    const what = `${p.type}${p.number ? ` ${p.number}` : ""}`;
    const base = {
      organisationId: options.organisationId,
      subject: p.key,
      details: {
        key: p.key,
        type: p.type,
        xeroId: p.xeroId,
        number: p.number,
        postedAmount: dec(p.amount),
        currency: p.currency,
        date: p.date,
        updatedAt: d?.updatedAt,
      },
    };
    const status = d?.status.toUpperCase();
    if (status === "VOIDED") {
      out.push(
        makeAlert({
          ...base,
          kind: "xero_document_voided",
          severity: "critical",
          message: `${what} that VCX posted (${p.currency} ${dec(p.amount)}) was voided in Xero`,
          action:
            "Find out who voided it and why. If it was a mistake, undo the remittance in VCX and post it again; if it was deliberate, record the correction so clearing still nets to zero.",
        }),
      );
    } else if (status === "DELETED" || (d === undefined && options.complete)) {
      out.push(
        makeAlert({
          ...base,
          kind: "xero_document_deleted",
          severity: "critical",
          message: `${what} that VCX posted (${p.currency} ${dec(p.amount)}) ${d ? "was deleted in Xero" : "is no longer in Xero"}`,
          action:
            "Find out who deleted it. Undo the remittance in VCX and post it again so the ledger matches the remittance.",
        }),
      );
    } else if (d?.amount !== undefined && d.amount !== p.amount) {
      out.push(
        makeAlert({
          ...base,
          kind: "xero_amount_edited",
          severity: "critical",
          idParts: [String(d.amount)],
          message: `${what} was changed in Xero from ${p.currency} ${dec(p.amount)} to ${dec(d.amount)}`,
          action:
            "Ask who changed it. Amounts VCX posts come from the remittance: put the amount back, or undo and re-post the remittance if the remittance itself was wrong.",
          details: { ...base.details, xeroAmount: dec(d.amount) },
        }),
      );
    }
  }
  return out;
}

// ————— Posting jobs failed or stuck —————

export interface JobRecord {
  id: string;
  /** e.g. "post-remittance", "import-po", "refresh-snapshot". */
  type: string;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  /** ISO timestamps. */
  createdAt: string;
  startedAt?: string;
  updatedAt: string;
  attempts?: number;
  error?: string;
  /** What the job is about, e.g. the payment number. */
  subject?: string;
  organisationId?: string;
}

export interface JobAlertOptions {
  /** ISO timestamp of now (the caller's clock). */
  now: string;
  /** A running job with no progress for this long is stuck (default 30). */
  runningStuckMinutes?: number;
  /** A queued job not started for this long is stuck (default 60). */
  queuedStuckMinutes?: number;
}

export function jobAlerts(jobs: readonly JobRecord[], options: JobAlertOptions): Alert[] {
  const now = Date.parse(options.now);
  const running = (options.runningStuckMinutes ?? 30) * 60_000;
  const queued = (options.queuedStuckMinutes ?? 60) * 60_000;
  const out: Alert[] = [];
  for (const j of jobs) {
    const about = `${j.type} job ${j.id}${j.subject ? ` (${j.subject})` : ""}`;
    const details = {
      jobId: j.id,
      type: j.type,
      status: j.status,
      subject: j.subject,
      attempts: j.attempts,
      updatedAt: j.updatedAt,
      error: j.error,
    };
    if (j.status === "failed") {
      out.push(
        makeAlert({
          kind: "job_failed",
          severity: "critical",
          organisationId: j.organisationId,
          subject: j.id,
          message: `The ${about} failed${j.attempts ? ` after ${j.attempts} attempt${j.attempts > 1 ? "s" : ""}` : ""}: ${j.error ?? "no reason given"}`,
          action:
            "Open the remittance in VCX, fix what the error names (often an exception to resolve or a connection to renew), then post again — documents already posted are skipped.",
          details,
        }),
      );
      continue;
    }
    const since =
      j.status === "running"
        ? Date.parse(j.updatedAt)
        : j.status === "queued"
          ? Date.parse(j.createdAt)
          : NaN;
    const limit = j.status === "running" ? running : queued;
    if (!Number.isNaN(since) && now - since > limit) {
      const minutes = Math.floor((now - since) / 60_000);
      out.push(
        makeAlert({
          kind: "job_stuck",
          severity: "warning",
          organisationId: j.organisationId,
          subject: j.id,
          message: `The ${about} has been ${j.status} for ${minutes} minutes without progress`,
          action:
            "Check the organisation's health (connection and API budget). If it stays stuck, cancel it and post again; documents already posted are skipped.",
          details: { ...details, minutes },
        }),
      );
    }
  }
  return out;
}

// ————— Connections needing re-consent —————

export interface ConnectionRecord {
  organisationId: string;
  organisationName?: string;
  status: "active" | "needs_reconsent" | "revoked" | "expired" | "disconnected";
  /** ISO timestamp after which the refresh token is unusable (60 days after the last refresh). */
  refreshTokenExpiresAt?: string;
  lastError?: string;
}

const CONNECTION_STATE: Record<ConnectionRecord["status"], string> = {
  active: "is working",
  needs_reconsent: "needs someone to approve VCX's access again",
  revoked: "was disconnected from Xero's side",
  expired: "has expired",
  disconnected: "is disconnected",
};

export function connectionAlerts(
  connections: readonly ConnectionRecord[],
  options: { now: string; warnDays?: number },
): Alert[] {
  const now = Date.parse(options.now);
  const warn = (options.warnDays ?? 7) * 86_400_000;
  const out: Alert[] = [];
  for (const c of connections) {
    const name = c.organisationName ?? c.organisationId;
    const expires = c.refreshTokenExpiresAt ? Date.parse(c.refreshTokenExpiresAt) : NaN;
    const base = {
      kind: "connection_reconsent" as const,
      organisationId: c.organisationId,
      subject: c.organisationId,
      action:
        "Someone with Xero access to this organisation signs in to VCX again (Connect to Xero) and approves the access; nothing posts until then.",
      details: { status: c.status, refreshTokenExpiresAt: c.refreshTokenExpiresAt, lastError: c.lastError },
    };
    if (c.status !== "active") {
      out.push(
        makeAlert({
          ...base,
          severity: "critical",
          idParts: [c.status],
          message: `The Xero connection for ${name} ${CONNECTION_STATE[c.status]}${c.lastError ? ` (${c.lastError})` : ""}`,
        }),
      );
    } else if (!Number.isNaN(expires) && expires - now <= warn) {
      const days = Math.max(0, Math.ceil((expires - now) / 86_400_000));
      out.push(
        makeAlert({
          ...base,
          severity: expires <= now ? "critical" : "warning",
          idParts: ["expiring", c.refreshTokenExpiresAt ?? ""],
          message:
            expires <= now
              ? `The Xero connection for ${name} has expired (not used for 60 days)`
              : `The Xero connection for ${name} expires in ${days} day${days === 1 ? "" : "s"} unless VCX uses it`,
        }),
      );
    }
  }
  return out;
}

// ————— Daily API budget —————

export interface ApiBudget {
  organisationId: string;
  organisationName?: string;
  /** The budget's day (YYYY-MM-DD in the tenant's reset window). */
  day: string;
  /** Xero's X-DayLimit-Remaining. */
  remaining: number;
  /** Calls per day for this organisation (5,000; 1,000 on the Starter tier). */
  limit: number;
}

/** Below 20 % left: warning; below 5 %: critical. One alert per organisation, day and level. */
export function apiBudgetAlerts(
  budgets: readonly ApiBudget[],
  thresholds: { warning?: number; critical?: number } = {},
): Alert[] {
  const warning = thresholds.warning ?? 0.2;
  const critical = thresholds.critical ?? 0.05;
  const out: Alert[] = [];
  for (const b of budgets) {
    const share = b.limit > 0 ? b.remaining / b.limit : 0;
    if (share >= warning) continue;
    const level = share < critical ? "critical" : "warning";
    out.push(
      makeAlert({
        kind: "api_budget_low",
        severity: level,
        organisationId: b.organisationId,
        subject: `${b.organisationId}:${b.day}`,
        idParts: [level],
        message: `${b.organisationName ?? b.organisationId} has ${b.remaining} of its ${b.limit} Xero API calls left today (${Math.floor(share * 100)} %)`,
        action:
          level === "critical"
            ? "Postings will pause when the budget runs out and resume after Xero's daily reset; hold large uploads until tomorrow."
            : "Spread large uploads over days; VCX posts what it can and resumes after the daily reset.",
        details: { day: b.day, remaining: b.remaining, limit: b.limit },
      }),
    );
  }
  return out;
}

// ————— Reversals whose originals were never seen —————

export function orphanReversalAlerts(history: DeductionHistory, organisationId?: string): Alert[] {
  return orphanReversals(history).map((l) =>
    makeAlert({
      kind: "orphan_reversal",
      severity: "warning",
      organisationId,
      subject: l.line.id,
      message: `${l.line.documentNumber} (${kindLabel(l.line.kind)}, ${formatMoney(l.line.amount, l.line.currency)} ${l.line.currency}) in payment ${l.line.paymentNumber} reverses ${l.line.originalDocumentNumber ?? "a deduction"}, which is in no remittance VCX has`,
      action:
        "Upload the earlier remittance that holds the original (Vendor Central → Payments), so the reversal can be matched; the reversal is already posted against the original's account.",
      details: {
        documentNumber: l.line.documentNumber,
        kind: l.line.kind,
        original: l.line.originalDocumentNumber,
        paymentNumber: l.line.paymentNumber,
        file: l.line.file,
        row: l.line.row,
      },
    }),
  );
}

// ————— Everything at once —————

export interface DriftInput {
  organisationId?: string;
  /** ISO timestamp (the caller's clock), for jobs and connections. */
  now: string;
  mappings?: Mappings;
  org?: Pick<OrgSnapshot, "accounts">;
  /** A newly uploaded remittance, checked against what is known. */
  newRemittance?: { remittance: Remittance; known: KnownDeductions; vendorCode: string };
  posted?: { documents: readonly PostedDocument[]; xero: readonly XeroDocumentNow[]; complete?: boolean };
  jobs?: readonly JobRecord[];
  connections?: readonly ConnectionRecord[];
  budgets?: readonly ApiBudget[];
  history?: DeductionHistory;
}

/** Run every check the input has data for; one alert per condition (see `alertsToRaise`). */
export function driftAlerts(input: DriftInput): Alert[] {
  const org = input.organisationId;
  const out: Alert[] = [];
  if (input.newRemittance && input.mappings)
    out.push(
      ...deductionDriftAlerts({
        ...input.newRemittance,
        mappings: input.mappings,
        ...(org ? { organisationId: org } : {}),
      }),
    );
  if (input.mappings && input.org) out.push(...archivedAccountAlerts(input.mappings, input.org, org));
  if (input.posted)
    out.push(
      ...xeroChangeAlerts(input.posted.documents, input.posted.xero, {
        ...(org ? { organisationId: org } : {}),
        ...(input.posted.complete !== undefined ? { complete: input.posted.complete } : {}),
      }),
    );
  if (input.jobs) out.push(...jobAlerts(input.jobs, { now: input.now }));
  if (input.connections) out.push(...connectionAlerts(input.connections, { now: input.now }));
  if (input.budgets) out.push(...apiBudgetAlerts(input.budgets));
  if (input.history) out.push(...orphanReversalAlerts(input.history, org));
  return dedupeAlerts(out);
}

/**
 * Dispute deadlines and statuses for every deduction line, and the CSV export for recovery tools.
 *
 * The deadline comes first from the deduction map: the settlement planner already turns a row's Dispute
 * Window Days into `LineOutcome.disputeDeadline` (the deduction's own date + the window) and that value is
 * used as is. Only when the map gives no window do the defaults of amazon-vendor-central.md §5 apply:
 *   - chargebacks: 30 days from issue, at most 2 disputes;
 *   - price claims: 30 days from the invoice due date;
 *   - shortage claims (and revised claims): 30 days from the invoice due date (the "optimal" window), one
 *     dispute then a re-dispute, and never for an invoice older than 2 years (whatever the map says).
 * Day arithmetic is the planner's own `addDays` (UTC calendar days); the 2-year limit is by calendar
 * month (29 Feb + 2 years = 28 Feb).
 */
import { formatMoney } from "../money";
import { addDays } from "../org/lock-dates";
import type { Plan } from "../plan/model";
import type { LineKind, Remittance } from "../remittance/model";
import { toCsv } from "./csv";
import { type DeductionHistory, linkHistory, type PoInvoiceRef } from "./history";

export const DISPUTE_STATUSES = ["open", "disputed", "won", "lost", "expired"] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export interface DisputeDefault {
  windowDays: number;
  /** What the window counts from. */
  from: "issue_date" | "invoice_due_date";
  /** Disputes Amazon accepts per deduction (a first dispute plus re-disputes). */
  maxDisputes: number;
  /** Only invoices at most this many years old may be disputed. */
  maxInvoiceAgeYears?: number;
}

export const DEFAULT_DISPUTE_WINDOWS: Readonly<Partial<Record<LineKind, DisputeDefault>>> = {
  chargeback: { windowDays: 30, from: "issue_date", maxDisputes: 2 },
  price_claim: { windowDays: 30, from: "invoice_due_date", maxDisputes: 2 },
  shortage_claim: { windowDays: 30, from: "invoice_due_date", maxDisputes: 2, maxInvoiceAgeYears: 2 },
  shortage_claim_revised: {
    windowDays: 30,
    from: "invoice_due_date",
    maxDisputes: 2,
    maxInvoiceAgeYears: 2,
  },
};

/** Deductions Amazon charges that a vendor can dispute (reversals, provisions and payments are not). */
export const DISPUTABLE_KINDS: ReadonlySet<LineKind> = new Set<LineKind>([
  "shortage_claim",
  "shortage_claim_revised",
  "price_claim",
  "chargeback",
  "coop",
  "price_protection",
  "returns",
  "tax_debit_note",
  "unknown",
]);

/** Default number of disputes when neither the map nor the defaults say: one dispute and one re-dispute. */
const DEFAULT_MAX_DISPUTES = 2;

/** YYYY-MM-DD plus whole calendar years; a day the target month lacks becomes its last day (29 Feb → 28 Feb). */
export function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${String(y).padStart(4, "0")}-${date.slice(5, 7)}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

export interface DeadlineInput {
  kind: LineKind;
  /** The deduction's own date: the line's invoice date, else its payment date (as the planner uses). */
  issueDate?: string;
  /** What the planner computed from the deduction map's window (`LineOutcome.disputeDeadline`). */
  plannedDeadline?: string;
  /** Due date of the vendor invoice a claim is on, when known. */
  invoiceDueDate?: string;
  /** Date of the vendor invoice a claim is on (for the 2-year limit), when known. */
  invoiceDate?: string;
}

export interface Deadline {
  /** Last day a dispute can be raised (inclusive); absent when no window applies. */
  deadline?: string;
  /** Plain explanation of where the date came from. */
  basis: string;
  maxDisputes: number;
}

export function disputeDeadline(input: DeadlineInput): Deadline {
  const def = DEFAULT_DISPUTE_WINDOWS[input.kind];
  const maxDisputes = def?.maxDisputes ?? DEFAULT_MAX_DISPUTES;
  let deadline: string | undefined;
  let basis: string;
  if (input.plannedDeadline !== undefined) {
    deadline = input.plannedDeadline;
    basis = "deduction map window from the deduction's date";
  } else if (def) {
    if (def.from === "invoice_due_date" && input.invoiceDueDate !== undefined) {
      deadline = addDays(input.invoiceDueDate, def.windowDays);
      basis = `${def.windowDays} days from the invoice due date`;
    } else if (input.issueDate !== undefined) {
      deadline = addDays(input.issueDate, def.windowDays);
      basis =
        def.from === "issue_date"
          ? `${def.windowDays} days from issue`
          : `${def.windowDays} days from the claim's date (invoice due date unknown)`;
    } else {
      basis = "no date to count the window from";
    }
  } else {
    basis = "no dispute window in the deduction map for this kind";
  }
  if (def?.maxInvoiceAgeYears !== undefined) {
    const invoiceDate = input.invoiceDate ?? input.issueDate;
    if (invoiceDate !== undefined) {
      const cutoff = addYears(invoiceDate, def.maxInvoiceAgeYears);
      if (deadline === undefined || cutoff < deadline) {
        deadline = cutoff;
        basis = `${basis}; limited to ${def.maxInvoiceAgeYears} years after the invoice date`;
      }
    }
  }
  return { ...(deadline !== undefined ? { deadline } : {}), basis, maxDisputes };
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** What the user (or the Worker on their behalf) stored about one deduction's dispute. */
export interface DisputeState {
  status: DisputeStatus;
  /** Disputes raised so far (a re-dispute counts). */
  disputes: number;
  /** YYYY-MM-DD of the last change. */
  updatedOn?: string;
  /** Amazon case / dispute id, free text. */
  caseId?: string;
  note?: string;
}

export interface DisputeRecord {
  /** The history line id (`<payment>/<document>/<occurrence>`), the key the status is stored under. */
  id: string;
  paymentNumber: string;
  paymentDate: string | null;
  documentNumber: string;
  kind: LineKind;
  /** Amount Amazon took, positive, minor units of `currency`. */
  amount: number;
  /** What is still taken after reversals (0 when Amazon reversed it). */
  outstanding: number;
  currency: string;
  invoiceNumber?: string;
  purchaseOrders: string[];
  accountCode?: string;
  issueDate?: string;
  deadline?: string;
  deadlineBasis: string;
  maxDisputes: number;
  /** Days from `today` to the deadline (negative once past). */
  daysLeft?: number;
  status: DisputeStatus;
  disputes: number;
  caseId?: string;
  note?: string;
  referenceDetails?: string;
  /** The reversal lines that paid it back. */
  reversedBy: string[];
}

/**
 * The status a deduction is in today: the stored one, except that an open deduction past its deadline is
 * expired, and one Amazon has fully reversed counts as won.
 */
export function effectiveStatus(
  stored: DisputeState | undefined,
  r: { deadline?: string; outstanding: number; amount: number },
  today: string,
): DisputeStatus {
  const status = stored?.status ?? "open";
  if ((status === "open" || status === "disputed" || status === "lost") && r.amount > 0 && r.outstanding <= 0)
    return "won";
  if (status === "open" && r.deadline !== undefined && today > r.deadline) return "expired";
  return status;
}

/** Allowed moves between statuses (before the deadline/dispute-count conditions of `transitionDispute`). */
export const DISPUTE_TRANSITIONS: Readonly<Record<DisputeStatus, readonly DisputeStatus[]>> = {
  // lost from open = accepted without disputing; won from open = Amazon reversed it unasked.
  open: ["disputed", "won", "lost", "expired"],
  disputed: ["won", "lost"],
  // A lost dispute may be raised again while disputes are left and the window is open.
  lost: ["disputed"],
  won: [],
  expired: [],
};

export type TransitionResult = { ok: true; state: DisputeState } | { ok: false; reason: string };

export function transitionDispute(
  record: Pick<DisputeRecord, "status" | "disputes" | "maxDisputes" | "deadline" | "documentNumber">,
  to: DisputeStatus,
  today: string,
  extra: { caseId?: string; note?: string } = {},
): TransitionResult {
  const from = record.status;
  if (from === to) return { ok: false, reason: `${record.documentNumber} is already ${to}` };
  if (!DISPUTE_TRANSITIONS[from].includes(to))
    return { ok: false, reason: `${record.documentNumber} cannot go from ${from} to ${to}` };
  let disputes = record.disputes;
  if (to === "disputed") {
    if (record.deadline !== undefined && today > record.deadline)
      return {
        ok: false,
        reason: `The dispute window for ${record.documentNumber} closed on ${record.deadline}`,
      };
    if (disputes >= record.maxDisputes)
      return {
        ok: false,
        reason: `${record.documentNumber} has been disputed ${disputes} times, the most Amazon accepts`,
      };
    disputes += 1;
  }
  if (to === "expired" && (record.deadline === undefined || today <= record.deadline))
    return { ok: false, reason: `The dispute window for ${record.documentNumber} is still open` };
  return {
    ok: true,
    state: {
      status: to,
      disputes,
      updatedOn: today,
      ...(extra.caseId !== undefined ? { caseId: extra.caseId } : {}),
      ...(extra.note !== undefined ? { note: extra.note } : {}),
    },
  };
}

export interface DisputeRegisterInput {
  /** Every remittance received, in order (or pass `history` already linked). */
  remittances?: readonly Remittance[];
  history?: DeductionHistory;
  /** Settlement plans of those remittances: their line outcomes carry the map's deadlines and accounts. */
  plans?: readonly Plan[];
  poInvoices?: readonly PoInvoiceRef[];
  /** Invoice due dates by invoice number (Xero's DueDate), when known. */
  invoiceDueDates?: Readonly<Record<string, string>>;
  /** Invoice dates by invoice number (e.g. from the org snapshot). */
  invoiceDates?: Readonly<Record<string, string>>;
  /** Stored statuses by record id. */
  states?: Readonly<Record<string, DisputeState>>;
  /** YYYY-MM-DD. */
  today: string;
}

/** Every disputable deduction line across the history, with its deadline and status. */
export function disputeRegister(input: DisputeRegisterInput): DisputeRecord[] {
  const history = input.history ?? linkHistory(input.remittances ?? [], input.poInvoices ?? []);
  const outcomes = new Map<string, { deadline?: string; accountCode?: string }>();
  for (const plan of input.plans ?? [])
    for (const o of plan.lines)
      outcomes.set(`${o.paymentNumber}#${o.row}`, {
        ...(o.disputeDeadline !== undefined ? { deadline: o.disputeDeadline } : {}),
        ...(o.accountCode !== undefined ? { accountCode: o.accountCode } : {}),
      });
  const poDates = new Map<string, PoInvoiceRef>();
  for (const p of input.poInvoices ?? []) poDates.set(p.invoiceNumber, p);

  const out: DisputeRecord[] = [];
  for (const l of history.lines) {
    const { line } = l;
    if (!DISPUTABLE_KINDS.has(line.kind) || line.amount >= 0) continue;
    const outcome = outcomes.get(`${line.paymentNumber}#${line.row}`);
    const issueDate = line.invoiceDate ?? line.paymentDate ?? undefined;
    const inv = l.invoiceNumber;
    const dueDate =
      inv !== undefined ? (input.invoiceDueDates?.[inv] ?? poDates.get(inv)?.dueDate) : undefined;
    const invoiceDate = inv !== undefined ? (input.invoiceDates?.[inv] ?? poDates.get(inv)?.date) : undefined;
    const d = disputeDeadline({
      kind: line.kind,
      ...(issueDate !== undefined ? { issueDate } : {}),
      ...(outcome?.deadline !== undefined ? { plannedDeadline: outcome.deadline } : {}),
      ...(dueDate !== undefined ? { invoiceDueDate: dueDate } : {}),
      ...(invoiceDate !== undefined ? { invoiceDate } : {}),
    });
    const amount = 0 - line.amount;
    const outstanding = 0 - l.netAmount; // never -0
    const stored = input.states?.[line.id];
    const status = effectiveStatus(stored, { ...d, outstanding, amount }, input.today);
    out.push({
      id: line.id,
      paymentNumber: line.paymentNumber,
      paymentDate: line.paymentDate,
      documentNumber: line.documentNumber,
      kind: line.kind,
      amount,
      outstanding,
      currency: line.currency,
      ...(inv !== undefined ? { invoiceNumber: inv } : {}),
      purchaseOrders: l.purchaseOrders.map((p) => p.purchaseOrderNumber),
      ...(outcome?.accountCode !== undefined ? { accountCode: outcome.accountCode } : {}),
      ...(issueDate !== undefined ? { issueDate } : {}),
      ...(d.deadline !== undefined
        ? { deadline: d.deadline, daysLeft: daysBetween(input.today, d.deadline) }
        : {}),
      deadlineBasis: d.basis,
      maxDisputes: d.maxDisputes,
      status,
      disputes: stored?.disputes ?? 0,
      ...(stored?.caseId !== undefined ? { caseId: stored.caseId } : {}),
      ...(stored?.note !== undefined ? { note: stored.note } : {}),
      ...(line.referenceDetails !== undefined ? { referenceDetails: line.referenceDetails } : {}),
      reversedBy: l.reversedBy,
    });
  }
  // Soonest deadline first; no deadline last; then by document.
  return out.sort(
    (a, b) =>
      (a.deadline ?? "9999").localeCompare(b.deadline ?? "9999") ||
      a.documentNumber.localeCompare(b.documentNumber) ||
      a.id.localeCompare(b.id),
  );
}

export const DISPUTE_CSV_COLUMNS = [
  "Dispute ID",
  "Document Number",
  "Kind",
  "Vendor Invoice",
  "PO Numbers",
  "Payment Number",
  "Payment Date",
  "Issue Date",
  "Amount",
  "Outstanding",
  "Currency",
  "Account",
  "Dispute Deadline",
  "Days Left",
  "Status",
  "Disputes Raised",
  "Max Disputes",
  "Deadline Basis",
  "Case ID",
  "Reference Details",
  "Note",
] as const;

/** The register as CSV (papaparse; amounts as plain decimals in the line's currency). */
export function disputesToCsv(records: readonly DisputeRecord[]): string {
  return toCsv(
    DISPUTE_CSV_COLUMNS,
    records.map((r) => [
      r.id,
      r.documentNumber,
      r.kind,
      r.invoiceNumber ?? "",
      r.purchaseOrders.join(" "),
      r.paymentNumber,
      r.paymentDate ?? "",
      r.issueDate ?? "",
      formatMoney(r.amount, r.currency),
      formatMoney(r.outstanding, r.currency),
      r.currency,
      r.accountCode ?? "",
      r.deadline ?? "",
      r.daysLeft ?? "",
      r.status,
      r.disputes,
      r.maxDisputes,
      r.deadlineBasis,
      r.caseId ?? "",
      r.referenceDetails ?? "",
      r.note ?? "",
    ]),
  );
}

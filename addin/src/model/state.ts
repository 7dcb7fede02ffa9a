/** Pane state and the rules that gate actions. Pure: the controller feeds it and renders it. */
import type { HealthFacts } from "./health";
import type { JobState } from "./posting";
import type { Review } from "./review";

export interface Organisation {
  id: string;
  name: string;
  baseCurrency: string;
  connection: "ok" | "reconnect_needed";
}

export interface OrgStatus extends Organisation {
  periodLockDate: string | null;
  endOfYearLockDate: string | null;
  isAdviser: boolean;
  apiBudget: { dayRemaining: number; minuteRemaining: number };
}

export interface PaneState {
  session?: {
    token: string;
    expiresAt: string;
    user: { id: string; email: string | null; name: string | null };
  };
  organisations: Organisation[];
  orgId?: string;
  status?: OrgStatus;
  /** Mapping sheets edited since the last successful save. */
  dirtySheets: Set<string>;
  validation?: { ok: boolean; text: string };
  remittanceId?: string;
  fileName?: string;
  review?: Review;
  job?: {
    id: string;
    fraction: number;
    label: string;
    finished: boolean;
    state?: JobState;
    kind?: "post" | "undo" | "po";
  };
  /** Posted documents of this remittance exist (Undo is offered). */
  undoable?: boolean;
  health?: HealthFacts;
  /** The latest purchase-order preview. */
  po?: {
    previewedAt: string;
    orders: number;
    lines: number;
    invoices: number;
    blocking: number;
    warnings: number;
  };
  monthEnd?: { period: string; differences: number; flags: string[] };
  busy?: string;
  message?: { kind: "info" | "error" | "success"; text: string };
  failures: string[];
}

export function initialState(): PaneState {
  return { organisations: [], dirtySheets: new Set(), failures: [] };
}

/** Why Post is disabled, or undefined when it may be clicked. */
export function postBlockedReason(s: PaneState): string | undefined {
  if (!s.session) return "Connect to Xero first.";
  if (!s.orgId) return "Choose an organisation.";
  if (s.status?.connection === "reconnect_needed") return "The Xero connection needs to be renewed.";
  if (!s.remittanceId || !s.review) return "Import and preview a remittance first.";
  if (s.dirtySheets.size > 0) return `Save the mapping edits first (${[...s.dirtySheets].join(", ")}).`;
  if (s.review.blocking > 0)
    return `${s.review.blocking} blocking exception${s.review.blocking === 1 ? "" : "s"} — see the Exceptions sheet.`;
  if (s.job && !s.job.finished) return s.job.kind === "undo" ? "Undo in progress." : "Posting in progress.";
  if (
    s.job?.finished &&
    (s.job.kind ?? "post") === "post" &&
    s.failures.length === 0 &&
    /\(done\)$/.test(s.job.label)
  )
    return "This remittance has been posted — see the Posting Log.";
  if (s.busy) return s.busy;
  return undefined;
}

/** Why Undo is disabled, or undefined when it may be clicked. */
export function undoBlockedReason(s: PaneState): string | undefined {
  if (!s.session || !s.orgId) return "Connect to Xero first.";
  if (!s.remittanceId) return "Import a remittance first.";
  if (s.job && !s.job.finished) return "Wait for the running job to finish, or cancel it.";
  if (!s.undoable) return "Nothing of this remittance is posted.";
  if (s.busy) return s.busy;
  return undefined;
}

/** Why PO Post is disabled, or undefined when it may be clicked. */
export function poPostBlockedReason(s: PaneState): string | undefined {
  if (!s.session || !s.orgId) return "Connect to Xero first.";
  if (!s.po) return "Import and preview purchase orders first.";
  if (s.po.invoices === 0) return "The preview plans no invoices to post.";
  if (s.job && !s.job.finished) return "A posting job is running.";
  if (s.busy) return s.busy;
  return undefined;
}

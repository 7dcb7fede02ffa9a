/**
 * Alerts: what monitoring tells finance and operations. Every alert has a stable id derived only from the
 * condition it reports (its kind, organisation and subject — never the time it was noticed), so the same
 * condition found again by the next scheduled comparison keeps the same id and is raised once.
 */
import { fnv1a64 } from "../plan/keys";

export const ALERT_KINDS = [
  "new_deduction_code",
  "new_deduction_description",
  "unmapped_deduction",
  "archived_account",
  "xero_document_voided",
  "xero_document_deleted",
  "xero_amount_edited",
  "job_failed",
  "job_stuck",
  "connection_reconsent",
  "api_budget_low",
  "orphan_reversal",
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** `critical`: postings are wrong or will fail until someone acts. `warning`: act this week. `info`: note. */
export type AlertSeverity = "critical" | "warning" | "info";

export interface Alert {
  /** `<kind>:<16 hex>`; the same condition always gets the same id. */
  id: string;
  kind: AlertKind;
  severity: AlertSeverity;
  /** Xero tenant / organisation id, when the alert concerns one. */
  organisationId?: string;
  /** What the alert is about, e.g. an account code, a document key, a job id. */
  subject: string;
  /** One plain sentence saying what happened. */
  message: string;
  /** One plain sentence saying what to do. */
  action: string;
  /** Extra facts for screens and exports (amounts as decimal strings). */
  details: Record<string, string | number>;
}

/** The stable id for a condition: kind + organisation + subject parts. */
export function alertId(kind: AlertKind, organisationId: string | undefined, ...subject: string[]): string {
  return `${kind}:${fnv1a64([organisationId ?? "", kind, ...subject].join("\u001f"))}`;
}

export interface AlertSpec {
  kind: AlertKind;
  severity: AlertSeverity;
  organisationId?: string | undefined;
  subject: string;
  /** Parts that make the condition distinct beyond the subject (e.g. the edited amount); default none. */
  idParts?: string[];
  message: string;
  action: string;
  details?: Record<string, string | number | undefined>;
}

export function makeAlert(s: AlertSpec): Alert {
  const details: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(s.details ?? {})) if (v !== undefined) details[k] = v;
  return {
    id: alertId(s.kind, s.organisationId, s.subject, ...(s.idParts ?? [])),
    kind: s.kind,
    severity: s.severity,
    ...(s.organisationId !== undefined ? { organisationId: s.organisationId } : {}),
    subject: s.subject,
    message: s.message,
    action: s.action,
    details,
  };
}

const SEVERITY_ORDER: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

/** One alert per id (the first wins), most severe first, then by kind and subject — deterministic. */
export function dedupeAlerts(alerts: Iterable<Alert>): Alert[] {
  const byId = new Map<string, Alert>();
  for (const a of alerts) if (!byId.has(a.id)) byId.set(a.id, a);
  return [...byId.values()].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.kind.localeCompare(b.kind) ||
      a.subject.localeCompare(b.subject) ||
      a.id.localeCompare(b.id),
  );
}

/**
 * The alerts to raise now: those whose id has not been raised before. The Worker keeps the raised ids
 * (per organisation) and passes them in; an alert whose condition clears and comes back keeps its id, so
 * the Worker decides whether a cleared id is forgotten (raise again) or kept (stay quiet).
 */
export function alertsToRaise(found: Iterable<Alert>, alreadyRaised: Iterable<string>): Alert[] {
  const raised = new Set(alreadyRaised);
  return dedupeAlerts(found).filter((a) => !raised.has(a.id));
}

/** Ids previously raised whose condition is no longer found: candidates to mark resolved. */
export function clearedAlertIds(found: Iterable<Alert>, previouslyOpen: Iterable<string>): string[] {
  const now = new Set([...found].map((a) => a.id));
  return [...new Set(previouslyOpen)].filter((id) => !now.has(id)).sort();
}

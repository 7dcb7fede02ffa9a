/**
 * D1 persistence for monitoring (migrations/0002_monitoring.sql): raised alerts, known deduction codes,
 * dispute states, the outgoing webhook settings and the documents VCX posted.
 */
import type { Alert, AlertKind, AlertSeverity } from "../../domain/monitoring/alerts";
import type { DisputeState, DisputeStatus } from "../../domain/monitoring/disputes";
import type { KnownDeductions, PostedDocument } from "../../domain/monitoring/drift";
import { nowIso } from "../store/time";

export type AlertStatus = "open" | "acknowledged" | "resolved";

export interface AlertRow {
  org_id: string;
  id: string;
  kind: string;
  severity: string;
  subject: string;
  message: string;
  action: string;
  details_json: string;
  status: AlertStatus;
  raised_at: string;
  updated_at: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  note: string | null;
  delivered_at: string | null;
}

export function alertFromRow(r: AlertRow): Alert {
  return {
    id: r.id,
    kind: r.kind as AlertKind,
    severity: r.severity as AlertSeverity,
    organisationId: r.org_id,
    subject: r.subject,
    message: r.message,
    action: r.action,
    details: JSON.parse(r.details_json) as Alert["details"],
  };
}

export function alertView(r: AlertRow) {
  return {
    ...alertFromRow(r),
    status: r.status,
    raisedAt: r.raised_at,
    updatedAt: r.updated_at,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
    note: r.note,
    deliveredAt: r.delivered_at,
  };
}

export async function listAlerts(
  db: D1Database,
  orgId: string,
  filter: { status?: AlertStatus | "active"; kind?: string } = {},
): Promise<AlertRow[]> {
  const where = ["org_id = ?1"];
  const binds: unknown[] = [orgId];
  if (filter.status === "active") where.push("status IN ('open', 'acknowledged')");
  else if (filter.status) {
    binds.push(filter.status);
    where.push(`status = ?${binds.length}`);
  }
  if (filter.kind) {
    binds.push(filter.kind);
    where.push(`kind = ?${binds.length}`);
  }
  const rows = await db
    .prepare(`SELECT * FROM alerts WHERE ${where.join(" AND ")} ORDER BY raised_at DESC, id`)
    .bind(...binds)
    .all<AlertRow>();
  return rows.results;
}

export const getAlert = (db: D1Database, orgId: string, id: string) =>
  db.prepare("SELECT * FROM alerts WHERE org_id = ?1 AND id = ?2").bind(orgId, id).first<AlertRow>();

export async function raisedAlertIds(db: D1Database, orgId: string): Promise<string[]> {
  const rows = await db.prepare("SELECT id FROM alerts WHERE org_id = ?1").bind(orgId).all<{ id: string }>();
  return rows.results.map((r) => r.id);
}

export async function insertAlerts(db: D1Database, orgId: string, alerts: readonly Alert[]): Promise<void> {
  if (alerts.length === 0) return;
  const now = nowIso();
  await db.batch(
    alerts.map((a) =>
      db
        .prepare(
          `INSERT OR IGNORE INTO alerts (org_id, id, kind, severity, subject, message, action, details_json, status,
             raised_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9, ?9)`,
        )
        .bind(
          orgId,
          a.id,
          a.kind,
          a.severity,
          a.subject,
          a.message,
          a.action,
          JSON.stringify(a.details),
          now,
        ),
    ),
  );
}

export async function resolveAlerts(db: D1Database, orgId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const now = nowIso();
  await db.batch(
    ids.map((id) =>
      db
        .prepare(
          "UPDATE alerts SET status = 'resolved', updated_at = ?3 WHERE org_id = ?1 AND id = ?2 AND status != 'resolved'",
        )
        .bind(orgId, id, now),
    ),
  );
}

export async function acknowledgeAlert(
  db: D1Database,
  orgId: string,
  id: string,
  userId: string,
  status: "acknowledged" | "resolved",
  note: string | undefined,
): Promise<void> {
  const now = nowIso();
  await db
    .prepare(
      `UPDATE alerts SET status = ?3, updated_at = ?4, acknowledged_by = COALESCE(acknowledged_by, ?5),
         acknowledged_at = COALESCE(acknowledged_at, ?4), note = COALESCE(?6, note)
       WHERE org_id = ?1 AND id = ?2`,
    )
    .bind(orgId, id, status, now, userId, note ?? null)
    .run();
}

export async function markDelivered(db: D1Database, orgId: string, ids: readonly string[], at: string) {
  if (ids.length === 0) return;
  await db.batch(
    ids.map((id) =>
      db.prepare("UPDATE alerts SET delivered_at = ?3 WHERE org_id = ?1 AND id = ?2").bind(orgId, id, at),
    ),
  );
}

export async function undeliveredAlerts(db: D1Database, orgId: string): Promise<AlertRow[]> {
  const rows = await db
    .prepare(
      "SELECT * FROM alerts WHERE org_id = ?1 AND delivered_at IS NULL AND status != 'resolved' ORDER BY raised_at, id",
    )
    .bind(orgId)
    .all<AlertRow>();
  return rows.results;
}

// ————— Known deduction codes —————

export async function readKnownDeductions(db: D1Database, orgId: string): Promise<KnownDeductions> {
  const rows = await db
    .prepare("SELECT kind, value FROM known_deductions WHERE org_id = ?1 ORDER BY value")
    .bind(orgId)
    .all<{ kind: "code" | "description"; value: string }>();
  return {
    codes: rows.results.filter((r) => r.kind === "code").map((r) => r.value),
    descriptions: rows.results.filter((r) => r.kind === "description").map((r) => r.value),
  };
}

export async function saveKnownDeductions(db: D1Database, orgId: string, known: KnownDeductions) {
  const now = nowIso();
  const rows = [
    ...known.codes.map((v) => ["code", v] as const),
    ...known.descriptions.map((v) => ["description", v] as const),
  ];
  if (rows.length === 0) return;
  await db.batch(
    rows.map(([kind, value]) =>
      db
        .prepare(
          "INSERT OR IGNORE INTO known_deductions (org_id, kind, value, first_seen_at) VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(orgId, kind, value, now),
    ),
  );
}

// ————— Alert webhook settings —————

export interface WebhookSetting {
  url: string;
  secret: string;
  enabled: boolean;
  source: "organisation" | "environment";
}

export async function orgWebhook(db: D1Database, orgId: string): Promise<WebhookSetting | null> {
  const r = await db
    .prepare("SELECT url, secret, enabled FROM alert_webhooks WHERE org_id = ?1")
    .bind(orgId)
    .first<{ url: string; secret: string; enabled: number }>();
  return r ? { url: r.url, secret: r.secret, enabled: r.enabled === 1, source: "organisation" } : null;
}

export async function putOrgWebhook(
  db: D1Database,
  orgId: string,
  s: { url: string; secret: string; enabled: boolean },
  userId: string,
) {
  await db
    .prepare(
      `INSERT INTO alert_webhooks (org_id, url, secret, enabled, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (org_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, enabled = excluded.enabled,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    )
    .bind(orgId, s.url, s.secret, s.enabled ? 1 : 0, userId, nowIso())
    .run();
}

export const deleteOrgWebhook = (db: D1Database, orgId: string) =>
  db.prepare("DELETE FROM alert_webhooks WHERE org_id = ?1").bind(orgId).run();

export async function recordDelivery(
  db: D1Database,
  d: {
    deliveryId: string;
    attempt: number;
    orgId: string;
    url: string;
    count: number;
    status?: number;
    error?: string;
  },
) {
  await db
    .prepare(
      `INSERT OR REPLACE INTO alert_deliveries (delivery_id, attempt, org_id, url, alert_count, status, error, at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
    )
    .bind(d.deliveryId, d.attempt, d.orgId, d.url, d.count, d.status ?? null, d.error ?? null, nowIso())
    .run();
}

export async function lastDelivery(db: D1Database, orgId: string) {
  return db
    .prepare(
      "SELECT delivery_id, attempt, url, alert_count, status, error, at FROM alert_deliveries WHERE org_id = ?1 ORDER BY at DESC LIMIT 1",
    )
    .bind(orgId)
    .first<{
      delivery_id: string;
      attempt: number;
      url: string;
      alert_count: number;
      status: number | null;
      error: string | null;
      at: string;
    }>();
}

// ————— Disputes —————

export async function disputeStates(db: D1Database, orgId: string): Promise<Record<string, DisputeState>> {
  const rows = await db.prepare("SELECT * FROM dispute_states WHERE org_id = ?1").bind(orgId).all<{
    dispute_id: string;
    status: DisputeStatus;
    disputes: number;
    case_id: string | null;
    note: string | null;
    updated_on: string | null;
  }>();
  const out: Record<string, DisputeState> = {};
  for (const r of rows.results)
    out[r.dispute_id] = {
      status: r.status,
      disputes: r.disputes,
      ...(r.updated_on ? { updatedOn: r.updated_on } : {}),
      ...(r.case_id ? { caseId: r.case_id } : {}),
      ...(r.note ? { note: r.note } : {}),
    };
  return out;
}

export async function saveDisputeState(
  db: D1Database,
  orgId: string,
  id: string,
  s: DisputeState,
  userId: string,
) {
  await db
    .prepare(
      `INSERT INTO dispute_states (org_id, dispute_id, status, disputes, case_id, note, updated_on, updated_by, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
       ON CONFLICT (org_id, dispute_id) DO UPDATE SET status = excluded.status, disputes = excluded.disputes,
         case_id = COALESCE(excluded.case_id, dispute_states.case_id), note = COALESCE(excluded.note, dispute_states.note),
         updated_on = excluded.updated_on, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    )
    .bind(
      orgId,
      id,
      s.status,
      s.disputes,
      s.caseId ?? null,
      s.note ?? null,
      s.updatedOn ?? null,
      userId,
      nowIso(),
    )
    .run();
}

// ————— Posted documents —————

export interface PostedDocumentRow {
  org_id: string;
  doc_key: string;
  type: string;
  xero_id: string;
  number: string | null;
  amount: number;
  currency: string;
  date: string | null;
  remittance_id: string | null;
  posted_at: string;
  last_status: string | null;
  checked_at: string | null;
}

/**
 * Record documents Xero accepted (the posting engine calls this after each accepted write), so drift checks
 * and the month-end report (basis `posted`) know what VCX posted. Idempotent by document key.
 */
export async function recordPostedDocuments(
  db: D1Database,
  orgId: string,
  docs: readonly (PostedDocument & { remittanceId?: string; status?: string })[],
): Promise<void> {
  if (docs.length === 0) return;
  const now = nowIso();
  await db.batch(
    docs.map((d) =>
      db
        .prepare(
          `INSERT INTO posted_documents (org_id, doc_key, type, xero_id, number, amount, currency, date, remittance_id,
             posted_at, last_status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
           ON CONFLICT (org_id, doc_key) DO UPDATE SET xero_id = excluded.xero_id, amount = excluded.amount,
             number = excluded.number, date = excluded.date, last_status = excluded.last_status`,
        )
        .bind(
          orgId,
          d.key,
          d.type,
          d.xeroId,
          d.number ?? null,
          d.amount,
          d.currency,
          d.date ?? null,
          d.remittanceId ?? null,
          now,
          d.status ?? null,
        ),
    ),
  );
}

export async function postedDocuments(db: D1Database, orgId: string): Promise<PostedDocumentRow[]> {
  const rows = await db
    .prepare("SELECT * FROM posted_documents WHERE org_id = ?1 ORDER BY posted_at, doc_key")
    .bind(orgId)
    .all<PostedDocumentRow>();
  return rows.results;
}

export const toPosted = (r: PostedDocumentRow): PostedDocument => ({
  key: r.doc_key,
  type: r.type,
  xeroId: r.xero_id,
  ...(r.number ? { number: r.number } : {}),
  amount: r.amount,
  currency: r.currency,
  ...(r.date ? { date: r.date } : {}),
});

export async function markChecked(
  db: D1Database,
  orgId: string,
  checks: { xeroId: string; status: string }[],
) {
  if (checks.length === 0) return;
  const now = nowIso();
  await db.batch(
    checks.map((c) =>
      db
        .prepare(
          "UPDATE posted_documents SET last_status = ?3, checked_at = ?4 WHERE org_id = ?1 AND xero_id = ?2",
        )
        .bind(orgId, c.xeroId, c.status, now),
    ),
  );
}

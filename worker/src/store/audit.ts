/** Audit log: every mutating request (user, organisation, what, when, request id, outcome). */
import { nowIso } from "./time";

export interface AuditEntry {
  requestId: string;
  userId?: string | undefined;
  orgId?: string | undefined;
  method: string;
  route: string;
  target?: string | undefined;
  status: number;
}

export async function recordAudit(db: D1Database, e: AuditEntry): Promise<void> {
  await db
    .prepare(
      `INSERT INTO audit_log (at, request_id, user_id, org_id, method, route, target, status)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
    )
    .bind(
      nowIso(),
      e.requestId,
      e.userId ?? null,
      e.orgId ?? null,
      e.method,
      e.route,
      e.target ?? null,
      e.status,
    )
    .run();
}

export async function auditFor(db: D1Database, orgId: string, limit = 100) {
  const r = await db
    .prepare(
      `SELECT at, request_id AS requestId, user_id AS userId, method, route, target, status
       FROM audit_log WHERE org_id = ?1 ORDER BY id DESC LIMIT ?2`,
    )
    .bind(orgId, limit)
    .all();
  return r.results;
}

/** Exceptions (remittance problems and plan exceptions) for review: list/filter, resolve/annotate. */
import { nowIso } from "../store/time";

export interface ExceptionFilter {
  remittanceId?: string | undefined;
  kind?: string | undefined;
  status?: "open" | "resolved" | undefined;
}

export interface ExceptionView {
  id: string;
  remittanceId: string;
  row: number | null;
  code: string;
  reason: string;
  fix: string | null;
  severity: string | null;
  status: "open" | "resolved";
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

const SELECT = `SELECT id, remittance_id AS remittanceId, row, code, reason, fix, severity, status, note,
  created_at AS createdAt, updated_at AS updatedAt FROM exceptions`;

export async function listExceptions(
  db: D1Database,
  orgId: string,
  f: ExceptionFilter,
): Promise<ExceptionView[]> {
  const where = ["org_id = ?1"];
  const args: unknown[] = [orgId];
  const add = (sql: string, v: unknown) => {
    args.push(v);
    where.push(sql.replace("?", `?${args.length}`));
  };
  if (f.remittanceId) add("remittance_id = ?", f.remittanceId);
  if (f.kind) add("code = ?", f.kind);
  if (f.status) add("status = ?", f.status);
  const r = await db
    .prepare(`${SELECT} WHERE ${where.join(" AND ")} ORDER BY created_at, row LIMIT 5000`)
    .bind(...args)
    .all<ExceptionView>();
  return r.results;
}

export async function updateException(
  db: D1Database,
  orgId: string,
  id: string,
  patch: { status?: "open" | "resolved" | undefined; note?: string | undefined },
): Promise<ExceptionView | null> {
  const r = await db
    .prepare(
      `UPDATE exceptions SET status = COALESCE(?3, status), note = COALESCE(?4, note), updated_at = ?5
       WHERE id = ?1 AND org_id = ?2`,
    )
    .bind(id, orgId, patch.status ?? null, patch.note ?? null, nowIso())
    .run();
  if (r.meta.changes === 0) return null;
  return db.prepare(`${SELECT} WHERE id = ?1`).bind(id).first<ExceptionView>();
}

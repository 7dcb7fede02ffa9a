/** Remittances in D1: the source (bytes or grid, for a deterministic re-read), the parsed JSON, the last plan. */
import type { Cell } from "../../domain/remittance/grid";
import type { RemittanceJson } from "../../domain/remittance/json";
import { nowIso } from "../store/time";

/** D1 caps a value at ~2 MB; sources are stored in chunks below that. */
const SOURCE_CHUNK = 1_000_000;

export type RemittanceSource =
  | { kind: "bytes"; fileName: string; bytes: Uint8Array; locale?: string | undefined }
  | {
      kind: "grid";
      fileName: string;
      sheetName?: string | undefined;
      rows: Cell[][];
      locale?: string | undefined;
    };

export interface RemittanceRow {
  id: string;
  org_id: string;
  file_name: string;
  format: string;
  source_kind: "bytes" | "grid";
  locale: string | null;
  sheet_name: string | null;
  status: string;
  remittance_json: string;
  plan_json: string | null;
  previewed_at: string | null;
  uploaded_by: string;
  uploaded_at: string;
}

export type RemittanceStatus = "parsed" | "failed" | "previewed";

export interface ExceptionInput {
  source: "ingest" | "plan";
  row?: number | undefined;
  code: string;
  reason: string;
  fix?: string | undefined;
  severity?: string | undefined;
}

function exceptionStatements(
  db: D1Database,
  orgId: string,
  remittanceId: string,
  source: string,
  list: ExceptionInput[],
) {
  const now = nowIso();
  return [
    // Re-planning replaces the open exceptions of that source; resolved ones (with notes) are kept.
    db
      .prepare("DELETE FROM exceptions WHERE remittance_id = ?1 AND source = ?2 AND status = 'open'")
      .bind(remittanceId, source),
    ...list.map((e) =>
      db
        .prepare(
          `INSERT INTO exceptions (id, org_id, remittance_id, source, row, code, reason, fix, severity, status, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'open', ?10, ?10)`,
        )
        .bind(
          crypto.randomUUID(),
          orgId,
          remittanceId,
          e.source,
          e.row ?? null,
          e.code,
          e.reason,
          e.fix ?? null,
          e.severity ?? null,
          now,
        ),
    ),
  ];
}

export async function insertRemittance(
  db: D1Database,
  orgId: string,
  userId: string,
  source: RemittanceSource,
  json: RemittanceJson,
  status: RemittanceStatus,
  exceptions: ExceptionInput[],
): Promise<string> {
  const id = crypto.randomUUID();
  const statements = [
    db
      .prepare(
        `INSERT INTO remittances (id, org_id, file_name, format, source_kind, locale, sheet_name, status, remittance_json,
           uploaded_by, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)`,
      )
      .bind(
        id,
        orgId,
        source.fileName,
        json.format,
        source.kind,
        source.locale ?? null,
        source.kind === "grid" ? (source.sheetName ?? null) : null,
        status,
        JSON.stringify(json),
        userId,
        nowIso(),
      ),
  ];
  const data = source.kind === "bytes" ? source.bytes : new TextEncoder().encode(JSON.stringify(source.rows));
  for (let i = 0, idx = 0; i < Math.max(data.length, 1); i += SOURCE_CHUNK, idx++) {
    statements.push(
      db
        .prepare("INSERT INTO remittance_sources (remittance_id, idx, data) VALUES (?1, ?2, ?3)")
        .bind(id, idx, data.slice(i, i + SOURCE_CHUNK)),
    );
  }
  statements.push(...exceptionStatements(db, orgId, id, "ingest", exceptions));
  await db.batch(statements);
  return id;
}

/** Scoped to the organisation: another organisation's id is simply not found. */
export const getRemittance = (db: D1Database, orgId: string, id: string) =>
  db
    .prepare("SELECT * FROM remittances WHERE id = ?1 AND org_id = ?2")
    .bind(id, orgId)
    .first<RemittanceRow>();

export async function listRemittances(db: D1Database, orgId: string): Promise<RemittanceRow[]> {
  const r = await db
    .prepare("SELECT * FROM remittances WHERE org_id = ?1 ORDER BY uploaded_at DESC LIMIT 500")
    .bind(orgId)
    .all<RemittanceRow>();
  return r.results;
}

export async function readSource(db: D1Database, row: RemittanceRow): Promise<RemittanceSource> {
  const r = await db
    .prepare("SELECT data FROM remittance_sources WHERE remittance_id = ?1 ORDER BY idx")
    .bind(row.id)
    .all<{ data: ArrayBuffer | number[] }>();
  const parts = r.results.map((x) => new Uint8Array(x.data as ArrayBuffer));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  const locale = row.locale ?? undefined;
  if (row.source_kind === "bytes") return { kind: "bytes", fileName: row.file_name, bytes, locale };
  return {
    kind: "grid",
    fileName: row.file_name,
    sheetName: row.sheet_name ?? undefined,
    rows: JSON.parse(new TextDecoder().decode(bytes)) as Cell[][],
    locale,
  };
}

export async function savePlan(
  db: D1Database,
  orgId: string,
  id: string,
  planJson: unknown,
  exceptions: ExceptionInput[],
): Promise<void> {
  const now = nowIso();
  await db.batch([
    db
      .prepare(
        "UPDATE remittances SET plan_json = ?3, previewed_at = ?4, status = 'previewed' WHERE id = ?1 AND org_id = ?2",
      )
      .bind(id, orgId, JSON.stringify(planJson), now),
    ...exceptionStatements(db, orgId, id, "plan", exceptions),
  ]);
}

/**
 * Mapping tables in D1. Each PUT replaces one sheet atomically (one env.DB.batch): the rows as JSON chunks
 * under a new organisation-wide version, the version row (who/when; its primary key makes a concurrent
 * replacement fail instead of interleaving) and the sheet's current-version pointer. History is kept.
 */
import { MAPPING_SHEETS } from "../../domain/mapping/sheets";
import { nowIso } from "../store/time";

const CHUNK_ROWS = 2_000;

export type Grids = Record<string, string[][]>;

export interface MappingsHead {
  version: number;
  updatedBy: string | null;
  updatedAt: string | null;
}

export const canonicalSheet = (name: string) =>
  MAPPING_SHEETS.find((s) => s.name.toLowerCase() === name.trim().toLowerCase())?.name;

export async function mappingsHead(db: D1Database, orgId: string): Promise<MappingsHead> {
  const row = await db
    .prepare(
      `SELECT v.version, v.updated_at, u.email, u.name, v.updated_by FROM mapping_versions v
       LEFT JOIN users u ON u.id = v.updated_by WHERE v.org_id = ?1 ORDER BY v.version DESC LIMIT 1`,
    )
    .bind(orgId)
    .first<{
      version: number;
      updated_at: string;
      email: string | null;
      name: string | null;
      updated_by: string;
    }>();
  if (!row) return { version: 0, updatedBy: null, updatedAt: null };
  return {
    version: row.version,
    updatedBy: row.email ?? row.name ?? row.updated_by,
    updatedAt: row.updated_at,
  };
}

export async function readSheets(db: D1Database, orgId: string): Promise<Grids> {
  const r = await db
    .prepare(
      `SELECT c.sheet, c.rows_json FROM mapping_sheets s JOIN mapping_chunks c
         ON c.org_id = s.org_id AND c.sheet = s.sheet AND c.version = s.version
       WHERE s.org_id = ?1 ORDER BY c.sheet, c.idx`,
    )
    .bind(orgId)
    .all<{ sheet: string; rows_json: string }>();
  const grids: Grids = {};
  for (const row of r.results) {
    const list = grids[row.sheet] ?? [];
    grids[row.sheet] = list.concat(JSON.parse(row.rows_json) as string[][]);
  }
  return grids;
}

export async function replaceSheet(
  db: D1Database,
  orgId: string,
  sheet: string,
  rows: string[][],
  userId: string,
): Promise<number> {
  const head = await mappingsHead(db, orgId);
  const version = head.version + 1;
  const now = nowIso();
  const statements = [
    db
      .prepare(
        "INSERT INTO mapping_versions (org_id, version, sheet, row_count, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      )
      .bind(orgId, version, sheet, rows.length, userId, now),
  ];
  for (let i = 0, idx = 0; i < Math.max(rows.length, 1); i += CHUNK_ROWS, idx++) {
    statements.push(
      db
        .prepare(
          "INSERT INTO mapping_chunks (org_id, sheet, version, idx, rows_json) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(orgId, sheet, version, idx, JSON.stringify(rows.slice(i, i + CHUNK_ROWS))),
    );
  }
  statements.push(
    db
      .prepare(
        `INSERT INTO mapping_sheets (org_id, sheet, version) VALUES (?1, ?2, ?3)
         ON CONFLICT (org_id, sheet) DO UPDATE SET version = excluded.version`,
      )
      .bind(orgId, sheet, version),
  );
  await db.batch(statements);
  return version;
}

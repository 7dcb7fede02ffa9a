/**
 * Purchase-order storage (migration 0003): idempotent imports, PO pieces re-assembled into one normalised
 * PO, statuses from the latest preview, and the records of posted invoices (`recordInvoicePosted`, the
 * posting engine's hook).
 */
import { assemblePurchaseOrders } from "../../domain/po/assemble";
import type { PoException, PoPlan } from "../../domain/po/index";
import type { PoProblem, PoSourceFormat, PurchaseOrder } from "../../domain/po/model";
import { type InvoicedRecord, invoicedRecordSchema } from "../../domain/po/plan";
import { sha256Hex } from "../auth/crypto";
import { nowIso } from "../store/time";

export type PoStatus = "new" | "planned" | "held" | "nothing_to_invoice" | "invoiced";
export type PoSource = "upload" | "pull";

export interface PoRow {
  org_id: string;
  po_number: string;
  vendor_code: string | null;
  source: "upload" | "pull" | "both";
  order_json: string;
  status: PoStatus;
  exceptions_json: string;
  planned_keys_json: string;
  created_at: string;
  updated_at: string;
  previewed_at: string | null;
}

export interface ImportRow {
  id: string;
  org_id: string;
  content_hash: string;
  file_name: string;
  format: string;
  vendor_code: string | null;
  order_count: number;
  problems_json: string;
  imported_by: string;
  imported_at: string;
}

export interface PieceInput {
  order: PurchaseOrder;
  fileName: string;
  format: PoSourceFormat | "unknown";
}

export interface StoreResult {
  /** POs seen for the first time. */
  newOrders: string[];
  /** POs that got new facts (new pieces), new ones included. */
  changedOrders: string[];
  /** Pieces stored (facts not seen before). */
  newPieces: number;
}

export const bytesHash = async (bytes: Uint8Array): Promise<string> => {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...d].map((b) => b.toString(16).padStart(2, "0")).join("");
};

/** The facts of a normalised PO without where they came from (file names, page labels). */
function factsOf(order: PurchaseOrder): string {
  return JSON.stringify({
    ...order,
    formats: [...order.formats].sort(),
    lines: order.lines.map(({ sources: _s, ...l }) => l),
  });
}

export async function findImport(db: D1Database, orgId: string, hash: string) {
  return db
    .prepare("SELECT * FROM po_imports WHERE org_id = ?1 AND content_hash = ?2")
    .bind(orgId, hash)
    .first<ImportRow>();
}

export async function insertImport(
  db: D1Database,
  row: Omit<ImportRow, "id" | "imported_at">,
): Promise<ImportRow | undefined> {
  const id = crypto.randomUUID();
  const at = nowIso();
  // Two concurrent uploads of the same bytes: the UNIQUE constraint keeps one; the loser reports a replay.
  const r = await db
    .prepare(
      `INSERT OR IGNORE INTO po_imports (id, org_id, content_hash, file_name, format, vendor_code, order_count,
         problems_json, imported_by, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`,
    )
    .bind(
      id,
      row.org_id,
      row.content_hash,
      row.file_name,
      row.format,
      row.vendor_code,
      row.order_count,
      row.problems_json,
      row.imported_by,
      at,
    )
    .run();
  return r.meta.changes === 1 ? { ...row, id, imported_at: at } : undefined;
}

/**
 * Store what sources said about POs. Facts already stored (same PO, same normalised content) are ignored,
 * so replaying a file or a pull creates nothing new; each PO that got new facts is re-assembled from all
 * its pieces and goes back to status "new" (it needs a fresh preview).
 */
export async function storePieces(
  db: D1Database,
  orgId: string,
  source: PoSource,
  importId: string | null,
  pieces: readonly PieceInput[],
): Promise<StoreResult> {
  const at = nowIso();
  const changed = new Set<string>();
  let newPieces = 0;
  for (const p of pieces) {
    const hash = await sha256Hex(factsOf(p.order));
    const r = await db
      .prepare(
        `INSERT OR IGNORE INTO po_pieces (org_id, po_number, piece_hash, source, import_id, file_name, format,
           order_json, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
      )
      .bind(
        orgId,
        p.order.purchaseOrderNumber,
        hash,
        source,
        importId,
        p.fileName,
        p.format,
        JSON.stringify(p.order),
        at,
      )
      .run();
    if (r.meta.changes === 1) {
      newPieces++;
      changed.add(p.order.purchaseOrderNumber);
    }
  }
  const newOrders: string[] = [];
  for (const po of changed) {
    const rows = await db
      .prepare(
        "SELECT file_name, format, order_json, source FROM po_pieces WHERE org_id = ?1 AND po_number = ?2 ORDER BY seq",
      )
      .bind(orgId, po)
      .all<{ file_name: string; format: string; order_json: string; source: PoSource }>();
    const merged = assemblePurchaseOrders(
      rows.results.map((r) => ({
        fileName: r.file_name,
        format: r.format as PoSourceFormat,
        orders: [JSON.parse(r.order_json) as PurchaseOrder],
        problems: [],
      })),
    ).orders[0];
    if (!merged) continue;
    const sources = new Set(rows.results.map((r) => r.source));
    const src = sources.size > 1 ? "both" : source;
    const ins = await db
      .prepare(
        `INSERT INTO purchase_orders (org_id, po_number, vendor_code, source, order_json, status, created_at,
           updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'new', ?6, ?6)
         ON CONFLICT (org_id, po_number) DO UPDATE SET vendor_code = excluded.vendor_code,
           source = excluded.source, order_json = excluded.order_json, status = 'new',
           updated_at = excluded.updated_at
         RETURNING created_at`,
      )
      .bind(orgId, po, merged.vendorCode ?? null, src, JSON.stringify(merged), at)
      .first<{ created_at: string }>();
    if (ins?.created_at === at) newOrders.push(po);
  }
  return { newOrders, changedOrders: [...changed], newPieces };
}

export async function listOrders(
  db: D1Database,
  orgId: string,
  filter: { status?: PoStatus; numbers?: readonly string[] } = {},
): Promise<PoRow[]> {
  const rows = await db
    .prepare(
      `SELECT * FROM purchase_orders WHERE org_id = ?1 ${filter.status ? "AND status = ?2" : ""}
       ORDER BY created_at DESC, po_number`,
    )
    .bind(...(filter.status ? [orgId, filter.status] : [orgId]))
    .all<PoRow>();
  const wanted = filter.numbers ? new Set(filter.numbers) : undefined;
  return wanted ? rows.results.filter((r) => wanted.has(r.po_number)) : rows.results;
}

export async function invoicedRecords(db: D1Database, orgId: string): Promise<InvoicedRecord[]> {
  const rows = await db
    .prepare("SELECT record_json FROM po_invoiced WHERE org_id = ?1 ORDER BY posted_at, invoice_key")
    .bind(orgId)
    .all<{ record_json: string }>();
  return rows.results.map((r) => JSON.parse(r.record_json) as InvoicedRecord);
}

export async function invoicedByPo(db: D1Database, orgId: string) {
  const rows = await db
    .prepare(
      "SELECT po_number, invoice_key, invoice_number, xero_invoice_id, posted_at FROM po_invoiced WHERE org_id = ?1",
    )
    .bind(orgId)
    .all<{
      po_number: string;
      invoice_key: string;
      invoice_number: string;
      xero_invoice_id: string | null;
      posted_at: string;
    }>();
  const out = new Map<string, typeof rows.results>();
  for (const r of rows.results) out.set(r.po_number, [...(out.get(r.po_number) ?? []), r]);
  return out;
}

/**
 * The posting engine's hook: once Xero accepted a planned PO invoice, store its `record` so the planner
 * never invoices those eaches again, and mark the PO invoiced. Idempotent by key (a replayed report is a
 * no-op and returns false). Throws on a record that does not validate.
 */
export async function recordInvoicePosted(
  db: D1Database,
  orgId: string,
  record: InvoicedRecord,
  posted: { xeroInvoiceId?: string; postedAt?: string } = {},
): Promise<boolean> {
  const r = invoicedRecordSchema.parse(record);
  const at = posted.postedAt ?? nowIso();
  const [ins] = await db.batch([
    db
      .prepare(
        `INSERT OR IGNORE INTO po_invoiced (org_id, invoice_key, po_number, shipment_id, invoice_number,
           record_json, xero_invoice_id, posted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
      )
      .bind(
        orgId,
        r.key,
        r.purchaseOrderNumber,
        r.shipmentId,
        r.invoiceNumber,
        JSON.stringify(r),
        posted.xeroInvoiceId ?? null,
        at,
      ),
    db
      .prepare(
        "UPDATE purchase_orders SET status = 'invoiced', updated_at = ?3 WHERE org_id = ?1 AND po_number = ?2",
      )
      .bind(orgId, r.purchaseOrderNumber, at),
  ]);
  return (ins?.meta.changes ?? 0) === 1;
}

/** After a preview: each PO's outcome, exceptions and planned keys; the plan kept for posting. */
export async function savePreview(
  db: D1Database,
  orgId: string,
  userId: string | null,
  plan: PoPlan,
  invoicedPos: ReadonlySet<string>,
): Promise<string> {
  const at = nowIso();
  const byPo = new Map<string, PoException[]>();
  for (const e of plan.exceptions)
    byPo.set(e.purchaseOrderNumber, [...(byPo.get(e.purchaseOrderNumber) ?? []), e]);
  const stmts = plan.orders.map((o) => {
    const status: PoStatus =
      o.status === "nothing_to_invoice" && invoicedPos.has(o.purchaseOrderNumber) ? "invoiced" : o.status;
    return db
      .prepare(
        `UPDATE purchase_orders SET status = ?3, exceptions_json = ?4, planned_keys_json = ?5, previewed_at = ?6
         WHERE org_id = ?1 AND po_number = ?2`,
      )
      .bind(
        orgId,
        o.purchaseOrderNumber,
        status,
        JSON.stringify(byPo.get(o.purchaseOrderNumber) ?? []),
        JSON.stringify(o.keys),
        at,
      );
  });
  stmts.push(
    db
      .prepare(
        `INSERT INTO po_previews (org_id, plan_json, previewed_by, previewed_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (org_id) DO UPDATE SET plan_json = excluded.plan_json,
           previewed_by = excluded.previewed_by, previewed_at = excluded.previewed_at`,
      )
      .bind(orgId, JSON.stringify(plan), userId, at),
  );
  await db.batch(stmts);
  return at;
}

/** The latest preview (what a "post" step sends), or null. */
export async function latestPreview(
  db: D1Database,
  orgId: string,
): Promise<{ plan: PoPlan; previewedAt: string } | null> {
  const r = await db
    .prepare("SELECT plan_json, previewed_at FROM po_previews WHERE org_id = ?1")
    .bind(orgId)
    .first<{ plan_json: string; previewed_at: string }>();
  return r ? { plan: JSON.parse(r.plan_json) as PoPlan, previewedAt: r.previewed_at } : null;
}

export type { PoProblem };

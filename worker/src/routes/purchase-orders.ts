/**
 * /v1/organisations/:orgId/purchase-orders (issue 7): import a file (idempotent), pull now from Amazon,
 * list with status, preview the Xero sales invoices, and the organisation's Amazon connection.
 * Posting is the posting engine's (worker/posting): `POST …/post` queues the stored preview's `plan.invoices`
 * as one job in the organisation's OrgPoster (job id deterministic per preview), recorded in D1 like a
 * remittance's; whenever the job is read (/v1/jobs/:jobId), each posted invoice is reported back through
 * recordInvoicePosted (../purchase-orders/store; see syncJob in ../store/posting).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { PoException } from "../../domain/po/plan";
import { readPoFile } from "../../domain/po/read";
import type { JobView } from "../../posting/types";
import { requireAuth, requireOrg } from "../auth/middleware";
import type { AppEnv } from "../http/context";
import { ApiError, errorBody, notFound } from "../http/errors";
import { valid } from "../http/validate";
import {
  connectionJson,
  getAmazonConnection,
  pullForOrg,
  saveAmazonConnection,
} from "../purchase-orders/amazon";
import { previewPurchaseOrders } from "../purchase-orders/preview";
import {
  bytesHash,
  findImport,
  type ImportRow,
  insertImport,
  invoicedByPo,
  invoicedRecords,
  latestPreview,
  listOrders,
  type PoStatus,
  storePieces,
} from "../purchase-orders/store";
import { attachPoRecords, getPostingJob, insertPostingJob, poJobId, syncJob } from "../store/posting";
import { orgXeroClient } from "../xero/org-client";
import { posterFor } from "./posting";

const Instant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?$/,
    "expected an ISO date-time",
  );

export const PoPull = z.object({
  createdAfter: Instant.optional(),
  createdBefore: Instant.optional(),
  includeStatus: z.boolean().optional(),
  includeDetails: z.boolean().optional(),
  sortOrder: z.enum(["ASC", "DESC"]).optional(),
  limit: z.number().int().min(1).max(100).optional(),
});

export const PoPreview = z.object({
  purchaseOrderNumbers: z.array(z.string().min(1).max(64)).max(1000).optional(),
  basis: z.enum(["received", "accepted"]).optional(),
  invoiceNumberPattern: z.string().min(1).max(255).optional(),
  paymentTermsDays: z.number().int().min(0).max(3650).optional(),
  invoiceDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
    .optional(),
  draft: z.boolean().optional(),
  priceSource: z.enum(["po", "agreed"]).optional(),
  defaultTaxType: z.string().min(1).max(50).optional(),
});

export const AmazonConnection = z.object({
  clientId: z.string().trim().min(1).max(512),
  clientSecret: z.string().trim().min(1).max(512),
  refreshToken: z.string().trim().min(1).max(4096),
  region: z.enum(["na", "eu", "fe"]).default("na"),
  sandbox: z.boolean().default(false),
  vendorCode: z.string().trim().min(1).max(64).optional(),
  pullEnabled: z.boolean().default(true),
  pullIntervalMinutes: z.number().int().min(15).max(10_080).default(60),
});

const ListQuery = z.object({
  status: z.enum(["new", "planned", "held", "nothing_to_invoice", "invoiced"]).optional(),
});

const importJson = (r: ImportRow) => ({
  id: r.id,
  fileName: r.file_name,
  format: r.format,
  vendorCode: r.vendor_code,
  orders: r.order_count,
  importedAt: r.imported_at,
});

export const purchaseOrderRoutes = new Hono<AppEnv>();

purchaseOrderRoutes.use("*", requireAuth, requireOrg);

/** Upload one file: SP-API JSON (getPurchaseOrders / getPurchaseOrder / getPurchaseOrdersStatus) or X12 850/855. */
purchaseOrderRoutes.post(
  "/",
  valid("query", z.object({ vendorCode: z.string().trim().min(1).max(64).optional() })),
  async (c) => {
    const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "application/octet-stream" && type !== "application/json" && type !== "application/edi-x12")
      throw new ApiError(
        415,
        "unsupported_media_type",
        "Send the file as application/octet-stream (with X-File-Name), application/json or application/edi-x12.",
      );
    const org = c.get("org");
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.length === 0) throw new ApiError(422, "po_file_empty", "The file is empty.");
    const fileName = c.req.header("x-file-name")?.trim().slice(0, 255) || "upload";
    const vendorCode = c.req.valid("query").vendorCode;
    const hash = await bytesHash(bytes);
    const replay = await findImport(c.env.DB, org.id, hash);
    if (replay)
      return c.json({
        import: importJson(replay),
        replayed: true,
        created: { orders: [], changed: [], pieces: 0 },
        problems: JSON.parse(replay.problems_json),
      });
    const read = readPoFile(fileName, bytes, vendorCode ? { vendorCode } : {});
    const errors = read.problems.filter((p) => p.severity === "error");
    if (read.orders.length === 0 || read.format === "unknown") {
      const err = new ApiError(
        422,
        "po_file_invalid",
        errors[0]?.message ?? "The file holds no purchase orders.",
        read.problems.map((p) => ({
          path: [p.file, ...(p.path ? [p.path] : []), ...(p.row !== undefined ? [p.row] : [])],
          message: p.message,
          ...(p.row !== undefined ? { row: p.row } : {}),
          ...(p.column ? { column: p.column } : {}),
        })),
        { problems: read.problems },
      );
      return c.json(errorBody(c, err), 422);
    }
    const row = await insertImport(c.env.DB, {
      org_id: org.id,
      content_hash: hash,
      file_name: fileName,
      format: read.format,
      vendor_code: vendorCode ?? null,
      order_count: read.orders.length,
      problems_json: JSON.stringify(read.problems),
      imported_by: c.get("principal").userId,
    });
    if (!row) {
      // Lost a race with the same bytes uploaded concurrently: that one is the import.
      const other = await findImport(c.env.DB, org.id, hash);
      if (!other) throw new ApiError(409, "conflict", "The import collided with another; retry.");
      return c.json({
        import: importJson(other),
        replayed: true,
        created: { orders: [], changed: [], pieces: 0 },
        problems: read.problems,
      });
    }
    const stored = await storePieces(
      c.env.DB,
      org.id,
      "upload",
      row.id,
      read.orders.map((order) => ({ order, fileName, format: read.format })),
    );
    return c.json(
      {
        import: importJson(row),
        replayed: false,
        created: { orders: stored.newOrders, changed: stored.changedOrders, pieces: stored.newPieces },
        problems: read.problems,
      },
      201,
    );
  },
);

purchaseOrderRoutes.get("/", valid("query", ListQuery), async (c) => {
  const org = c.get("org");
  const status = c.req.valid("query").status as PoStatus | undefined;
  const [rows, invoiced] = await Promise.all([
    listOrders(c.env.DB, org.id, status ? { status } : {}),
    invoicedByPo(c.env.DB, org.id),
  ]);
  return c.json({
    purchaseOrders: rows.map((r) => ({
      purchaseOrderNumber: r.po_number,
      vendorCode: r.vendor_code,
      source: r.source,
      status: r.status,
      exceptions: JSON.parse(r.exceptions_json) as PoException[],
      plannedKeys: JSON.parse(r.planned_keys_json) as string[],
      invoices: (invoiced.get(r.po_number) ?? []).map((i) => ({
        key: i.invoice_key,
        invoiceNumber: i.invoice_number,
        xeroInvoiceId: i.xero_invoice_id,
        postedAt: i.posted_at,
      })),
      order: JSON.parse(r.order_json),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      previewedAt: r.previewed_at,
    })),
  });
});

purchaseOrderRoutes.post("/pull", valid("json", PoPull), async (c) => {
  const body = c.req.valid("json");
  const after = body.createdAfter;
  const before = body.createdBefore;
  if (after && before && Date.parse(withZone(after)) >= Date.parse(withZone(before)))
    throw new ApiError(422, "validation_failed", "createdAfter must be before createdBefore.", [
      { path: ["createdAfter"], message: "must be before createdBefore" },
    ]);
  const report = await pullForOrg(c.env, c.get("org").id, body);
  return c.json({ pull: report }, report.status === "failed" ? 502 : 200);
});

const withZone = (s: string) => (/(?:Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}Z`);

purchaseOrderRoutes.post("/preview", valid("json", PoPreview), async (c) => {
  const org = c.get("org");
  const x = orgXeroClient(c.env, org, (p) => c.executionCtx.waitUntil(p));
  const result = await previewPurchaseOrders(
    c.env.DB,
    org.id,
    c.get("principal").userId,
    x,
    c.req.valid("json"),
  );
  return c.json(result);
});

/** The latest preview, as stored (what a post step takes). */
purchaseOrderRoutes.get("/preview", async (c) => {
  const p = await latestPreview(c.env.DB, c.get("org").id);
  if (!p) throw notFound("preview");
  return c.json(p);
});

/**
 * Post the stored preview's invoices through the organisation's OrgPoster. One job per preview (its id is
 * deterministic): posting the same preview again returns that job and sends nothing. Invoices already
 * recorded as posted are left out; with none left, 422 nothing_to_post.
 */
purchaseOrderRoutes.post("/post", async (c) => {
  const org = c.get("org");
  const db = c.env.DB;
  const preview = await latestPreview(db, org.id);
  if (!preview) throw notFound("preview");
  const planned = preview.plan.invoices;
  const jobId = poJobId(
    org.id,
    preview.previewedAt,
    planned.map((i) => i.key),
  );
  const poster = await posterFor(c.env, org);
  const existing = await getPostingJob(db, jobId);
  if (existing && existing.org_id === org.id) {
    const view = (await poster.job(jobId)) as JobView | undefined;
    if (view) await syncJob(db, existing, view);
    return c.json({ jobId, created: false, state: view?.state ?? existing.state }, 202);
  }
  const done = new Set((await invoicedRecords(db, org.id)).map((r) => r.key));
  const invoices = planned.filter((i) => !done.has(i.key));
  if (invoices.length === 0)
    throw new ApiError(
      422,
      "nothing_to_post",
      "The latest preview plans no invoices that are not posted yet; see its exceptions, or preview again.",
    );
  const view = (await poster.post({ documents: invoices }, jobId)) as JobView;
  const row = {
    id: jobId,
    org_id: org.id,
    kind: "post" as const,
    remittance_id: null,
    generation: 0,
    undo_of: null,
    created_by: c.get("principal").userId,
  };
  await insertPostingJob(db, row, view);
  const records = invoices.map((i) => i.record);
  await attachPoRecords(db, jobId, records);
  const stored = await getPostingJob(db, jobId);
  if (stored) await syncJob(db, stored, view);
  return c.json(
    { jobId, created: true, state: view.state, total: view.total, previewedAt: preview.previewedAt },
    202,
  );
});

purchaseOrderRoutes.get("/amazon-connection", async (c) => {
  const row = await getAmazonConnection(c.env.DB, c.get("org").id);
  if (!row) throw notFound("Amazon connection");
  return c.json({ connection: connectionJson(c.env, row) });
});

purchaseOrderRoutes.put("/amazon-connection", valid("json", AmazonConnection), async (c) => {
  const org = c.get("org");
  await saveAmazonConnection(c.env, org.id, c.get("principal").userId, c.req.valid("json"));
  const row = await getAmazonConnection(c.env.DB, org.id);
  if (!row) throw new ApiError(500, "internal", "The connection was not stored.");
  return c.json({ connection: connectionJson(c.env, row) });
});

purchaseOrderRoutes.delete("/amazon-connection", async (c) => {
  await c.env.DB.prepare("DELETE FROM amazon_connections WHERE org_id = ?1").bind(c.get("org").id).run();
  return c.body(null, 204);
});

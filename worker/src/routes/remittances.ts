/** /v1/organisations/:orgId/remittances: upload (bytes or grid), list, fetch, preview. */
import { Hono } from "hono";
import { z } from "zod";
import { remittanceToJson } from "../../domain/remittance/json";
import type { AppEnv } from "../http/context";
import { ApiError, errorBody, notFound } from "../http/errors";
import { valid } from "../http/validate";
import { ingestExceptions, ingestSource, previewRemittance } from "../remittances/preview";
import {
  getRemittance,
  insertRemittance,
  listRemittances,
  type RemittanceSource,
} from "../remittances/store";
import { orgXeroClient } from "../xero/org-client";

const Locale = z.enum(["us", "eu"]);
const Cell = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);
export const GridUpload = z.object({
  fileName: z.string().trim().min(1).max(255),
  sheetName: z.string().max(255).optional(),
  rows: z.array(z.array(Cell).max(200)).max(200_000),
  locale: Locale.optional(),
});

export const remittanceRoutes = new Hono<AppEnv>();

remittanceRoutes.post("/", async (c) => {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  let source: RemittanceSource;
  if (type === "application/json") {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ApiError(400, "bad_request", "The request body is not valid JSON.");
    }
    const parsed = GridUpload.safeParse(body);
    if (!parsed.success) {
      throw new ApiError(
        422,
        "validation_failed",
        "The request body is not valid.",
        parsed.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message })),
      );
    }
    source = { kind: "grid", ...parsed.data };
  } else if (type === "application/octet-stream") {
    const locale = c.req.query("locale");
    if (locale !== undefined && !Locale.safeParse(locale).success) {
      throw new ApiError(422, "validation_failed", "locale must be us or eu.", [
        { path: ["locale"], message: "expected us or eu" },
      ]);
    }
    const fileName = c.req.header("x-file-name")?.trim() || "upload";
    source = { kind: "bytes", fileName, bytes: new Uint8Array(await c.req.arrayBuffer()), locale };
  } else {
    throw new ApiError(
      415,
      "unsupported_media_type",
      "Send the file as application/octet-stream or a grid as application/json.",
    );
  }
  const remittance = ingestSource(source);
  const json = remittanceToJson(remittance);
  const failed = remittance.problems.some((p) => p.severity === "error");
  const org = c.get("org");
  const id = await insertRemittance(
    c.env.DB,
    org.id,
    c.get("principal").userId,
    source,
    json,
    failed ? "failed" : "parsed",
    ingestExceptions(remittance),
  );
  if (failed) {
    const err = new ApiError(
      422,
      "remittance_invalid",
      "The file has errors; see remittance.problems.",
      undefined,
      { id, remittance: json },
    );
    return c.json(errorBody(c, err), 422);
  }
  return c.json({ id, remittance: json }, 201);
});

remittanceRoutes.get("/", async (c) => {
  const rows = await listRemittances(c.env.DB, c.get("org").id);
  return c.json({
    remittances: rows.map((r) => {
      const json = JSON.parse(r.remittance_json) as ReturnType<typeof remittanceToJson>;
      return {
        id: r.id,
        fileName: r.file_name,
        format: r.format,
        uploadedAt: r.uploaded_at,
        status: r.status,
        payments: json.payments.map((p) => ({
          paymentNumber: p.paymentNumber,
          paymentDate: p.paymentDate,
          currency: p.currency,
          amount: p.amount,
        })),
      };
    }),
  });
});

remittanceRoutes.get("/:id", async (c) => {
  const r = await getRemittance(c.env.DB, c.get("org").id, c.req.param("id"));
  if (!r) throw notFound("remittance");
  return c.json({
    id: r.id,
    remittance: JSON.parse(r.remittance_json),
    status: r.status,
    plan: r.plan_json ? JSON.parse(r.plan_json) : null,
    previewedAt: r.previewed_at,
  });
});

remittanceRoutes.post(
  "/:id/preview",
  valid("query", z.object({ vendorCode: z.string().min(1).optional() })),
  async (c) => {
    const org = c.get("org");
    const r = await getRemittance(c.env.DB, org.id, c.req.param("id"));
    if (!r) throw notFound("remittance");
    const x = orgXeroClient(c.env, org, (p) => c.executionCtx.waitUntil(p));
    return c.json({ plan: await previewRemittance(c.env.DB, r, x, c.req.valid("query").vendorCode) });
  },
);

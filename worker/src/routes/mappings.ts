/** /v1/organisations/:orgId/mappings: read, validate, replace one sheet atomically (versioned). */
import { Hono } from "hono";
import { z } from "zod";
import type { MappingError } from "../../domain/mapping/workbook";
import type { Env } from "../env";
import type { AppEnv } from "../http/context";
import { ApiError, notFound } from "../http/errors";
import { valid } from "../http/validate";
import { canonicalSheet, mappingsHead, readSheets, replaceSheet } from "../mappings/store";
import { validateSheets } from "../mappings/validate";
import type { OrgRow } from "../store/organisations";
import { orgXeroClient } from "../xero/org-client";
import { readReference, refreshReference } from "../xero/reference";

export const MAX_MAPPING_ROWS = 50_000;
const Grid = z.array(z.array(z.string().max(1000)).max(64)).max(MAX_MAPPING_ROWS + 1);
export const ValidateMappings = z.object({ sheets: z.record(z.string(), Grid) });
export const ReplaceSheet = z.object({ rows: Grid });

export const mappingRoutes = new Hono<AppEnv>();

async function reference(env: Env, org: OrgRow) {
  const ref = await readReference(env.DB, org.id);
  return ref.refreshedAt === null ? refreshReference(env.DB, org.id, orgXeroClient(env, org)) : ref;
}

const invalid = (errors: MappingError[]) =>
  new ApiError(
    422,
    "validation_failed",
    `The mapping has ${errors.length} invalid cell${errors.length === 1 ? "" : "s"}.`,
    errors.map((e) => ({
      path: [e.sheet, ...(e.row !== undefined ? [e.row] : []), ...(e.column ? [e.column] : [])],
      message: e.message,
      sheet: e.sheet,
      ...(e.row !== undefined ? { row: e.row } : {}),
      ...(e.column ? { column: e.column } : {}),
      ...(e.cell ? { cell: e.cell } : {}),
    })),
    { errors },
  );

mappingRoutes.get("/", async (c) => {
  const orgId = c.get("org").id;
  const [head, sheets] = await Promise.all([mappingsHead(c.env.DB, orgId), readSheets(c.env.DB, orgId)]);
  return c.json({ ...head, sheets });
});

mappingRoutes.post("/validate", valid("json", ValidateMappings), async (c) => {
  const { sheets } = c.req.valid("json");
  const errors = validateSheets(
    sheets,
    await readSheets(c.env.DB, c.get("org").id),
    await reference(c.env, c.get("org")),
  );
  return c.json({ ok: errors.length === 0, errors });
});

mappingRoutes.put("/:sheet", valid("json", ReplaceSheet), async (c) => {
  const sheet = canonicalSheet(c.req.param("sheet"));
  if (!sheet) throw notFound("mapping sheet");
  const { rows } = c.req.valid("json");
  const org = c.get("org");
  const errors = validateSheets(
    { [sheet]: rows },
    await readSheets(c.env.DB, org.id),
    await reference(c.env, c.get("org")),
  );
  if (errors.length > 0) throw invalid(errors);
  const version = await replaceSheet(c.env.DB, org.id, sheet, rows, c.get("principal").userId);
  return c.json({ version });
});

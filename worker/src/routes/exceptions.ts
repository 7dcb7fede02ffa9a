/** /v1/organisations/:orgId/exceptions: list/filter, resolve/annotate. */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../http/context";
import { notFound } from "../http/errors";
import { valid } from "../http/validate";
import { listExceptions, updateException } from "../remittances/exceptions";

export const ExceptionQuery = z.object({
  remittanceId: z.string().optional(),
  kind: z.string().optional(),
  status: z.enum(["open", "resolved"]).optional(),
});
export const ExceptionPatch = z
  .object({ status: z.enum(["open", "resolved"]).optional(), note: z.string().max(2000).optional() })
  .refine((p) => p.status !== undefined || p.note !== undefined, { message: "give a status or a note" });

export const exceptionRoutes = new Hono<AppEnv>();

exceptionRoutes.get("/", valid("query", ExceptionQuery), async (c) =>
  c.json({ exceptions: await listExceptions(c.env.DB, c.get("org").id, c.req.valid("query")) }),
);

exceptionRoutes.patch("/:id", valid("json", ExceptionPatch), async (c) => {
  const updated = await updateException(c.env.DB, c.get("org").id, c.req.param("id"), c.req.valid("json"));
  if (!updated) throw notFound("exception");
  return c.json(updated);
});

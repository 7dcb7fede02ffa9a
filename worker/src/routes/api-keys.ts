/** /v1/api-keys: named, organisation-scoped keys for the CLI and automation (key shown once). */
import { Hono } from "hono";
import { z } from "zod";
import { createApiKey, listApiKeys, revokeApiKey } from "../auth/api-keys";
import { requireAuth, requireSession } from "../auth/middleware";
import type { AppEnv } from "../http/context";
import { notFound } from "../http/errors";
import { valid } from "../http/validate";
import { userCanAccess } from "../store/organisations";

export const apiKeyRoutes = new Hono<AppEnv>();
apiKeyRoutes.use("*", requireAuth, requireSession);

export const NewApiKey = z.object({
  organisationId: z.string().min(1),
  name: z.string().trim().min(1).max(100),
});

apiKeyRoutes.post("/", valid("json", NewApiKey), async (c) => {
  const { organisationId, name } = c.req.valid("json");
  const userId = c.get("principal").userId;
  if (!(await userCanAccess(c.env.DB, userId, organisationId))) throw notFound("organisation");
  return c.json(await createApiKey(c.env.DB, userId, organisationId, name), 201);
});

apiKeyRoutes.get("/", async (c) =>
  c.json({ apiKeys: await listApiKeys(c.env.DB, c.get("principal").userId) }),
);

apiKeyRoutes.delete("/:id", async (c) => {
  if (!(await revokeApiKey(c.env.DB, c.get("principal").userId, c.req.param("id"))))
    throw notFound("API key");
  return c.body(null, 204);
});

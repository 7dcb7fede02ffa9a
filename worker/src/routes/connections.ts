/** /v1/connections/custom: connect an organisation through a Xero custom connection (client_credentials). */
import { Hono } from "hono";
import { z } from "zod";
import { connectCustom } from "../auth/custom-connection";
import { requireAuth, requireSession } from "../auth/middleware";
import type { AppEnv } from "../http/context";
import { valid } from "../http/validate";

export const connectionRoutes = new Hono<AppEnv>();
connectionRoutes.use("*", requireAuth, requireSession);

export const CustomConnection = z.object({
  clientId: z.string().trim().min(1).max(200),
  clientSecret: z.string().min(1).max(500),
});

connectionRoutes.post("/custom", valid("json", CustomConnection), async (c) => {
  const { clientId, clientSecret } = c.req.valid("json");
  const org = await connectCustom(c.env, c.get("principal").userId, clientId, clientSecret);
  return c.json({ organisation: org }, 201);
});

/**
 * Authentication (session or API key) and organisation access. Anything the caller may not reach answers
 * 404, exactly like something that does not exist, so ids never leak.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/context";
import { ApiError, notFound, unauthorized } from "../http/errors";
import { getOrg, userCanAccess } from "../store/organisations";
import { API_KEY_PREFIX, apiKeyPrincipal } from "./api-keys";
import { SESSION_PREFIX, sessionUser } from "./sessions";

export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (!token) throw unauthorized();
  if (token.startsWith(API_KEY_PREFIX)) {
    const p = await apiKeyPrincipal(c.env.DB, token);
    if (!p) throw unauthorized();
    c.set("principal", { userId: p.userId, via: "api_key", token, keyOrgId: p.orgId });
  } else if (token.startsWith(SESSION_PREFIX)) {
    const userId = await sessionUser(c.env.DB, token);
    if (!userId) throw unauthorized();
    c.set("principal", { userId, via: "session", token });
  } else {
    throw unauthorized();
  }
  await next();
});

/** Sessions only (API keys cannot mint or list keys). */
export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("principal").via !== "session")
    throw new ApiError(403, "forbidden", "Use a signed-in session for this, not an API key.");
  await next();
});

/** `:orgId` must be an organisation the user connected (and, for an API key, the key's organisation). */
export const requireOrg = createMiddleware<AppEnv>(async (c, next) => {
  const orgId = c.req.param("orgId") ?? "";
  const p = c.get("principal");
  if (p.keyOrgId !== undefined && p.keyOrgId !== orgId) throw notFound("organisation");
  if (!(await userCanAccess(c.env.DB, p.userId, orgId))) throw notFound("organisation");
  const org = await getOrg(c.env.DB, orgId);
  if (!org) throw notFound("organisation");
  c.set("org", org);
  await next();
});

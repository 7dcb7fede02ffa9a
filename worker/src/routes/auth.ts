/** /v1/auth/*: sign in with Xero (Office dialog friendly), one-time code exchange, logout. */
import { Hono } from "hono";
import { z } from "zod";
import { requireAuth } from "../auth/middleware";
import { revokeSession } from "../auth/sessions";
import { callbackPage, completeSignIn, errorPage, exchangeOneTimeCode, startSignIn } from "../auth/sign-in";
import type { AppEnv } from "../http/context";
import { ApiError, errorBody } from "../http/errors";
import { valid } from "../http/validate";

export const authRoutes = new Hono<AppEnv>();

authRoutes.get(
  "/xero/start",
  valid("query", z.object({ return: z.string().url().optional() })),
  async (c) => {
    const url = await startSignIn(c.env, c.req.valid("query").return);
    return c.redirect(url, 302);
  },
);

authRoutes.get(
  "/xero/callback",
  valid(
    "query",
    z.object({ code: z.string().min(1).optional(), state: z.string().min(1), error: z.string().optional() }),
  ),
  async (c) => {
    const q = c.req.valid("query");
    const wantsHtml = (c.req.header("accept") ?? "").includes("text/html");
    try {
      if (q.error || !q.code)
        throw new ApiError(400, "consent_refused", "Xero sign-in was cancelled or refused.");
      const result = await completeSignIn(c.env, q.code, q.state);
      return c.html(callbackPage(result));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return wantsHtml
        ? c.html(errorPage(e, c.get("requestId")), e.status)
        : c.json(errorBody(c, e), e.status);
    }
  },
);

authRoutes.post("/exchange", valid("json", z.object({ code: z.string().min(1).max(200) })), async (c) =>
  c.json(await exchangeOneTimeCode(c.env, c.req.valid("json").code)),
);

authRoutes.post("/logout", requireAuth, async (c) => {
  const p = c.get("principal");
  if (p.via === "session") await revokeSession(c.env.DB, p.token);
  return c.body(null, 204);
});

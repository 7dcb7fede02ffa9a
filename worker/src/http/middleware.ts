/** Cross-cutting middleware: request ids, CORS for the add-in only, body size limits, the audit log. */
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import { addinOrigins } from "../auth/sign-in";
import { recordAudit } from "../store/audit";
import type { AppEnv } from "./context";
import { ApiError } from "./errors";

export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const id = crypto.randomUUID();
  c.set("requestId", id);
  await next();
  c.header("x-request-id", id);
});

/** CORS only for the configured task pane origin(s); other origins get no CORS headers at all. */
export const addinCors = createMiddleware<AppEnv>(async (c, next) => {
  const allowed = new Set(addinOrigins(c.env));
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: ["authorization", "content-type", "x-file-name"],
    exposeHeaders: ["x-request-id"],
    maxAge: 600,
  })(c, next);
});

export const MiB = 1024 * 1024;
/** Largest request bodies: mapping sheets (50,000 rows), remittance files, everything else. */
export const BODY_LIMITS = { mappings: 32 * MiB, remittances: 16 * MiB, default: 1 * MiB };

function limitFor(path: string): number {
  if (/\/mappings(\/|$)/.test(path)) return BODY_LIMITS.mappings;
  if (/\/remittances\/?$/.test(path)) return BODY_LIMITS.remittances;
  return BODY_LIMITS.default;
}

export const bodyLimits = createMiddleware<AppEnv>(async (c, next) => {
  const maxSize = limitFor(c.req.path);
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(
        413,
        "payload_too_large",
        `The request body is larger than ${Math.round(maxSize / MiB)} MiB.`,
      );
    },
  })(c, next);
});

/** Every mutating request is recorded (also refused ones), after the response is known. */
export const audit = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return;
  const principal = c.get("principal") as AppEnv["Variables"]["principal"] | undefined;
  const org = c.get("org") as AppEnv["Variables"]["org"] | undefined;
  const params = c.req.param() as Record<string, string>;
  const write = recordAudit(c.env.DB, {
    requestId: c.get("requestId"),
    userId: principal?.userId,
    orgId: org?.id ?? principal?.keyOrgId,
    method: c.req.method,
    route: c.req.routePath,
    target: params.id ?? params.sheet,
    status: c.res.status,
  }).catch((e) => console.error("audit write failed", e));
  try {
    c.executionCtx.waitUntil(write);
  } catch {
    await write;
  }
});

/**
 * The VCX API Worker: wires middleware and routes (docs/api-contract.md). Routes stay thin; domain rules
 * live in worker/domain, Xero access in ./xero, persistence in ./store, ./mappings and ./remittances.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ingest } from "../domain/remittance/ingest";
import { remittanceToJson } from "../domain/remittance/json";
import { localeToDateOrder } from "../domain/remittance/options";
import { requireAuth, requireOrg } from "./auth/middleware";
import { runScheduled } from "./cron";
import type { Env } from "./env";
import type { AppEnv } from "./http/context";
import { ApiError, notFound, renderError } from "./http/errors";
import { addinCors, audit, bodyLimits, requestId } from "./http/middleware";
import { openApiDocument } from "./http/openapi";
import { apiKeyRoutes } from "./routes/api-keys";
import { authRoutes } from "./routes/auth";
import { connectionRoutes } from "./routes/connections";
import { exceptionRoutes } from "./routes/exceptions";
import { mappingRoutes } from "./routes/mappings";
import { monitoringRoutes } from "./routes/monitoring";
import { organisationRoutes } from "./routes/organisations";
import { jobRoutes, postingRoutes } from "./routes/posting";
import { purchaseOrderRoutes } from "./routes/purchase-orders";
import { remittanceRoutes } from "./routes/remittances";
import { webhookRoutes } from "./routes/webhooks";
import { auditFor } from "./store/audit";

export { OrgPoster } from "../posting/org-poster";
export { XeroConnection } from "./xero/connection-object";

export const app = new Hono<AppEnv>();

app.use("*", requestId);
app.use("/v1/*", addinCors);
app.use("*", bodyLimits);
app.use("/v1/*", audit);

app.get("/health", (c) => c.json({ ok: true, service: "vcx-api", env: c.env.VCX_ENV }));
app.get("/v1/openapi.json", (c) => c.json(openApiDocument()));

/** Stateless parse (no storage, no auth needed beyond a session or key): kept for the CLI and tests. */
app.post("/v1/remittances/parse", requireAuth, async (c) => {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const dateOrder = localeToDateOrder(c.req.query("locale"));
  const result = ingest(
    { kind: "bytes", fileName: c.req.query("fileName") ?? "upload", bytes },
    dateOrder ? { dateOrder } : {},
  );
  const failed = result.problems.some((p) => p.severity === "error");
  return c.json(remittanceToJson(result), failed ? 422 : 200);
});

app.route("/v1/auth", authRoutes);
app.route("/v1/api-keys", apiKeyRoutes);
app.route("/v1/connections", connectionRoutes);
app.route("/v1/webhooks", webhookRoutes);
app.route("/v1/organisations", organisationRoutes);
app.use("/v1/organisations/:orgId/mappings/*", requireAuth, requireOrg);
app.use("/v1/organisations/:orgId/mappings", requireAuth, requireOrg);
app.route("/v1/organisations/:orgId/mappings", mappingRoutes);
app.use("/v1/organisations/:orgId/remittances/*", requireAuth, requireOrg);
app.use("/v1/organisations/:orgId/remittances", requireAuth, requireOrg);
app.route("/v1/organisations/:orgId/remittances", postingRoutes);
app.route("/v1/organisations/:orgId/remittances", remittanceRoutes);
app.route("/v1/jobs", jobRoutes);
app.use("/v1/organisations/:orgId/exceptions/*", requireAuth, requireOrg);
app.use("/v1/organisations/:orgId/exceptions", requireAuth, requireOrg);
app.route("/v1/organisations/:orgId/exceptions", exceptionRoutes);
app.route("/v1/organisations/:orgId", monitoringRoutes);
app.route("/v1/organisations/:orgId/purchase-orders", purchaseOrderRoutes);
app.get("/v1/organisations/:orgId/audit", requireAuth, requireOrg, async (c) =>
  c.json({ entries: await auditFor(c.env.DB, c.get("org").id) }),
);

app.notFound((c) => renderError(c, notFound("route")));
app.onError((err, c) => {
  if (err instanceof HTTPException && !(err instanceof ApiError)) {
    const status = err.status;
    const code = status === 413 ? "payload_too_large" : status === 400 ? "bad_request" : "http_error";
    return renderError(
      c,
      new ApiError(status as never, code, err.message || "The request could not be read."),
    );
  }
  return renderError(c, err);
});

export default {
  fetch: app.fetch,
  scheduled: (controller, env, ctx) => {
    ctx.waitUntil(runScheduled(env, controller.cron));
  },
} satisfies ExportedHandler<Env>;

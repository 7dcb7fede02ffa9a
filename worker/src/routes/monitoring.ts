/**
 * Monitoring (issue 9), mounted at /v1/organisations/:orgId: the health view, alerts (list, acknowledge,
 * the outgoing webhook, check now), disputes (register, CSV, status transitions), one invoice's history
 * across remittances, and the month-end control report tied to the Xero ledger. docs/api-contract.md
 * "Monitoring" is the prose contract.
 */
import { Hono } from "hono";
import { z } from "zod";
import { minorToDecimal } from "../../domain/money";
import {
  DISPUTE_STATUSES,
  disputeRegister,
  disputesToCsv,
  transitionDispute,
} from "../../domain/monitoring/disputes";
import { healthView } from "../../domain/monitoring/health";
import { invoiceHistory, linkHistory } from "../../domain/monitoring/history";
import { monthEndText, monthEndToCsv, monthEndToJson } from "../../domain/monitoring/month-end";
import type { Plan } from "../../domain/plan/model";
import { requireAuth, requireOrg } from "../auth/middleware";
import type { AppEnv } from "../http/context";
import { ApiError, notFound } from "../http/errors";
import { valid } from "../http/validate";
import { allRemittances, apiBudget, connectionRecord, runOrgMonitoring } from "../monitoring/checks";
import { type MonitoringEnv, webhookFor } from "../monitoring/deliver";
import { buildMonthEnd, planFromJson } from "../monitoring/report";
import {
  acknowledgeAlert,
  alertFromRow,
  alertView,
  deleteOrgWebhook,
  disputeStates,
  getAlert,
  lastDelivery,
  listAlerts,
  orgWebhook,
  putOrgWebhook,
  saveDisputeState,
} from "../monitoring/store";
import { listRemittances } from "../remittances/store";
import { orgXeroClient } from "../xero/org-client";

export const AlertPatch = z.object({
  status: z.enum(["acknowledged", "resolved"]).default("acknowledged"),
  note: z.string().max(2_000).optional(),
});
export const AlertWebhookPut = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2_000),
  /** Signing secret; generated (and returned once) when omitted. */
  secret: z.string().min(16).max(200).optional(),
  enabled: z.boolean().default(true),
});
export const DisputePatch = z.object({
  status: z.enum(DISPUTE_STATUSES),
  caseId: z.string().max(200).optional(),
  note: z.string().max(2_000).optional(),
});
const AlertQuery = z.object({
  status: z.enum(["open", "acknowledged", "resolved", "active", "all"]).default("active"),
  kind: z.string().max(64).optional(),
});
const DisputeQuery = z.object({
  format: z.enum(["json", "csv"]).default("json"),
  status: z.enum(DISPUTE_STATUSES).optional(),
});
const ReportQuery = z.object({
  format: z.enum(["json", "csv", "text"]).default("json"),
  basis: z.enum(["posted", "planned"]).optional(),
  vendorCode: z.string().min(1).optional(),
});

const today = () => new Date().toISOString().slice(0, 10);

export const monitoringRoutes = new Hono<AppEnv>();
const guard = [requireAuth, requireOrg] as const;

monitoringRoutes.get("/health", ...guard, async (c) => {
  const org = c.get("org");
  const env = c.env as MonitoringEnv;
  const [alerts, exceptions, remittances, budget, hook, delivery] = await Promise.all([
    listAlerts(env.DB, org.id, { status: "active" }),
    env.DB.prepare("SELECT code, severity, created_at FROM exceptions WHERE org_id = ?1 AND status = 'open'")
      .bind(org.id)
      .all<{ code: string; severity: string | null; created_at: string }>(),
    listRemittances(env.DB, org.id),
    apiBudget(env, org),
    webhookFor(env, org.id),
    lastDelivery(env.DB, org.id),
  ]);
  const lastImport = remittances.find((r) => r.status !== "failed")?.uploaded_at;
  const view = healthView({
    organisationId: org.id,
    organisationName: org.name,
    now: new Date().toISOString(),
    connection: await connectionRecord(org),
    ...(budget ? { budget } : {}),
    ...(lastImport ? { lastImportAt: lastImport } : {}),
    exceptions: exceptions.results.map((e) => ({
      code: e.code,
      severity: e.severity ?? "",
      raisedOn: e.created_at.slice(0, 10),
    })),
    alerts: alerts.map(alertFromRow),
  });
  return c.json({
    ...view,
    alertWebhook: {
      configured: hook !== null,
      source: hook?.source ?? null,
      lastDelivery: delivery
        ? { at: delivery.at, status: delivery.status, error: delivery.error, alerts: delivery.alert_count }
        : null,
    },
  });
});

monitoringRoutes.get("/alerts", ...guard, valid("query", AlertQuery), async (c) => {
  const q = c.req.valid("query");
  const rows = await listAlerts(c.env.DB, c.get("org").id, {
    ...(q.status !== "all" ? { status: q.status } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
  });
  return c.json({ alerts: rows.map(alertView) });
});

monitoringRoutes.get("/alerts/webhook", ...guard, async (c) => {
  const env = c.env as MonitoringEnv;
  const own = await orgWebhook(env.DB, c.get("org").id);
  const effective = await webhookFor(env, c.get("org").id);
  return c.json({
    url: effective?.url ?? null,
    enabled: own ? own.enabled : effective !== null,
    source: own ? "organisation" : (effective?.source ?? null),
  });
});

monitoringRoutes.put("/alerts/webhook", ...guard, valid("json", AlertWebhookPut), async (c) => {
  const body = c.req.valid("json");
  const secret =
    body.secret ??
    `whsec_${Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
  await putOrgWebhook(
    c.env.DB,
    c.get("org").id,
    { url: body.url, secret, enabled: body.enabled },
    c.get("principal").userId,
  );
  return c.json({
    url: body.url,
    enabled: body.enabled,
    source: "organisation",
    ...(body.secret ? {} : { secret }),
  });
});

monitoringRoutes.delete("/alerts/webhook", ...guard, async (c) => {
  await deleteOrgWebhook(c.env.DB, c.get("org").id);
  return c.body(null, 204);
});

monitoringRoutes.patch("/alerts/:id", ...guard, valid("json", AlertPatch), async (c) => {
  const org = c.get("org");
  const id = c.req.param("id");
  if (!(await getAlert(c.env.DB, org.id, id))) throw notFound("alert");
  const body = c.req.valid("json");
  await acknowledgeAlert(c.env.DB, org.id, id, c.get("principal").userId, body.status, body.note);
  const row = await getAlert(c.env.DB, org.id, id);
  return c.json(row ? alertView(row) : null);
});

/** Run every monitoring check for this organisation now (what the scheduled run does), deliver alerts. */
monitoringRoutes.post("/monitoring/check", ...guard, async (c) => {
  const raised = await runOrgMonitoring(c.env as MonitoringEnv, c.get("org"), { force: true });
  return c.json({ raised });
});

async function register(db: D1Database, orgId: string) {
  const [remittances, rows, states] = await Promise.all([
    allRemittances(db, orgId),
    listRemittances(db, orgId),
    disputeStates(db, orgId),
  ]);
  const plans: Plan[] = rows.flatMap((r) => (r.plan_json ? [planFromJson(JSON.parse(r.plan_json))] : []));
  return disputeRegister({
    remittances: remittances.map((r) => r.remittance),
    plans,
    states,
    today: today(),
  });
}

const disputeJson = (r: Awaited<ReturnType<typeof register>>[number]) => ({
  ...r,
  amount: minorToDecimal(r.amount, 2),
  outstanding: minorToDecimal(r.outstanding, 2),
});

monitoringRoutes.get("/disputes", ...guard, valid("query", DisputeQuery), async (c) => {
  const q = c.req.valid("query");
  const records = (await register(c.env.DB, c.get("org").id)).filter(
    (r) => !q.status || r.status === q.status,
  );
  if (q.format === "csv") {
    return c.body(disputesToCsv(records), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="disputes-${today()}.csv"`,
    });
  }
  return c.json({ today: today(), disputes: records.map(disputeJson) });
});

monitoringRoutes.patch("/disputes/:key", ...guard, valid("json", DisputePatch), async (c) => {
  const org = c.get("org");
  const key = c.req.param("key");
  const record = (await register(c.env.DB, org.id)).find((r) => r.id === key);
  if (!record) throw notFound("dispute");
  const body = c.req.valid("json");
  const result = transitionDispute(record, body.status, today(), {
    ...(body.caseId !== undefined ? { caseId: body.caseId } : {}),
    ...(body.note !== undefined ? { note: body.note } : {}),
  });
  if (!result.ok) throw new ApiError(409, "invalid_transition", result.reason);
  await saveDisputeState(c.env.DB, org.id, key, result.state, c.get("principal").userId);
  const updated = (await register(c.env.DB, org.id)).find((r) => r.id === key);
  return c.json(updated ? disputeJson(updated) : null);
});

monitoringRoutes.get("/history/invoices/:number", ...guard, async (c) => {
  const number = c.req.param("number");
  const history = linkHistory((await allRemittances(c.env.DB, c.get("org").id)).map((r) => r.remittance));
  const events = invoiceHistory(history, number);
  if (events.length === 0) throw notFound("invoice history");
  return c.json({
    invoiceNumber: number,
    events: events.map((e) => ({
      ...e,
      amount: minorToDecimal(e.amount, 2),
      ...(e.termsDiscount !== undefined ? { termsDiscount: minorToDecimal(e.termsDiscount, 2) } : {}),
      ...(e.withholding !== undefined ? { withholding: minorToDecimal(e.withholding, 2) } : {}),
    })),
  });
});

monitoringRoutes.get("/reports/month/:period", ...guard, valid("query", ReportQuery), async (c) => {
  const period = c.req.param("period");
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period))
    throw new ApiError(422, "validation_failed", "The period must be YYYY-MM.", [
      { path: ["period"], message: "expected YYYY-MM" },
    ]);
  const q = c.req.valid("query");
  const org = c.get("org");
  const x = orgXeroClient(c.env, org, (p) => c.executionCtx.waitUntil(p));
  const { report } = await buildMonthEnd(c.env.DB, org, x, {
    period,
    ...(q.basis ? { basis: q.basis } : {}),
    ...(q.vendorCode ? { vendorCode: q.vendorCode } : {}),
  });
  // The number of things needing review, whatever the format (the CLI's exit code).
  c.header("x-vcx-flags", String(report.flags.length));
  if (q.format === "csv")
    return c.body(monthEndToCsv(report), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="month-end-${period}.csv"`,
    });
  if (q.format === "text") return c.text(monthEndText(report));
  return c.json(monthEndToJson(report));
});

/** OpenAPI paths of these routes (spread into worker/src/http/openapi.ts). */
export function monitoringOpenApiPaths(
  org: string,
  op: (o: { summary: string; requestBody?: unknown; responses?: Record<string, unknown> }) => unknown,
  json: (schema: z.ZodType) => unknown,
) {
  return {
    [`${org}/health`]: {
      get: op({
        summary:
          "Health view: connection, API budget, last import/post, exceptions by age and kind, open alerts",
      }),
    },
    [`${org}/alerts`]: {
      get: op({ summary: "Alerts (status=active|open|acknowledged|resolved|all, kind)" }),
    },
    [`${org}/alerts/{id}`]: {
      patch: op({ summary: "Acknowledge or resolve an alert", requestBody: json(AlertPatch) }),
    },
    [`${org}/alerts/webhook`]: {
      get: op({ summary: "The outgoing alert webhook in effect (organisation or environment default)" }),
      put: op({
        summary: "Set the organisation's outgoing alert webhook (secret returned once when generated)",
        requestBody: json(AlertWebhookPut),
      }),
      delete: op({
        summary: "Remove the organisation's alert webhook",
        responses: { "204": { description: "Removed" } },
      }),
    },
    [`${org}/monitoring/check`]: {
      post: op({ summary: "Run every drift check now and deliver new alerts" }),
    },
    [`${org}/disputes`]: {
      get: op({ summary: "Dispute register: deadline and status per deduction (format=json|csv, status)" }),
    },
    [`${org}/disputes/{key}`]: {
      patch: op({
        summary: "Move a dispute to a new status (open → disputed → won/lost …)",
        requestBody: json(DisputePatch),
        responses: { "409": { description: "Transition not allowed" } },
      }),
    },
    [`${org}/history/invoices/{number}`]: {
      get: op({ summary: "One invoice's history across remittances: paid, claimed, reversed, credited" }),
    },
    [`${org}/reports/month/{period}`]: {
      get: op({
        summary:
          "Month-end control report tied to the Xero trial balance (format=json|csv|text, basis=posted|planned)",
      }),
    },
  };
}

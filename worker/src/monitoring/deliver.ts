/**
 * Raising alerts (once per condition) and delivering them to the organisation's outgoing webhook
 * (domain/monitoring/webhook.ts: signed JSON POST). The URL and secret come from the organisation's
 * settings (PUT …/alerts/webhook) or else the environment (ALERT_WEBHOOK_URL / ALERT_WEBHOOK_SECRET).
 * A failed delivery leaves the alerts undelivered; the next scheduled run retries them with the same
 * delivery id so receivers can drop duplicates.
 */
import { env as workerEnv } from "cloudflare:workers";
import { type Alert, type AlertKind, alertsToRaise, clearedAlertIds } from "../../domain/monitoring/alerts";
import { buildAlertWebhook } from "../../domain/monitoring/webhook";
import { fnv1a64 } from "../../domain/plan/keys";
import type { Env } from "../env";
import { nowIso } from "../store/time";
import {
  alertFromRow,
  insertAlerts,
  listAlerts,
  markDelivered,
  orgWebhook,
  raisedAlertIds,
  recordDelivery,
  resolveAlerts,
  undeliveredAlerts,
  type WebhookSetting,
} from "./store";

/** Optional bindings monitoring reads (worker/wrangler.jsonc vars / secrets). */
export interface MonitoringBindings {
  /** Default outgoing alert webhook for organisations without their own. */
  ALERT_WEBHOOK_URL?: string;
  ALERT_WEBHOOK_SECRET?: string;
  /** Optional transport (a service binding) for alert deliveries; the global fetch when unbound. */
  ALERT_WEBHOOK_TRANSPORT?: Fetcher;
}

export type MonitoringEnv = Env & MonitoringBindings;

/** The Worker's env for hooks that only receive a D1 handle (previews, reference refresh). */
export const ambientEnv = () => workerEnv as unknown as MonitoringEnv;

const DELIVERY_TIMEOUT_MS = 10_000;

export async function webhookFor(env: MonitoringEnv, orgId: string): Promise<WebhookSetting | null> {
  const own = await orgWebhook(env.DB, orgId);
  if (own) return own.enabled ? own : null;
  if (env.ALERT_WEBHOOK_URL && env.ALERT_WEBHOOK_SECRET)
    return {
      url: env.ALERT_WEBHOOK_URL,
      secret: env.ALERT_WEBHOOK_SECRET,
      enabled: true,
      source: "environment",
    };
  return null;
}

/** POST every undelivered alert of the organisation in one signed delivery. */
export async function deliverPending(
  env: MonitoringEnv,
  orgId: string,
  orgName?: string,
): Promise<{ delivered: number; status?: number; error?: string }> {
  const pending = await undeliveredAlerts(env.DB, orgId);
  if (pending.length === 0) return { delivered: 0 };
  const hook = await webhookFor(env, orgId);
  const now = nowIso();
  if (!hook) {
    // Nothing to deliver to: the alerts stay visible in the API and the add-in.
    await markDelivered(
      env.DB,
      orgId,
      pending.map((p) => p.id),
      "none",
    );
    return { delivered: 0 };
  }
  const alerts = pending.map(alertFromRow);
  const deliveryId = `dlv_${fnv1a64([orgId, ...alerts.map((a) => a.id)].join("\u001f"))}`;
  const prior = await env.DB.prepare(
    "SELECT COALESCE(MAX(attempt), 0) AS n FROM alert_deliveries WHERE delivery_id = ?1",
  )
    .bind(deliveryId)
    .first<{ n: number }>();
  const attempt = (prior?.n ?? 0) + 1;
  const req = await buildAlertWebhook({
    alerts,
    secret: hook.secret,
    sentAt: now,
    organisationId: orgId,
    ...(orgName ? { organisationName: orgName } : {}),
    deliveryId,
  });
  const send = env.ALERT_WEBHOOK_TRANSPORT
    ? env.ALERT_WEBHOOK_TRANSPORT.fetch.bind(env.ALERT_WEBHOOK_TRANSPORT)
    : fetch;
  let status: number | undefined;
  let error: string | undefined;
  try {
    const res = await send(hook.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    status = res.status;
    await res.body?.cancel();
    if (!res.ok) error = `HTTP ${res.status}`;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  await recordDelivery(env.DB, {
    deliveryId,
    attempt,
    orgId,
    url: hook.url,
    count: alerts.length,
    ...(status !== undefined ? { status } : {}),
    ...(error !== undefined ? { error } : {}),
  });
  if (error === undefined) {
    await markDelivered(
      env.DB,
      orgId,
      alerts.map((a) => a.id),
      now,
    );
    return { delivered: alerts.length, ...(status !== undefined ? { status } : {}) };
  }
  return { delivered: 0, error, ...(status !== undefined ? { status } : {}) };
}

export interface RaiseOptions {
  /**
   * The kinds this check covers completely: open alerts of these kinds whose condition is no longer found
   * are resolved. (A resolved id is kept, so the same condition is not raised again.)
   */
  clears?: readonly AlertKind[];
  /** Only alerts whose subject is in this set may be cleared (checks that looked at a few subjects). */
  clearSubjects?: ReadonlySet<string>;
  /** Deliver now (default true). */
  deliver?: boolean;
  env?: MonitoringEnv;
}

/** Store the alerts not raised before, resolve cleared ones, deliver the new ones. Returns the new alerts. */
export async function raiseAlerts(
  db: D1Database,
  orgId: string,
  found: readonly Alert[],
  options: RaiseOptions = {},
): Promise<Alert[]> {
  const fresh = alertsToRaise(found, await raisedAlertIds(db, orgId));
  await insertAlerts(db, orgId, fresh);
  if (options.clears && options.clears.length > 0) {
    const kinds = new Set<string>(options.clears);
    const open = (await listAlerts(db, orgId, { status: "active" })).filter(
      (a) => kinds.has(a.kind) && (!options.clearSubjects || options.clearSubjects.has(a.subject)),
    );
    await resolveAlerts(
      db,
      orgId,
      clearedAlertIds(
        found,
        open.map((a) => a.id),
      ),
    );
  }
  if (fresh.length > 0 && options.deliver !== false) {
    try {
      await deliverPending(options.env ?? ambientEnv(), orgId);
    } catch (e) {
      console.error(`alert delivery failed for ${orgId}`, e);
    }
  }
  return fresh;
}

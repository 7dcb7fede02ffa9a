/**
 * POST /v1/webhooks/xero: x-xero-signature = base64(HMAC-SHA256(raw body, webhook key)), compared in
 * constant time; 401 for a bad signature (intent-to-receive sends some on purpose), 200 otherwise.
 * Invoice and credit-note events are recorded (idempotently: delivery is at-least-once) for drift detection.
 */
import { Hono } from "hono";
import { z } from "zod";
import { base64ToBytes, constantTimeEqual, hmacSha256 } from "../auth/crypto";
import type { AppEnv } from "../http/context";
import { nowIso } from "../store/time";

const Payload = z.object({
  events: z
    .array(
      z.object({
        resourceId: z.string(),
        eventDateUtc: z.string(),
        eventType: z.string(),
        eventCategory: z.string(),
        tenantId: z.string(),
      }),
    )
    .default([]),
});

const RECORDED = new Set(["INVOICE", "CREDITNOTE"]);

export async function validXeroSignature(
  key: string | undefined,
  body: Uint8Array,
  header: string | undefined,
) {
  if (!key || !header) return false;
  let given: Uint8Array;
  try {
    given = base64ToBytes(header.trim());
  } catch {
    return false;
  }
  return constantTimeEqual(await hmacSha256(key, body), given);
}

export const webhookRoutes = new Hono<AppEnv>();

webhookRoutes.post("/xero", async (c) => {
  const body = new Uint8Array(await c.req.arrayBuffer());
  if (!(await validXeroSignature(c.env.XERO_WEBHOOK_KEY, body, c.req.header("x-xero-signature")))) {
    return c.body(null, 401);
  }
  let json: unknown = {};
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch {
    /* an empty intent-to-receive body is fine */
  }
  const parsed = Payload.safeParse(json);
  const events = parsed.success ? parsed.data.events.filter((e) => RECORDED.has(e.eventCategory)) : [];
  if (events.length > 0) {
    const now = nowIso();
    await c.env.DB.batch(
      events.map((e) =>
        c.env.DB.prepare(
          `INSERT OR IGNORE INTO webhook_events (event_key, tenant_id, category, type, resource_id, event_date, received_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
        ).bind(
          `${e.tenantId}:${e.resourceId}:${e.eventType}:${e.eventDateUtc}`,
          e.tenantId,
          e.eventCategory,
          e.eventType,
          e.resourceId,
          e.eventDateUtc,
          now,
        ),
      ),
    );
  }
  return c.body(null, 200);
});

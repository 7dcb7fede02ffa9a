/**
 * The outgoing alert webhook: the JSON body and headers the Worker POSTs to the organisation's configured
 * URL. Delivery (fetch, retries) is the Worker's job; this only builds and verifies.
 *
 * Signature: `X-VCX-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` — the
 * timestamp is signed with the body so a captured delivery cannot be replayed later. Receivers recompute
 * it over the raw body bytes and reject deliveries older than a few minutes.
 */
import type { Alert } from "./alerts";

export const ALERT_WEBHOOK_VERSION = "vcx.alerts.v1";
export const SIGNATURE_HEADER = "X-VCX-Signature";

export interface AlertWebhookInput {
  alerts: readonly Alert[];
  /** Shared secret configured with the webhook URL. */
  secret: string;
  /** ISO timestamp of sending (the caller's clock). */
  sentAt: string;
  organisationId?: string;
  organisationName?: string;
  /** Unique per delivery (retries of one delivery reuse it), so receivers can drop duplicates. */
  deliveryId: string;
}

export interface AlertWebhookPayload {
  version: typeof ALERT_WEBHOOK_VERSION;
  deliveryId: string;
  sentAt: string;
  organisation?: { id?: string; name?: string };
  /** Counts by severity, for receivers that only page on critical. */
  counts: { critical: number; warning: number; info: number };
  alerts: Alert[];
}

export interface AlertWebhookRequest {
  method: "POST";
  /** Exactly the bytes that were signed: send this string unchanged. */
  body: string;
  headers: Record<string, string>;
}

const enc = new TextEncoder();

async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(text)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function buildAlertWebhook(input: AlertWebhookInput): Promise<AlertWebhookRequest> {
  if (input.secret === "") throw new Error("the alert webhook needs a signing secret");
  const counts = { critical: 0, warning: 0, info: 0 };
  for (const a of input.alerts) counts[a.severity] += 1;
  const payload: AlertWebhookPayload = {
    version: ALERT_WEBHOOK_VERSION,
    deliveryId: input.deliveryId,
    sentAt: input.sentAt,
    ...(input.organisationId !== undefined || input.organisationName !== undefined
      ? {
          organisation: {
            ...(input.organisationId !== undefined ? { id: input.organisationId } : {}),
            ...(input.organisationName !== undefined ? { name: input.organisationName } : {}),
          },
        }
      : {}),
    counts,
    alerts: [...input.alerts],
  };
  const body = JSON.stringify(payload);
  const t = Math.floor(Date.parse(input.sentAt) / 1000);
  if (Number.isNaN(t)) throw new Error(`sentAt '${input.sentAt}' is not an ISO timestamp`);
  const v1 = await hmacHex(input.secret, `${t}.${body}`);
  return {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "User-Agent": "VCX-Alerts/1",
      "X-VCX-Delivery": input.deliveryId,
      [SIGNATURE_HEADER]: `t=${t},v1=${v1}`,
    },
  };
}

export type VerifyResult = { ok: true; payload: AlertWebhookPayload } | { ok: false; reason: string };

/** For receivers (and tests): check the signature header over the raw body and the timestamp's age. */
export async function verifyAlertWebhook(
  body: string,
  signatureHeader: string | null | undefined,
  secret: string,
  options: { now: string; toleranceSeconds?: number },
): Promise<VerifyResult> {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signatureHeader ?? "");
  if (!m?.[1] || !m[2]) return { ok: false, reason: "missing or malformed signature header" };
  const expected = await hmacHex(secret, `${m[1]}.${body}`);
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ m[2].charCodeAt(i);
  if (diff !== 0) return { ok: false, reason: "signature does not match" };
  const age = Math.abs(Date.parse(options.now) / 1000 - Number(m[1]));
  if (age > (options.toleranceSeconds ?? 300)) return { ok: false, reason: "signature timestamp too old" };
  return { ok: true, payload: JSON.parse(body) as AlertWebhookPayload };
}

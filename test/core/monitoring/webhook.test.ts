/** The outgoing alert webhook: body, signature, verification. */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { makeAlert } from "../../../worker/domain/monitoring/alerts";
import { buildAlertWebhook, verifyAlertWebhook } from "../../../worker/domain/monitoring/webhook";

const alert = makeAlert({
  kind: "xero_document_voided",
  severity: "critical",
  organisationId: "org-1",
  subject: "vcx1:ACME1:40311877:cn:INV-BSC",
  message: "CreditNote CN-0001 that VCX posted (USD 300.00) was voided in Xero",
  action: "Find out who voided it.",
});
const input = {
  alerts: [alert],
  secret: "whsec-test",
  sentAt: "2026-03-02T10:00:00Z",
  organisationId: "org-1",
  organisationName: "Demo",
  deliveryId: "d-1",
};

describe("alert webhook", () => {
  it("builds a JSON body and an HMAC-SHA256 signature over timestamp and body", async () => {
    const req = await buildAlertWebhook(input);
    const body = JSON.parse(req.body);
    expect(body).toEqual({
      version: "vcx.alerts.v1",
      deliveryId: "d-1",
      sentAt: "2026-03-02T10:00:00Z",
      organisation: { id: "org-1", name: "Demo" },
      counts: { critical: 1, warning: 0, info: 0 },
      alerts: [alert],
    });
    const t = Date.parse(input.sentAt) / 1000;
    const expected = createHmac("sha256", "whsec-test").update(`${t}.${req.body}`).digest("hex");
    expect(req.headers["X-VCX-Signature"]).toBe(`t=${t},v1=${expected}`);
    expect(req.headers["Content-Type"]).toBe("application/json; charset=utf-8");
    expect(req.method).toBe("POST");
  });

  it("verifies, and rejects a tampered body, a wrong secret or an old delivery", async () => {
    const req = await buildAlertWebhook(input);
    const sig = req.headers["X-VCX-Signature"];
    const now = { now: "2026-03-02T10:01:00Z" };
    expect(await verifyAlertWebhook(req.body, sig, "whsec-test", now)).toMatchObject({ ok: true });
    expect(await verifyAlertWebhook(req.body.replace("300.00", "3.00"), sig, "whsec-test", now)).toEqual({
      ok: false,
      reason: "signature does not match",
    });
    expect(await verifyAlertWebhook(req.body, sig, "other", now)).toMatchObject({ ok: false });
    expect(await verifyAlertWebhook(req.body, undefined, "whsec-test", now)).toMatchObject({ ok: false });
    expect(await verifyAlertWebhook(req.body, sig, "whsec-test", { now: "2026-03-02T11:00:00Z" })).toEqual({
      ok: false,
      reason: "signature timestamp too old",
    });
  });

  it("needs a secret", async () => {
    await expect(buildAlertWebhook({ ...input, secret: "" })).rejects.toThrow("signing secret");
  });
});

import { Hono } from "hono";
import { ingest } from "../domain/remittance/ingest";
import { remittanceToJson } from "../domain/remittance/json";
import { localeToDateOrder } from "../domain/remittance/options";
import type { Env } from "./env";

export const app = new Hono<{ Bindings: Env }>();

app.get("/health", (c) => c.json({ ok: true, service: "vcx-api", env: c.env.VCX_ENV }));

/**
 * Parse an uploaded remittance (raw body: XLSX, CSV or X12 820) into the normalised model. Bad files are
 * answered with 422 and the structured problem list, never a 500. Authentication, persistence and the rest
 * of the API arrive with the Worker issue; this route proves the pure core runs inside workerd.
 */
app.post("/v1/remittances/parse", async (c) => {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const dateOrder = localeToDateOrder(c.req.query("locale"));
  const result = ingest(
    { kind: "bytes", fileName: c.req.query("fileName") ?? "upload", bytes },
    dateOrder ? { dateOrder } : {},
  );
  const failed = result.problems.some((p) => p.severity === "error");
  return c.json(remittanceToJson(result), failed ? 422 : 200);
});

app.onError((err, c) => {
  console.error(err);
  return c.json(
    { error: { code: "internal", message: "Something went wrong on our side; nothing was changed." } },
    500,
  );
});

export default app;

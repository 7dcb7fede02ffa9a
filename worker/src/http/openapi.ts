/** The machine-readable contract at /v1/openapi.json (docs/api-contract.md is the prose version). */
import { z } from "zod";
import { NewApiKey } from "../routes/api-keys";
import { CustomConnection } from "../routes/connections";
import { ExceptionPatch } from "../routes/exceptions";
import { ReplaceSheet, ValidateMappings } from "../routes/mappings";
import { monitoringOpenApiPaths } from "../routes/monitoring";
import { AmazonConnection, PoPreview, PoPull } from "../routes/purchase-orders";
import { GridUpload } from "../routes/remittances";

const ErrorEnvelope = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    issues: z
      .array(
        z.object({
          path: z.array(z.union([z.string(), z.number()])),
          message: z.string(),
          row: z.number().optional(),
          column: z.string().optional(),
          cell: z.string().optional(),
        }),
      )
      .optional(),
  }),
});

const json = (schema: z.ZodType) => ({
  content: {
    "application/json": { schema: z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) },
  },
});
const ok = (description: string) => ({ description });
const errors = { default: { description: "Error envelope", ...json(ErrorEnvelope) } };

type Op = { summary: string; requestBody?: unknown; auth?: false; responses?: Record<string, unknown> };
const op = (o: Op) => ({
  summary: o.summary,
  ...(o.requestBody ? { requestBody: o.requestBody } : {}),
  ...(o.auth === false ? { security: [] } : {}),
  responses: { ...(o.responses ?? { "200": ok("OK") }), ...errors },
});

const org = "/v1/organisations/{orgId}";

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "VCX API",
      version: "1.0.0",
      description: "Amazon Vendor Central remittances into Xero. See docs/api-contract.md.",
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Session token (vcxs_…) or API key (vcxk_…)" },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      "/health": { get: op({ summary: "Liveness", auth: false }) },
      "/v1/auth/xero/start": {
        get: op({
          summary: "Start Sign in with Xero (302 to Xero)",
          auth: false,
          responses: { "302": ok("Redirect to Xero") },
        }),
      },
      "/v1/auth/xero/callback": {
        get: op({
          summary: "Xero redirect target: HTML page handing a one-time code to the task pane",
          auth: false,
        }),
      },
      "/v1/auth/exchange": {
        post: op({
          summary: "One-time code → session",
          auth: false,
          requestBody: json(z.object({ code: z.string() })),
        }),
      },
      "/v1/auth/logout": { post: op({ summary: "Revoke the session", responses: { "204": ok("Revoked") } }) },
      "/v1/api-keys": {
        get: op({ summary: "List the user's API keys" }),
        post: op({
          summary: "Create an organisation-scoped API key (shown once)",
          requestBody: json(NewApiKey),
          responses: { "201": ok("Created") },
        }),
      },
      "/v1/api-keys/{id}": {
        delete: op({ summary: "Revoke an API key", responses: { "204": ok("Revoked") } }),
      },
      "/v1/connections/custom": {
        post: op({
          summary: "Connect an organisation via a Xero custom connection",
          requestBody: json(CustomConnection),
          responses: { "201": ok("Connected") },
        }),
      },
      "/v1/organisations": { get: op({ summary: "Organisations the caller may reach" }) },
      [`${org}/status`]: { get: op({ summary: "Connection health, lock dates, base currency, API budget" }) },
      [`${org}/reference`]: { get: op({ summary: "Cached accounts, tax rates, items, contacts" }) },
      [`${org}/reference/refresh`]: {
        post: op({ summary: "Refresh reference data from Xero (If-Modified-Since)" }),
      },
      [`${org}/mappings`]: { get: op({ summary: "Current mapping sheets with version" }) },
      [`${org}/mappings/validate`]: {
        post: op({
          summary: "Validate sheets (schema + reference data)",
          requestBody: json(ValidateMappings),
        }),
      },
      [`${org}/mappings/{sheet}`]: {
        put: op({
          summary: "Replace one sheet atomically",
          requestBody: json(ReplaceSheet),
          responses: { "200": ok("New version"), "422": ok("Invalid cells") },
        }),
      },
      [`${org}/remittances`]: {
        get: op({ summary: "List remittances" }),
        post: op({
          summary: "Upload a remittance file (octet-stream + X-File-Name) or grid (JSON)",
          requestBody: {
            content: {
              "application/octet-stream": { schema: { type: "string", format: "binary" } },
              ...json(GridUpload).content,
            },
          },
          responses: { "201": ok("Stored"), "422": ok("The file has errors"), "413": ok("Too large") },
        }),
      },
      [`${org}/remittances/{id}`]: {
        get: op({ summary: "A remittance with lines, kinds, checks, problems" }),
      },
      [`${org}/remittances/{id}/preview`]: {
        post: op({ summary: "Plan against the live organisation snapshot" }),
      },
      [`${org}/exceptions`]: { get: op({ summary: "List/filter exceptions (remittanceId, kind, status)" }) },
      [`${org}/exceptions/{id}`]: {
        patch: op({ summary: "Resolve/annotate an exception", requestBody: json(ExceptionPatch) }),
      },
      ...monitoringOpenApiPaths(org, op, json),
      [`${org}/purchase-orders`]: {
        get: op({
          summary:
            "Purchase orders with status (new/planned/held/nothing_to_invoice/invoiced) and exceptions",
        }),
        post: op({
          summary: "Import an SP-API JSON or X12 850/855 file (idempotent: a replay creates nothing)",
          requestBody: {
            content: {
              "application/octet-stream": { schema: { type: "string", format: "binary" } },
              "application/json": { schema: { type: "object" } },
              "application/edi-x12": { schema: { type: "string" } },
            },
          },
          responses: {
            "201": ok("Imported"),
            "200": ok("Replayed: nothing new"),
            "422": ok("No purchase order"),
          },
        }),
      },
      [`${org}/purchase-orders/pull`]: {
        post: op({
          summary: "Pull purchase orders from Amazon now",
          requestBody: json(PoPull),
          responses: { "200": ok("Pulled"), "409": ok("No Amazon connection"), "502": ok("Amazon failed") },
        }),
      },
      [`${org}/purchase-orders/preview`]: {
        get: op({ summary: "The latest stored preview" }),
        post: op({
          summary: "Plan the Xero sales invoices against the live organisation snapshot",
          requestBody: json(PoPreview),
        }),
      },
      [`${org}/purchase-orders/amazon-connection`]: {
        get: op({ summary: "The organisation's Amazon SP-API connection (no secrets)" }),
        put: op({
          summary: "Connect Amazon (LWA credentials, encrypted at rest)",
          requestBody: json(AmazonConnection),
        }),
        delete: op({ summary: "Disconnect Amazon", responses: { "204": ok("Deleted") } }),
      },
      [`${org}/audit`]: { get: op({ summary: "Latest audit entries of the organisation" }) },
      "/v1/webhooks/xero": {
        post: op({
          summary: "Xero webhooks (x-xero-signature)",
          auth: false,
          responses: { "200": ok("Accepted"), "401": ok("Bad signature") },
        }),
      },
    },
  };
}

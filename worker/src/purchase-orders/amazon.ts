/**
 * An organisation's Amazon SP-API connection (LWA credentials encrypted at rest like the Xero tokens) and the
 * pull: worker/amazon's connector through the AMAZON service binding when bound (tests: the stand-in of
 * Amazon's static sandbox), else the global fetch; what it reads is stored as PO pieces.
 */
import { AMAZON_ENDPOINTS, type AmazonConnectorConfig, SpApiClient } from "../../amazon/client";
import { pullPurchaseOrders } from "../../amazon/pull";
import type { PoProblem } from "../../domain/po/model";
import { TokenCipher } from "../auth/crypto";
import type { Env } from "../env";
import { ApiError } from "../http/errors";
import { nowIso } from "../store/time";
import { type StoreResult, storePieces } from "./store";

export type AmazonRegion = "na" | "eu" | "fe";

export interface AmazonConnectionRow {
  org_id: string;
  region: AmazonRegion;
  sandbox: number;
  vendor_code: string | null;
  client_id_enc: string;
  client_secret_enc: string;
  refresh_token_enc: string;
  pull_enabled: number;
  pull_interval_minutes: number;
  last_pull_at: string | null;
  last_pull_until: string | null;
  last_pull_status: string | null;
  last_pull_json: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface AmazonConnectionInput {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  region: AmazonRegion;
  sandbox: boolean;
  vendorCode?: string | undefined;
  pullEnabled: boolean;
  pullIntervalMinutes: number;
}

const ctx = (orgId: string, what: "client_id" | "client_secret" | "refresh_token") =>
  `amazon:${orgId}:${what}`;

export const DEFAULT_PULL_DAYS = 7;

export async function saveAmazonConnection(
  env: Env,
  orgId: string,
  userId: string,
  input: AmazonConnectionInput,
): Promise<void> {
  const cipher = await TokenCipher.fromSecret(env.TOKEN_ENCRYPTION_KEY);
  const at = nowIso();
  await env.DB.prepare(
    `INSERT INTO amazon_connections (org_id, region, sandbox, vendor_code, client_id_enc, client_secret_enc,
       refresh_token_enc, pull_enabled, pull_interval_minutes, created_by, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
     ON CONFLICT (org_id) DO UPDATE SET region = excluded.region, sandbox = excluded.sandbox,
       vendor_code = excluded.vendor_code, client_id_enc = excluded.client_id_enc,
       client_secret_enc = excluded.client_secret_enc, refresh_token_enc = excluded.refresh_token_enc,
       pull_enabled = excluded.pull_enabled, pull_interval_minutes = excluded.pull_interval_minutes,
       updated_at = excluded.updated_at`,
  )
    .bind(
      orgId,
      input.region,
      input.sandbox ? 1 : 0,
      input.vendorCode ?? null,
      await cipher.encrypt(input.clientId, ctx(orgId, "client_id")),
      await cipher.encrypt(input.clientSecret, ctx(orgId, "client_secret")),
      await cipher.encrypt(input.refreshToken, ctx(orgId, "refresh_token")),
      input.pullEnabled ? 1 : 0,
      input.pullIntervalMinutes,
      userId,
      at,
    )
    .run();
}

export const getAmazonConnection = (db: D1Database, orgId: string) =>
  db.prepare("SELECT * FROM amazon_connections WHERE org_id = ?1").bind(orgId).first<AmazonConnectionRow>();

/** Base URLs: the deployment's overrides (AMAZON_LWA_TOKEN_URL / AMAZON_SP_API_URL) or the region's. */
export function amazonUrls(env: Env, row: Pick<AmazonConnectionRow, "region" | "sandbox">) {
  const key = row.sandbox
    ? (`sandbox${row.region[0]?.toUpperCase()}${row.region.slice(1)}` as
        | "sandboxNa"
        | "sandboxEu"
        | "sandboxFe")
    : row.region;
  return {
    lwaTokenUrl: env.AMAZON_LWA_TOKEN_URL || AMAZON_ENDPOINTS.lwaTokenUrl,
    spApiBaseUrl: env.AMAZON_SP_API_URL || AMAZON_ENDPOINTS[key],
  };
}

/** The connection as the API shows it: never the secrets. */
export function connectionJson(env: Env, row: AmazonConnectionRow) {
  return {
    region: row.region,
    sandbox: row.sandbox === 1,
    vendorCode: row.vendor_code,
    pullEnabled: row.pull_enabled === 1,
    pullIntervalMinutes: row.pull_interval_minutes,
    ...amazonUrls(env, row),
    lastPull: row.last_pull_at
      ? {
          at: row.last_pull_at,
          until: row.last_pull_until,
          status: row.last_pull_status,
          ...(row.last_pull_json ? (JSON.parse(row.last_pull_json) as object) : {}),
        }
      : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function amazonClient(env: Env, row: AmazonConnectionRow): Promise<SpApiClient> {
  const cipher = await TokenCipher.fromSecret(env.TOKEN_ENCRYPTION_KEY);
  const config: AmazonConnectorConfig = {
    ...amazonUrls(env, row),
    clientId: await cipher.decrypt(row.client_id_enc, ctx(row.org_id, "client_id")),
    clientSecret: await cipher.decrypt(row.client_secret_enc, ctx(row.org_id, "client_secret")),
    refreshToken: await cipher.decrypt(row.refresh_token_enc, ctx(row.org_id, "refresh_token")),
  };
  const transport = env.AMAZON;
  const backoff = Number(env.AMAZON_BACKOFF_MS);
  return new SpApiClient(config, {
    fetch: transport ? (r) => transport.fetch(r) : (r) => fetch(r),
    ...(Number.isFinite(backoff) && backoff >= 0 && env.AMAZON_BACKOFF_MS ? { backoffMs: backoff } : {}),
  });
}

export interface PullRequest {
  createdAfter?: string | undefined;
  createdBefore?: string | undefined;
  includeStatus?: boolean | undefined;
  includeDetails?: boolean | undefined;
  sortOrder?: "ASC" | "DESC" | undefined;
  limit?: number | undefined;
}

export interface PullReport {
  createdAfter: string;
  createdBefore: string;
  windows: { after: string; before: string }[];
  /** POs read (all pages merged). */
  orders: string[];
  stored: StoreResult;
  problems: PoProblem[];
  calls: number;
  status: "ok" | "partial" | "failed";
}

const DAY = 86_400_000;
const withZone = (s: string) => (/(?:Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}Z`);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Pull now for one organisation: from the request's range, else from where the last pull ended. */
export async function pullForOrg(env: Env, orgId: string, req: PullRequest = {}): Promise<PullReport> {
  const row = await getAmazonConnection(env.DB, orgId);
  if (!row)
    throw new ApiError(
      409,
      "amazon_not_connected",
      "Connect Amazon first: PUT /purchase-orders/amazon-connection with the LWA credentials.",
    );
  const now = Date.now();
  const createdBefore = req.createdBefore ?? iso(now);
  const createdAfter =
    req.createdAfter ?? row.last_pull_until ?? iso(Date.parse(createdBefore) - DEFAULT_PULL_DAYS * DAY);
  const client = await amazonClient(env, row);
  const result = await pullPurchaseOrders(client, {
    createdAfter,
    createdBefore,
    includeStatus: req.includeStatus ?? true,
    ...(row.vendor_code ? { orderingVendorCode: row.vendor_code } : {}),
    query: {
      ...(req.includeDetails !== undefined ? { includeDetails: req.includeDetails } : {}),
      ...(req.sortOrder ? { sortOrder: req.sortOrder } : {}),
      ...(req.limit !== undefined ? { limit: req.limit } : {}),
    },
    // Amazon's sandbox serves static (2019–2020) data and keeps no history window: cap from the range's end.
    now: row.sandbox ? Date.parse(withZone(createdBefore)) || now : now,
  });
  const pieces = result.pages.flatMap((p) =>
    p.orders.map((order) => ({ order, fileName: p.fileName, format: p.format })),
  );
  const stored = await storePieces(env.DB, orgId, "pull", null, pieces);
  const failed = result.problems.filter((p) => p.severity === "error");
  const status: PullReport["status"] =
    failed.length === 0 ? "ok" : result.pages.length > 0 ? "partial" : "failed";
  const report: PullReport = {
    createdAfter,
    createdBefore,
    windows: result.windows,
    orders: result.orders.map((o) => o.purchaseOrderNumber),
    stored,
    problems: result.problems,
    calls: client.calls,
    status,
  };
  await env.DB.prepare(
    `UPDATE amazon_connections SET last_pull_at = ?2, last_pull_status = ?3, last_pull_json = ?4,
       last_pull_until = CASE WHEN ?3 = 'ok' THEN ?5 ELSE last_pull_until END WHERE org_id = ?1`,
  )
    .bind(
      orgId,
      iso(now),
      status,
      JSON.stringify({
        orders: report.orders.length,
        newOrders: stored.newOrders.length,
        problems: result.problems.slice(0, 20),
      }),
      createdBefore,
    )
    .run();
  return report;
}

/** Cron: pull for the organisations whose interval has passed (a few per run); failures are logged. */
export async function pullDueOrganisations(env: Env, limit = 5): Promise<string[]> {
  const rows = await env.DB.prepare(
    "SELECT org_id, last_pull_at, pull_interval_minutes FROM amazon_connections WHERE pull_enabled = 1",
  ).all<{ org_id: string; last_pull_at: string | null; pull_interval_minutes: number }>();
  const now = Date.now();
  const due = rows.results
    .filter((r) => !r.last_pull_at || Date.parse(r.last_pull_at) + r.pull_interval_minutes * 60_000 <= now)
    .sort((a, b) => (a.last_pull_at ?? "").localeCompare(b.last_pull_at ?? ""))
    .slice(0, limit);
  const pulled: string[] = [];
  for (const r of due) {
    try {
      await pullForOrg(env, r.org_id);
      pulled.push(r.org_id);
    } catch (e) {
      console.error(`amazon pull failed for ${r.org_id}`, e);
    }
  }
  return pulled;
}

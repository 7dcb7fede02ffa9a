/**
 * Drift checks wired to the Worker's records: each gathers the inputs the pure checks in
 * domain/monitoring need and raises what they find (once per condition, see ./deliver.ts).
 */

import type { Mappings } from "../../domain/mapping/model";
import { mappingsFromGrids } from "../../domain/mapping/workbook";
import { decimalToMinor } from "../../domain/money";
import type { Alert } from "../../domain/monitoring/alerts";
import {
  type ApiBudget,
  apiBudgetAlerts,
  archivedAccountAlerts,
  type ConnectionRecord,
  connectionAlerts,
  deductionDriftAlerts,
  learnDeductions,
  orphanReversalAlerts,
  type XeroDocumentNow,
  xeroChangeAlerts,
} from "../../domain/monitoring/drift";
import { linkHistory } from "../../domain/monitoring/history";
import type { Remittance } from "../../domain/remittance/model";
import { readSheets } from "../mappings/store";
import { ingestSource } from "../remittances/preview";
import { listRemittances, readSource } from "../remittances/store";
import type { OrgRow } from "../store/organisations";
import { nowIso } from "../store/time";
import type { XeroClient } from "../xero/client";
import { orgStub, orgXeroClient } from "../xero/org-client";
import { type ReferenceData, readReference } from "../xero/reference";
import { deliverPending, type MonitoringEnv, raiseAlerts } from "./deliver";
import { markChecked, postedDocuments, readKnownDeductions, saveKnownDeductions, toPosted } from "./store";

/** Every organisation, whatever its connection state (the connection check needs the broken ones too). */
export async function allOrganisations(db: D1Database): Promise<OrgRow[]> {
  const r = await db
    .prepare(
      `SELECT o.id, o.name, o.base_currency, o.grant_id, o.xero_connection_id, g.kind, g.status
       FROM organisations o JOIN xero_grants g ON g.id = o.grant_id ORDER BY o.id`,
    )
    .all<OrgRow>();
  return r.results;
}

/** Xero's default daily call allowance per organisation. */
export const DAILY_API_LIMIT = 5_000;

/** The organisation's mappings, or undefined while they are incomplete (checks that need them wait). */
export async function mappingsOrUndefined(db: D1Database, orgId: string): Promise<Mappings | undefined> {
  const m = mappingsFromGrids(await readSheets(db, orgId));
  return m.ok ? m.mappings : undefined;
}

/** On upload/preview: new deduction codes or descriptions, and lines only the catch-all maps. */
export async function checkNewRemittance(
  db: D1Database,
  orgId: string,
  remittance: Remittance,
  mappings: Mappings,
  vendorCode: string,
): Promise<Alert[]> {
  const known = await readKnownDeductions(db, orgId);
  const found = deductionDriftAlerts({ organisationId: orgId, remittance, known, mappings, vendorCode });
  const raised = await raiseAlerts(db, orgId, found);
  await saveKnownDeductions(db, orgId, learnDeductions(known, remittance));
  return raised;
}

/** After a reference refresh: mappings pointing at archived, deleted or missing accounts. */
export async function checkArchivedAccounts(
  db: D1Database,
  orgId: string,
  ref: Pick<ReferenceData, "accounts">,
  options: { env?: MonitoringEnv } = {},
): Promise<Alert[]> {
  const mappings = await mappingsOrUndefined(db, orgId);
  if (!mappings || ref.accounts.length === 0) return [];
  const found = archivedAccountAlerts(
    mappings,
    { accounts: ref.accounts.map((a) => ({ code: a.code, name: a.name, status: a.status })) as never },
    orgId,
  );
  return raiseAlerts(db, orgId, found, { clears: ["archived_account"], ...options });
}

// biome-ignore lint/suspicious/noExplicitAny: raw Xero JSON
type XeroDoc = any;

const ENDPOINT: Record<string, { path: string; key: string; id: string; status?: string }> = {
  Invoice: { path: "/Invoices", key: "Invoices", id: "InvoiceID" },
  CreditNote: { path: "/CreditNotes", key: "CreditNotes", id: "CreditNoteID" },
  Payment: { path: "/Payments", key: "Payments", id: "PaymentID" },
  RefundPayment: { path: "/Payments", key: "Payments", id: "PaymentID" },
  ManualJournal: { path: "/ManualJournals", key: "ManualJournals", id: "ManualJournalID" },
  BankTransaction: { path: "/BankTransactions", key: "BankTransactions", id: "BankTransactionID" },
};

function totalOf(type: string, d: XeroDoc): number | undefined {
  const text =
    type === "Payment" || type === "RefundPayment"
      ? d.Amount
      : type === "ManualJournal"
        ? (d.JournalLines ?? [])
            .filter((l: XeroDoc) => Number(l.LineAmount) > 0)
            .reduce((t: number, l: XeroDoc) => t + Number(l.LineAmount), 0)
            .toFixed(2)
        : d.Total;
  if (text === undefined || text === null) return undefined;
  return decimalToMinor(Number(text).toFixed(2), 2);
}

/** What Xero says now about the given posted documents (by type: batched IDs where Xero allows it). */
export async function readXeroDocuments(
  x: XeroClient,
  docs: readonly { type: string; xeroId: string }[],
): Promise<XeroDocumentNow[]> {
  const out: XeroDocumentNow[] = [];
  const byType = new Map<string, string[]>();
  for (const d of docs) byType.set(d.type, [...(byType.get(d.type) ?? []), d.xeroId]);
  for (const [type, ids] of byType) {
    const ep = ENDPOINT[type];
    if (!ep) continue;
    const batched = type === "Invoice" || type === "CreditNote";
    const found: XeroDoc[] = [];
    if (batched) {
      for (let i = 0; i < ids.length; i += 40) {
        const res = await x.request<Record<string, XeroDoc[]>>({
          path: ep.path,
          query: { IDs: ids.slice(i, i + 40).join(",") },
        });
        if (res.ok) found.push(...(res.body[ep.key] ?? []));
      }
    } else {
      for (const id of ids) {
        const res = await x.request<Record<string, XeroDoc[]>>({ path: `${ep.path}/${id}` });
        if (res.ok) found.push(...(res.body[ep.key] ?? []));
        else if (res.status === 404) out.push({ xeroId: id, status: "DELETED" });
      }
    }
    for (const d of found) {
      const amount = totalOf(type, d);
      out.push({
        xeroId: String(d[ep.id]),
        status: String(d.Status ?? "AUTHORISED"),
        ...(amount !== undefined ? { amount } : {}),
        ...(d.UpdatedDateUTC ? { updatedAt: String(d.UpdatedDateUTC) } : {}),
      });
    }
  }
  return out;
}

/**
 * Compare posted documents with Xero: all of them (the scheduled comparison, `complete`), or those a webhook
 * named. Raises voided / deleted / edited-amount alerts.
 */
export async function compareWithXero(
  env: MonitoringEnv,
  org: Pick<OrgRow, "id" | "kind" | "grant_id">,
  options: { xeroIds?: ReadonlySet<string>; x?: XeroClient } = {},
): Promise<Alert[]> {
  // Allocations have no document of their own in Xero to read back; their credit note is compared.
  const rows = (await postedDocuments(env.DB, org.id)).filter(
    (r) =>
      ENDPOINT[r.type] !== undefined && (!options.xeroIds || options.xeroIds.has(r.xero_id.toLowerCase())),
  );
  if (rows.length === 0) return [];
  const posted = rows.map(toPosted);
  const x = options.x ?? orgXeroClient(env, org);
  const now = await readXeroDocuments(x, posted);
  const complete = options.xeroIds === undefined;
  const found = xeroChangeAlerts(posted, now, { organisationId: org.id, complete });
  await markChecked(
    env.DB,
    org.id,
    now.map((d) => ({ xeroId: d.xeroId, status: d.status })),
  );
  return raiseAlerts(env.DB, org.id, found, { env });
}

/** Recorded Xero webhook events not yet looked at: the documents they name are compared with Xero. */
export async function processWebhookEvents(env: MonitoringEnv, orgs: readonly OrgRow[]): Promise<Alert[]> {
  const events = await env.DB.prepare(
    "SELECT event_key, tenant_id, resource_id FROM webhook_events WHERE processed_at IS NULL ORDER BY received_at LIMIT 500",
  ).all<{ event_key: string; tenant_id: string; resource_id: string }>();
  const byTenant = new Map<string, Set<string>>();
  for (const e of events.results) {
    const set = byTenant.get(e.tenant_id) ?? new Set<string>();
    set.add(e.resource_id.toLowerCase());
    byTenant.set(e.tenant_id, set);
  }
  const raised: Alert[] = [];
  for (const [tenant, ids] of byTenant) {
    const org = orgs.find((o) => o.id === tenant);
    if (!org) continue;
    try {
      raised.push(...(await compareWithXero(env, org, { xeroIds: ids })));
    } catch (e) {
      console.error(`webhook comparison failed for ${tenant}`, e);
      continue;
    }
    await env.DB.batch(
      events.results
        .filter((e) => e.tenant_id === tenant)
        .map((e) =>
          env.DB.prepare("UPDATE webhook_events SET processed_at = ?2 WHERE event_key = ?1").bind(
            e.event_key,
            nowIso(),
          ),
        ),
    );
  }
  // Events for organisations VCX does not hold: nothing to compare.
  const unknown = events.results.filter((e) => !orgs.some((o) => o.id === e.tenant_id));
  if (unknown.length > 0)
    await env.DB.batch(
      unknown.map((e) =>
        env.DB.prepare("UPDATE webhook_events SET processed_at = ?2 WHERE event_key = ?1").bind(
          e.event_key,
          nowIso(),
        ),
      ),
    );
  return raised;
}

export async function connectionRecord(org: OrgRow): Promise<ConnectionRecord> {
  return {
    organisationId: org.id,
    organisationName: org.name,
    status: org.status === "ok" ? "active" : "needs_reconsent",
  };
}

export async function apiBudget(env: MonitoringEnv, org: OrgRow): Promise<ApiBudget | undefined> {
  const limits = await orgStub(env, org.id).limits();
  if (limits?.dayRemaining === undefined) return undefined;
  return {
    organisationId: org.id,
    organisationName: org.name,
    day: (limits.at ?? nowIso()).slice(0, 10),
    remaining: limits.dayRemaining,
    limit: DAILY_API_LIMIT,
  };
}

/** Connection needing re-consent and the daily API budget running low. */
export async function checkConnectionAndBudget(env: MonitoringEnv, org: OrgRow): Promise<Alert[]> {
  const connection = await connectionRecord(org);
  const budget = await apiBudget(env, org);
  const found = [
    ...connectionAlerts([connection], { now: nowIso() }),
    ...(budget ? apiBudgetAlerts([budget]) : []),
  ];
  return raiseAlerts(env.DB, org.id, found, { clears: ["connection_reconsent"], env });
}

/** Every remittance of the organisation, re-read from its stored source (oldest first). */
export async function allRemittances(
  db: D1Database,
  orgId: string,
): Promise<{ id: string; remittance: Remittance }[]> {
  const rows = (await listRemittances(db, orgId)).filter((r) => r.status !== "failed").reverse();
  const out: { id: string; remittance: Remittance }[] = [];
  for (const r of rows) out.push({ id: r.id, remittance: ingestSource(await readSource(db, r)) });
  return out;
}

/** Reversals whose originals are in no remittance VCX has. */
export async function checkOrphanReversals(env: MonitoringEnv, orgId: string): Promise<Alert[]> {
  const history = linkHistory((await allRemittances(env.DB, orgId)).map((r) => r.remittance));
  return raiseAlerts(env.DB, orgId, orphanReversalAlerts(history, orgId), { env });
}

/** The full comparison reads every posted document back from Xero: at most this often per organisation. */
export const FULL_COMPARISON_EVERY_MS = 6 * 3_600_000;

async function comparisonDue(db: D1Database, orgId: string): Promise<boolean> {
  const r = await db
    .prepare("SELECT MIN(COALESCE(checked_at, '')) AS oldest FROM posted_documents WHERE org_id = ?1")
    .bind(orgId)
    .first<{ oldest: string | null }>();
  if (r?.oldest === null || r?.oldest === undefined) return false;
  return r.oldest === "" || Date.parse(r.oldest) < Date.now() - FULL_COMPARISON_EVERY_MS;
}

/**
 * Everything the scheduled run checks for one organisation; then retry undelivered alerts. The full
 * comparison with Xero runs when a posted document has not been checked for FULL_COMPARISON_EVERY_MS
 * (webhook-named documents are compared on every run), or always with `force` (POST …/monitoring/check).
 */
export async function runOrgMonitoring(
  env: MonitoringEnv,
  org: OrgRow,
  options: { force?: boolean } = {},
): Promise<Alert[]> {
  const raised: Alert[] = [];
  raised.push(...(await checkConnectionAndBudget(env, org)));
  if (org.status === "ok" && (options.force || (await comparisonDue(env.DB, org.id)))) {
    try {
      raised.push(...(await compareWithXero(env, org)));
    } catch (e) {
      console.error(`scheduled comparison failed for ${org.id}`, e);
    }
  }
  raised.push(...(await checkArchivedAccounts(env.DB, org.id, await readReference(env.DB, org.id), { env })));
  raised.push(...(await checkOrphanReversals(env, org.id)));
  await deliverPending(env, org.id, org.name);
  return raised;
}

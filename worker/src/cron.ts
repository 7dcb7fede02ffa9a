/**
 * Cron (every 15 minutes): expire sessions/states/codes; refresh stale reference data, a few orgs per run;
 * sync posting jobs nobody polled (and alert on failed/stuck ones); pull Amazon purchase orders for the
 * organisations whose pull interval has passed.
 */
import { expireSessions } from "./auth/sessions";
import type { Env } from "./env";
import { allOrganisations, processWebhookEvents, runOrgMonitoring } from "./monitoring/checks";
import { syncPostingJobs } from "./monitoring/jobs";
import { pullDueOrganisations } from "./purchase-orders/amazon";
import { allConnectedOrganisations } from "./store/organisations";
import { orgXeroClient } from "./xero/org-client";
import { refreshReference } from "./xero/reference";

const STALE_MS = 6 * 3_600_000;
const ORGS_PER_RUN = 10;

export async function runScheduled(
  env: Env,
  _cron: string,
): Promise<{ expired: number; refreshed: string[]; pulled: string[]; jobsSynced: string[] }> {
  const expired = await expireSessions(env.DB);
  const stale = await env.DB.prepare(
    "SELECT org_id, MIN(refreshed_at) AS at FROM reference_data GROUP BY org_id",
  ).all<{ org_id: string; at: string }>();
  const last = new Map(stale.results.map((r) => [r.org_id, Date.parse(r.at)]));
  const due = (await allConnectedOrganisations(env.DB))
    .filter((o) => (last.get(o.id) ?? 0) < Date.now() - STALE_MS)
    .slice(0, ORGS_PER_RUN);
  const refreshed: string[] = [];
  for (const org of due) {
    try {
      await refreshReference(env.DB, org.id, orgXeroClient(env, org));
      refreshed.push(org.id);
    } catch (e) {
      console.error(`reference refresh failed for ${org.id}`, e);
    }
  }
  // Posting jobs nobody polled: results into D1 and monitoring; failed/stuck jobs alerted (issue 6).
  let jobsSynced: string[] = [];
  try {
    jobsSynced = (await syncPostingJobs(env)).synced;
  } catch (e) {
    console.error("posting job sync failed", e);
  }
  // Monitoring (issue 9): webhook-named documents, then the scheduled comparison and checks per org.
  const orgs = await allOrganisations(env.DB);
  await processWebhookEvents(env, orgs).catch((e) => console.error("webhook event processing failed", e));
  for (const org of orgs.slice(0, ORGS_PER_RUN * 5)) {
    await runOrgMonitoring(env, org).catch((e) => console.error(`monitoring failed for ${org.id}`, e));
  }
  let pulled: string[] = [];
  try {
    pulled = await pullDueOrganisations(env);
  } catch (e) {
    console.error("amazon pulls failed", e);
  }
  return { expired, refreshed, pulled, jobsSynced };
}

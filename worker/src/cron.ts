/** Cron (every 15 minutes): expire sessions/states/codes; refresh stale reference data, a few orgs per run. */
import { expireSessions } from "./auth/sessions";
import type { Env } from "./env";
import { allConnectedOrganisations } from "./store/organisations";
import { orgXeroClient } from "./xero/org-client";
import { refreshReference } from "./xero/reference";

const STALE_MS = 6 * 3_600_000;
const ORGS_PER_RUN = 10;

export async function runScheduled(
  env: Env,
  _cron: string,
): Promise<{ expired: number; refreshed: string[] }> {
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
  return { expired, refreshed };
}

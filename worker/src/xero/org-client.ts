/**
 * A XeroClient for one organisation: tokens come from its grant's XeroConnection DO (the one refresher),
 * rate-limit headers go to the organisation's XeroConnection DO.
 */
import type { Env } from "../env";
import { reconnectNeeded } from "../http/errors";
import type { OrgRow } from "../store/organisations";
import { XeroClient } from "./client";
import { xeroConfig } from "./config";

export const grantStub = (env: Env, grantId: string) =>
  env.XERO_CONNECTIONS.get(env.XERO_CONNECTIONS.idFromName(`grant:${grantId}`));
export const orgStub = (env: Env, orgId: string) =>
  env.XERO_CONNECTIONS.get(env.XERO_CONNECTIONS.idFromName(`org:${orgId}`));

export function orgXeroClient(
  env: Env,
  org: Pick<OrgRow, "id" | "kind" | "grant_id">,
  waitUntil?: (p: Promise<unknown>) => void,
): XeroClient {
  const grant = grantStub(env, org.grant_id);
  const budget = orgStub(env, org.id);
  return new XeroClient({
    config: xeroConfig(env),
    ...(org.kind === "oauth" ? { tenantId: org.id } : {}),
    token: async (fresh) => {
      const r = await grant.accessToken(org.grant_id, fresh);
      if (!r.ok) throw reconnectNeeded();
      return r.token;
    },
    onLimits: (limits) => {
      const p = budget.recordLimits(limits);
      if (waitUntil) waitUntil(p);
      else p.catch(() => {});
    },
  });
}

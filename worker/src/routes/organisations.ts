/** /v1/organisations: the caller's organisations, their status, and reference data. */
import { Hono } from "hono";
import { requireAuth, requireOrg } from "../auth/middleware";
import type { AppEnv } from "../http/context";
import { ApiError } from "../http/errors";
import { getOrg, setOrgDetails, userOrganisations } from "../store/organisations";
import { orgStub, orgXeroClient } from "../xero/org-client";
import { readReference, referenceView, refreshReference } from "../xero/reference";
import { readOrganisation } from "../xero/snapshot";

export const organisationRoutes = new Hono<AppEnv>();
organisationRoutes.use("*", requireAuth);
organisationRoutes.use("/:orgId/*", requireOrg);
organisationRoutes.use("/:orgId", requireOrg);

organisationRoutes.get("/", async (c) => {
  const p = c.get("principal");
  const orgs = (await userOrganisations(c.env.DB, p.userId)).filter(
    (o) => !p.keyOrgId || o.id === p.keyOrgId,
  );
  return c.json({
    organisations: orgs.map((o) => ({
      id: o.id,
      name: o.name,
      baseCurrency: o.base_currency,
      connection: o.status,
    })),
  });
});

organisationRoutes.get("/:orgId/status", async (c) => {
  let org = c.get("org");
  let info: Awaited<ReturnType<typeof readOrganisation>> = {};
  if (org.status === "ok") {
    try {
      info = await readOrganisation(orgXeroClient(c.env, org, (p) => c.executionCtx.waitUntil(p)));
      await setOrgDetails(c.env.DB, org.id, info.name, info.baseCurrency);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === "reconnect_needed")) throw e;
    }
    org = (await getOrg(c.env.DB, org.id)) ?? org;
  }
  const limits = await orgStub(c.env, org.id).limits();
  return c.json({
    id: org.id,
    name: info.name ?? org.name,
    baseCurrency: info.baseCurrency ?? org.base_currency,
    periodLockDate: info.periodLockDate ?? null,
    endOfYearLockDate: info.endOfYearLockDate ?? null,
    isAdviser: false,
    connection: org.status,
    connectionKind: org.kind,
    apiBudget: {
      dayRemaining: limits?.dayRemaining ?? null,
      minuteRemaining: limits?.minuteRemaining ?? null,
    },
  });
});

organisationRoutes.get("/:orgId/reference", async (c) => {
  const org = c.get("org");
  let ref = await readReference(c.env.DB, org.id);
  if (ref.refreshedAt === null) ref = await refreshReference(c.env.DB, org.id, orgXeroClient(c.env, org));
  return c.json(referenceView(ref));
});

organisationRoutes.post("/:orgId/reference/refresh", async (c) => {
  const org = c.get("org");
  return c.json(referenceView(await refreshReference(c.env.DB, org.id, orgXeroClient(c.env, org))));
});

/**
 * Sandbox control and inspection, outside /api.xro/2.0: tenants, lock dates, adviser flags, the trial
 * balance (always available) and, in test mode only, the clock, fault injection and limit overrides.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { Clock } from "./clock";
import { isoUtc, msDate, parseDate } from "./dates";
import { FaultSchema, type Faults } from "./faults";
import { connectAndIssue } from "./identity";
import { jsonResponse } from "./json";
import { trialBalance } from "./ledger";
import { problem } from "./problems";
import type { Connection, Org } from "./records";
import type { Repo } from "./repo";
import { DEMO_APP, seedOrganisation } from "./seed";

export interface ControlDeps {
  repo: Repo;
  clock: Clock;
  faults: Faults;
  testMode: boolean;
}

const NewTenant = z.object({
  version: z.enum(["US", "UK"]).default("US"),
  name: z.string().optional(),
  adviser: z.boolean().default(false),
  dailyLimit: z.number().int().positive().optional(),
});

const TenantPatch = z.object({
  periodLockDate: z.string().nullable().optional(),
  endOfYearLockDate: z.string().nullable().optional(),
  dailyLimit: z.number().int().positive().optional(),
});

const ClockPatch = z.object({
  now: z.string().optional(),
  freeze: z.boolean().default(true),
  advanceMs: z.number().int().optional(),
  reset: z.boolean().optional(),
});

const body = async (req: Request): Promise<unknown> => {
  try {
    return await req.json();
  } catch {
    return {};
  }
};

const badRequest = (detail: string) => problem(400, "Bad Request", detail);

export function controlRoutes(deps: ControlDeps): Hono {
  const { repo, clock, faults } = deps;
  const app = new Hono().basePath("/sandbox");
  const testOnly = () =>
    problem(403, "Forbidden", "Only available when the sandbox runs in test mode (SANDBOX_MODE=test)");

  const orgView = (o: Org) => ({
    tenantId: o.tenantId,
    name: o.name,
    version: o.version,
    baseCurrency: o.baseCurrency,
    periodLockDate: o.periodLockDate === undefined ? null : isoUtc(o.periodLockDate).slice(0, 10),
    endOfYearLockDate: o.endOfYearLockDate === undefined ? null : isoUtc(o.endOfYearLockDate).slice(0, 10),
    dailyLimit: o.dailyLimit,
  });

  app.get("/", () =>
    jsonResponse({
      service: "xero-sandbox",
      mode: deps.testMode ? "test" : "demo",
      now: isoUtc(clock.now()),
      tenants: repo.list<Org>("", "org").map(orgView),
      demoApp: { clientId: DEMO_APP.clientId, clientSecret: DEMO_APP.clientSecret },
    }),
  );

  app.get("/tenants", () => jsonResponse(repo.list<Org>("", "org").map(orgView)));

  // Test mode: a fresh seeded organisation connected to the demo app, with a token pair.
  app.post("/tenants", async (c) => {
    if (!deps.testMode) return testOnly();
    const parsed = NewTenant.safeParse(await body(c.req.raw));
    if (!parsed.success) return badRequest(parsed.error.message);
    const now = clock.now();
    const tenantId = crypto.randomUUID();
    const org = seedOrganisation(repo, {
      tenantId,
      version: parsed.data.version,
      name: parsed.data.name ?? `Sandbox Org ${tenantId.slice(0, 8)}`,
      now,
    });
    if (parsed.data.dailyLimit) repo.put("", "org", tenantId, { ...org, dailyLimit: parsed.data.dailyLimit });
    const issued = connectAndIssue(repo, now, DEMO_APP.clientId, [tenantId], parsed.data.adviser);
    return jsonResponse(
      {
        tenantId,
        connectionId: issued.connections[0]?.id,
        accessToken: issued.access.token,
        refreshToken: issued.refresh.token,
      },
      201,
    );
  });

  app.patch("/tenants/:id", async (c) => {
    const org = repo.get<Org>("", "org", c.req.param("id"));
    if (!org) return problem(404, "NotFound", "No such tenant");
    const parsed = TenantPatch.safeParse(await body(c.req.raw));
    if (!parsed.success) return badRequest(parsed.error.message);
    const next: Org = { ...org };
    for (const field of ["periodLockDate", "endOfYearLockDate"] as const) {
      const v = parsed.data[field];
      if (v === null) delete next[field];
      else if (v !== undefined) {
        const d = parseDate(v);
        if (d === null) return badRequest(`${field} must be YYYY-MM-DD`);
        next[field] = d;
      }
    }
    if (parsed.data.dailyLimit) next.dailyLimit = parsed.data.dailyLimit;
    repo.put("", "org", org.tenantId, next);
    return jsonResponse(orgView(next));
  });

  app.get("/tenants/:id/trial-balance", (c) => {
    const org = repo.get<Org>("", "org", c.req.param("id"));
    if (!org) return problem(404, "NotFound", "No such tenant");
    const asAtParam = c.req.query("asAt");
    const asAt = asAtParam ? parseDate(asAtParam) : undefined;
    if (asAt === null) return badRequest("asAt must be YYYY-MM-DD");
    const tb = trialBalance(repo, org.tenantId, clock.now(), asAt);
    return jsonResponse({ ...tb, Accounts: tb.Accounts.map(({ balanceCents: _, ...rest }) => rest) });
  });

  app.get("/connections", () => jsonResponse(repo.list<Connection>("", "connection")));

  app.patch("/connections/:id", async (c) => {
    const conn = repo.get<Connection>("", "connection", c.req.param("id"));
    if (!conn) return problem(404, "NotFound", "No such connection");
    const parsed = z.object({ adviser: z.boolean() }).safeParse(await body(c.req.raw));
    if (!parsed.success) return badRequest(parsed.error.message);
    const next = { ...conn, adviser: parsed.data.adviser, updatedMs: clock.now() };
    repo.put("", "connection", conn.id, next);
    return jsonResponse(next);
  });

  app.get("/clock", () =>
    jsonResponse({ now: isoUtc(clock.now()), nowMs: clock.now(), msDate: msDate(clock.now()) }),
  );

  app.post("/clock", async (c) => {
    if (!deps.testMode) return testOnly();
    const parsed = ClockPatch.safeParse(await body(c.req.raw));
    if (!parsed.success) return badRequest(parsed.error.message);
    if (parsed.data.reset) clock.reset();
    if (parsed.data.now) {
      const t = Date.parse(parsed.data.now);
      if (Number.isNaN(t)) return badRequest("now must be an ISO timestamp");
      clock.set(t, parsed.data.freeze);
    }
    if (parsed.data.advanceMs) clock.advance(parsed.data.advanceMs);
    return jsonResponse({ now: isoUtc(clock.now()), nowMs: clock.now() });
  });

  app.get("/faults", () => (deps.testMode ? jsonResponse(faults.list()) : testOnly()));

  app.post("/faults", async (c) => {
    if (!deps.testMode) return testOnly();
    const parsed = FaultSchema.safeParse(await body(c.req.raw));
    if (!parsed.success) return badRequest(parsed.error.message);
    return jsonResponse(faults.add(parsed.data), 201);
  });

  app.delete("/faults", () => {
    if (!deps.testMode) return testOnly();
    faults.clear();
    return new Response(null, { status: 204 });
  });

  app.post("/limits", async (c) => {
    if (!deps.testMode) return testOnly();
    const parsed = z.object({ appMinuteLimit: z.number().int().positive() }).safeParse(await body(c.req.raw));
    if (!parsed.success) return badRequest(parsed.error.message);
    repo.setSetting("appMinuteLimit", parsed.data.appMinuteLimit);
    return jsonResponse(parsed.data);
  });

  return app;
}

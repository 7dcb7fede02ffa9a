/**
 * One Durable Object (SQLite storage) holds the whole sandbox. Why one and not one per tenant: identity
 * state (apps, tokens, connections) and the app-wide 10,000/minute limit span tenants, traffic is tiny,
 * and a single-threaded object with synchronous SQLite makes every handler atomic — like one ledger
 * database. Per-tenant isolation is by key, and tests isolate by creating fresh tenants.
 */
import { DurableObject } from "cloudflare:workers";
import type { Hono } from "hono";
import { accountingApi } from "./api";
import type { ApiEnv } from "./api-app";
import type { ApiContext } from "./api-context";
import { Clock } from "./clock";
import { controlRoutes } from "./control";
import type { SandboxEnv } from "./env";
import { Faults } from "./faults";
import { fingerprint, IdempotencyStore, MAX_KEY_LENGTH } from "./idempotency";
import { authenticate, identityRoutes } from "./identity";
import { forbidden, problem } from "./problems";
import { APP_MINUTE_LIMIT, RateLimiter, tooManyRequests } from "./rate-limits";
import type { App, Connection, Org } from "./records";
import { Repo } from "./repo";
import { seedSandbox } from "./seed";

const WRITE_METHODS = new Set(["PUT", "POST", "PATCH"]);

export class XeroSandbox extends DurableObject<SandboxEnv> {
  readonly repo: Repo;
  readonly clock: Clock;
  readonly limiter: RateLimiter;
  readonly idempotency: IdempotencyStore;
  readonly faults: Faults;
  private readonly api: Hono<ApiEnv>;
  private readonly identity: Hono;
  private readonly control: Hono;

  constructor(ctx: DurableObjectState, env: SandboxEnv) {
    super(ctx, env);
    this.repo = new Repo(ctx.storage.sql);
    this.clock = new Clock(this.repo);
    this.limiter = new RateLimiter(ctx.storage.sql);
    this.idempotency = new IdempotencyStore(ctx.storage.sql);
    this.faults = new Faults(this.repo);
    seedSandbox(this.repo, this.clock.now());
    this.api = accountingApi();
    this.identity = identityRoutes({ repo: this.repo, clock: this.clock });
    this.control = controlRoutes(this);
  }

  get testMode(): boolean {
    return this.env.SANDBOX_MODE === "test";
  }

  override async fetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path.toLowerCase().startsWith("/api.xro/2.0")) return this.handleApi(request);
    if (path.startsWith("/sandbox")) return this.control.fetch(request);
    return this.identity.fetch(request);
  }

  private async handleApi(request: Request): Promise<Response> {
    const now = this.clock.now();
    const grant = authenticate(this.repo, now, request.headers.get("authorization") ?? undefined);
    if (grant instanceof Response) return grant;
    const app = this.repo.get<App>("", "app", grant.clientId);
    if (!app) return forbidden();
    const header = request.headers.get("xero-tenant-id")?.toLowerCase();
    let tenantId: string;
    if (grant.customTenantId) {
      if (header && header !== grant.customTenantId) return forbidden("AuthorizationUnsuccessful");
      tenantId = grant.customTenantId;
    } else {
      if (!header) return forbidden("AuthorizationUnsuccessful");
      tenantId = header;
    }
    const connection = this.repo
      .list<Connection>("", "connection")
      .find((c) => c.clientId === grant.clientId && c.userId === grant.userId && c.tenantId === tenantId);
    const org = this.repo.get<Org>("", "org", tenantId);
    if (!connection || !org) return forbidden("AuthorizationUnsuccessful");

    const appMinuteLimit = this.repo.setting<number>("appMinuteLimit") ?? APP_MINUTE_LIMIT;
    const limits = this.limiter.take(now, app.clientId, tenantId, org.dailyLimit, appMinuteLimit);
    if (limits.problem) return tooManyRequests(limits.problem, limits.retryAfterSeconds ?? 1, limits.headers);
    const release = this.limiter.acquire(app.clientId, tenantId);
    try {
      const res = await this.runApi(request, app, tenantId, org, connection);
      const headers = new Headers(res.headers);
      for (const [k, v] of Object.entries(limits.headers)) headers.set(k, v);
      return new Response(res.body, { status: res.status, headers });
    } finally {
      release();
    }
  }

  private async runApi(
    request: Request,
    app: App,
    tenantId: string,
    org: Org,
    conn: Connection,
  ): Promise<Response> {
    const url = new URL(request.url);
    // Read the body before any early answer: workerd resets the object if a response goes out while the
    // request stream is still unread ("Can't read from request stream after response has been sent").
    const bodyText = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    const fault = this.testMode ? this.faults.take(request.method, url.pathname) : undefined;
    if (fault?.kind === "error") {
      return problem(
        fault.status,
        fault.status === 503 ? "Service Unavailable" : "Internal Server Error",
        "Injected fault",
      );
    }
    if (fault?.kind === "rate-limit") return tooManyRequests(fault.problem, fault.retryAfter, {});
    if (fault?.kind === "delay") await new Promise((r) => setTimeout(r, fault.delayMs));

    const key = WRITE_METHODS.has(request.method) ? request.headers.get("idempotency-key") : null;
    const now = this.clock.now();
    const print = key ? fingerprint(request.method, url, tenantId, bodyText) : "";
    if (key) {
      if (key.length > MAX_KEY_LENGTH) {
        return problem(400, "Bad Request", `Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters`);
      }
      const seen = this.idempotency.lookup(app.clientId, key, print, now);
      if (seen.kind === "mismatch") {
        return problem(400, "Bad Request", `Idempotency-Key ${key} is used with a different request`);
      }
      if (seen.kind === "replay") {
        return new Response(seen.body, {
          status: seen.status,
          headers: { "content-type": "application/json; charset=utf-8" },
        });
      }
    }
    const unitdp = url.searchParams.get("unitdp") === "4" ? 4 : 2;
    const api: ApiContext = {
      repo: this.repo,
      clock: this.clock,
      now,
      org: { ...org },
      tenantId,
      app,
      adviser: conn.adviser,
      unitdp,
      summarize: url.searchParams.get("summarizeErrors")?.toLowerCase() !== "false",
      query: url.searchParams,
    };
    const inner = new Request(url, {
      method: request.method,
      headers: request.headers,
      body: bodyText || undefined,
    });
    const res = await this.api.fetch(inner, { api });
    const text = await res.text();
    if (key) this.idempotency.store(app.clientId, key, print, now, res.status, text);
    if (fault?.kind === "lost-response") return new Response(null, { status: 504 });
    return new Response(text, { status: res.status, headers: res.headers });
  }
}

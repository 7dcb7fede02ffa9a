/**
 * OrgPoster: one Durable Object per Xero organisation (`idFromName(tenantId)`) owning its posting — the
 * durable queue of jobs and documents (SQLite), the rate limiter, and resumption by alarm after a restart
 * or a long Retry-After. Never blocks other organisations: each has its own object.
 *
 * Binding (API Worker wrangler.jsonc): durable_objects.bindings [{ name: "ORG_POSTER", class_name:
 * "OrgPoster" }], migrations new_sqlite_classes ["OrgPoster"], and `export { OrgPoster }` from the entry.
 * Env it reads: XERO_API_URL (e.g. https://api.xero.com), optional XERO (service binding used instead of
 * global fetch), optional XERO_CONNECTIONS (issue 5's XeroConnection namespace: tokens come from
 * `grant:<grantId>`.accessToken(grantId, force)). Tests may configure a static access token instead.
 */
import { DurableObject } from "cloudflare:workers";
import { type Clock, systemClock } from "./clock";
import { PostingEngine, type RunResult } from "./engine";
import type { LimiterOptions } from "./rate-limiter";
import { SqlPostingStore } from "./sql-store";
import { fetchTransport, type TokenProvider } from "./transport";
import type { JobView, PostableDocument } from "./types";

type AccessResult = { ok: true; token: string } | { ok: false; reason: string };

export interface OrgPosterEnv {
  XERO_API_URL: string;
  XERO?: { fetch(request: Request): Promise<Response> };
  XERO_CONNECTIONS?: {
    idFromName(name: string): unknown;
    get(id: unknown): { accessToken(grantId: string, force?: boolean): Promise<AccessResult> };
  };
}

export interface OrgPosterConfig {
  tenantId: string;
  /** Token set in XeroConnection (`grant:<grantId>`). */
  grantId?: string;
  /** A fixed access token (tests, sandbox). */
  accessToken?: string;
  isAdviser?: boolean;
  limits?: LimiterOptions;
  /** Longest in-process wait before handing over to an alarm. Default 5 s. */
  maxSleepMs?: number;
}

const CONFIG = "org-poster-config";

export function apiBase(url: string): string {
  const u = url.replace(/\/+$/, "");
  return /\/api\.xro\/2\.0$/i.test(u) ? u : `${u}/api.xro/2.0`;
}

export class OrgPoster extends DurableObject<OrgPosterEnv> {
  readonly store: SqlPostingStore;
  private engineCache?: PostingEngine;
  protected clock: Clock = systemClock;

  constructor(ctx: DurableObjectState, env: OrgPosterEnv) {
    super(ctx, env);
    this.store = SqlPostingStore.forDurableObject(ctx.storage);
  }

  private get config(): OrgPosterConfig | undefined {
    return this.store.getMeta<OrgPosterConfig>(CONFIG);
  }

  /** Where tokens come from; override to plug in another source. */
  protected tokens(): TokenProvider {
    return async (fresh) => {
      const cfg = this.config;
      if (!cfg) throw new Error("OrgPoster is not configured");
      const ns = this.env.XERO_CONNECTIONS;
      if (cfg.grantId && ns) {
        const r = await ns.get(ns.idFromName(`grant:${cfg.grantId}`)).accessToken(cfg.grantId, fresh);
        if (!r.ok) throw new Error(`Xero connection unavailable: ${r.reason}`);
        return r.token;
      }
      if (cfg.accessToken) return cfg.accessToken;
      throw new Error("OrgPoster has no token source");
    };
  }

  protected engine(): PostingEngine {
    if (this.engineCache) return this.engineCache;
    const cfg = this.config;
    if (!cfg) throw new Error("OrgPoster is not configured: call configure() first");
    const xero = this.env.XERO;
    this.engineCache = new PostingEngine({
      store: this.store,
      clock: this.clock,
      isAdviser: cfg.isAdviser ?? false,
      keyScope: cfg.tenantId,
      maxSleepMs: cfg.maxSleepMs ?? 5_000,
      ...(cfg.limits ? { limits: cfg.limits } : {}),
      transport: fetchTransport({
        baseUrl: apiBase(this.env.XERO_API_URL),
        tenantId: cfg.tenantId,
        token: this.tokens(),
        ...(xero ? { fetch: (r: Request) => xero.fetch(r) } : {}),
        timeoutMs: 60_000,
      }),
    });
    return this.engineCache;
  }

  async configure(cfg: OrgPosterConfig): Promise<void> {
    this.store.setMeta(CONFIG, cfg);
    this.engineCache = undefined;
  }

  /** Queue a plan (its `documents`: settlement documents or PO invoices) as a job and start it. Idempotent per jobId. */
  async post(
    plan: { documents: readonly PostableDocument[] },
    jobId?: string,
    opts: { paused?: boolean } = {},
  ): Promise<JobView> {
    const job = this.engine().submit(plan, jobId, opts);
    await this.kick();
    return this.engine().view(job.id) as JobView;
  }

  /** Queue the reversal of a posted job and start it. */
  async undo(jobId: string): Promise<JobView | undefined> {
    const job = this.engine().undo(jobId);
    await this.kick();
    return this.engine().view(job.id);
  }

  async job(jobId: string): Promise<JobView | undefined> {
    return this.engine().view(jobId);
  }

  async jobs(): Promise<JobView[]> {
    return this.store
      .listJobs()
      .map((j) => this.engine().view(j.id))
      .filter((v): v is JobView => v !== undefined);
  }

  async pause(jobId: string): Promise<JobView | undefined> {
    this.engine().pause(jobId);
    return this.engine().view(jobId);
  }

  async resume(jobId: string): Promise<JobView | undefined> {
    this.engine().resume(jobId);
    await this.kick();
    return this.engine().view(jobId);
  }

  async cancel(jobId: string): Promise<JobView | undefined> {
    this.engine().cancel(jobId);
    return this.engine().view(jobId);
  }

  /** Run until idle or a long wait (then an alarm is set). */
  async runNow(): Promise<RunResult> {
    const r = await this.engine().run();
    if (r.state === "waiting") await this.ctx.storage.setAlarm(r.until);
    return r;
  }

  override async alarm(): Promise<void> {
    await this.runNow();
  }

  /** Work happens in the alarm, so a request never holds the queue and a restart resumes it. */
  private async kick(): Promise<void> {
    await this.ctx.storage.setAlarm(Date.now());
  }
}

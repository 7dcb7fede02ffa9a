/**
 * Thin fetch-based client for the Xero Accounting API, shared by previews (this issue) and the posting
 * engine (issue 6). It knows the wire rules of shared/reference/xero-api.md: tenant header, Idempotency-Key
 * on writes, `summarizeErrors=false` and `unitdp=4`, `If-Modified-Since`, and it captures the rate-limit
 * headers (X-DayLimit-Remaining, X-MinLimit-Remaining, X-AppMinLimit-Remaining, Retry-After,
 * X-Rate-Limit-Problem) on every response. It never retries writes by itself; 401 on any call gets one
 * retry with a freshly refreshed token (the refresh is serialised by the organisation's Durable Object).
 */
import type { XeroConfig } from "./config";

export interface XeroLimits {
  dayRemaining?: number;
  minuteRemaining?: number;
  appMinuteRemaining?: number;
  /** ISO time the headers were read. */
  at?: string;
}

export interface XeroRequest {
  method?: "GET" | "PUT" | "POST" | "DELETE";
  /** Path under /api.xro/2.0, e.g. "/Invoices". */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** ≤ 128 chars; sent on PUT/POST (Xero keeps keys for 6 minutes). */
  idempotencyKey?: string;
  /** Send `summarizeErrors=false` (every write should: per-element status, valid elements saved). */
  summarizeErrors?: boolean;
  /** Send `unitdp=4` (4-dp unit amounts on invoices/credit notes, reads and writes). */
  unitdp?: 4;
  ifModifiedSince?: string | Date;
}

export interface XeroResponse<T = unknown> {
  status: number;
  ok: boolean;
  body: T;
  limits: XeroLimits;
  retryAfterSeconds?: number;
  /** minute | day | concurrent | appminute, on 429. */
  rateLimitProblem?: string;
}

export class XeroApiError extends Error {
  override name = "XeroApiError";
  constructor(readonly response: XeroResponse) {
    super(`Xero answered HTTP ${response.status}${detail(response.body)}`);
  }
}

function detail(body: unknown): string {
  if (body && typeof body === "object") {
    const b = body as { Detail?: string; Message?: string; Title?: string };
    const text = b.Detail ?? b.Message ?? b.Title;
    if (text) return `: ${text}`;
  }
  return "";
}

/** The caller's way of getting an access token; `fresh` forces a refresh (after a 401). */
export type TokenSource = (fresh: boolean) => Promise<string>;

export interface XeroClientOptions {
  config: Pick<XeroConfig, "apiUrl" | "fetch">;
  /** Xero tenant id; omitted for custom connections (their token is bound to one organisation). */
  tenantId?: string;
  token: TokenSource;
  /** Called with every response's limit headers (the organisation's DO keeps the latest). */
  onLimits?: (limits: XeroLimits) => void;
}

const num = (v: string | null) => (v === null || v === "" || Number.isNaN(Number(v)) ? undefined : Number(v));

export function readLimits(
  headers: Headers,
): Pick<XeroResponse, "limits" | "retryAfterSeconds" | "rateLimitProblem"> {
  const limits: XeroLimits = { at: new Date().toISOString() };
  const day = num(headers.get("x-daylimit-remaining"));
  const minute = num(headers.get("x-minlimit-remaining"));
  const app = num(headers.get("x-appminlimit-remaining"));
  if (day !== undefined) limits.dayRemaining = day;
  if (minute !== undefined) limits.minuteRemaining = minute;
  if (app !== undefined) limits.appMinuteRemaining = app;
  const retryAfter = num(headers.get("retry-after"));
  const problem = headers.get("x-rate-limit-problem");
  return {
    limits,
    ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
    ...(problem ? { rateLimitProblem: problem } : {}),
  };
}

/** Xero allows 5 calls in flight per organisation; a client keeps below that on its own. */
export const MAX_IN_FLIGHT = 4;

export class XeroClient {
  private inFlight = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly opts: XeroClientOptions) {}

  /** Wait for a free slot (callers such as a preview fan out several reads at once). */
  private async slot(): Promise<() => void> {
    if (this.inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.inFlight++;
    return () => {
      this.inFlight--;
      this.queue.shift()?.();
    };
  }

  url(req: XeroRequest): string {
    const url = new URL(`${this.opts.config.apiUrl}/api.xro/2.0${req.path}`);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    if (req.summarizeErrors !== undefined)
      url.searchParams.set("summarizeErrors", String(req.summarizeErrors));
    if (req.unitdp) url.searchParams.set("unitdp", String(req.unitdp));
    return url.toString();
  }

  /** One call; non-2xx answers come back as `ok: false` (429/400 carry information the caller needs). */
  async request<T = unknown>(req: XeroRequest): Promise<XeroResponse<T>> {
    const release = await this.slot();
    try {
      const first = await this.send<T>(req, await this.opts.token(false));
      if (first.status !== 401) return first;
      return await this.send<T>(req, await this.opts.token(true));
    } finally {
      release();
    }
  }

  /** GET that throws XeroApiError unless 2xx. */
  async get<T = unknown>(
    path: string,
    query?: XeroRequest["query"],
    extra: Partial<XeroRequest> = {},
  ): Promise<T> {
    const res = await this.request<T>({ ...extra, method: "GET", path, ...(query ? { query } : {}) });
    if (!res.ok) throw new XeroApiError(res as XeroResponse);
    return res.body;
  }

  private async send<T>(req: XeroRequest, token: string): Promise<XeroResponse<T>> {
    const method = req.method ?? "GET";
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json" };
    if (this.opts.tenantId) headers["xero-tenant-id"] = this.opts.tenantId;
    if (req.body !== undefined) headers["content-type"] = "application/json";
    if (req.idempotencyKey && method !== "GET") headers["idempotency-key"] = req.idempotencyKey.slice(0, 128);
    if (req.ifModifiedSince) {
      const d = typeof req.ifModifiedSince === "string" ? new Date(req.ifModifiedSince) : req.ifModifiedSince;
      headers["if-modified-since"] = d.toUTCString();
    }
    const res = await this.opts.config.fetch(this.url(req), {
      method,
      headers,
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* keep text */
    }
    const meta = readLimits(res.headers);
    this.opts.onLimits?.(meta.limits);
    return { status: res.status, ok: res.ok, body: body as T, ...meta };
  }
}

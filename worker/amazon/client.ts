/**
 * Thin SP-API adapter for Retail Procurement Orders: Login-with-Amazon refresh-token flow, the three GET
 * operations, retries on 429/5xx, 7-day windows, nextToken paging and the 6-month history cap. No domain
 * logic: responses go to worker/domain/po/json.ts. Base URLs are configuration and `fetch` is injected, so
 * the connector runs against Amazon, Amazon's sandbox or the local stand-in (worker/amazon-standin).
 */

export const AMAZON_ENDPOINTS = {
  lwaTokenUrl: "https://api.amazon.com/auth/o2/token",
  na: "https://sellingpartnerapi-na.amazon.com",
  eu: "https://sellingpartnerapi-eu.amazon.com",
  fe: "https://sellingpartnerapi-fe.amazon.com",
  sandboxNa: "https://sandbox.sellingpartnerapi-na.amazon.com",
  sandboxEu: "https://sandbox.sellingpartnerapi-eu.amazon.com",
  sandboxFe: "https://sandbox.sellingpartnerapi-fe.amazon.com",
} as const;

export interface AmazonConnectorConfig {
  lwaTokenUrl: string;
  spApiBaseUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  userAgent?: string;
}

export type FetchLike = (request: Request) => Promise<Response>;

export interface ClientDeps {
  fetch: FetchLike;
  /** Epoch ms (token expiry, history cap). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per call for 429/5xx/network errors (default 5). */
  maxAttempts?: number;
  /** First back-off in ms, doubled per attempt (default 1000). */
  backoffMs?: number;
}

export class AmazonApiError extends Error {
  override name = "AmazonApiError";
  constructor(
    message: string,
    readonly status: number,
    readonly errors: { code: string; message: string; details?: string }[] = [],
  ) {
    super(message);
  }
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** Access tokens from the LWA refresh-token grant, cached until a minute before they expire. */
export class LwaTokenProvider {
  private token?: { value: string; expiresAt: number };
  constructor(
    private readonly config: AmazonConnectorConfig,
    private readonly deps: ClientDeps,
  ) {}

  invalidate(): void {
    this.token = undefined;
  }

  async accessToken(): Promise<string> {
    const now = this.deps.now?.() ?? Date.now();
    if (this.token && this.token.expiresAt > now) return this.token.value;
    const body = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: this.config.refreshToken,
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret,
    });
    const res = await this.deps.fetch(
      new Request(this.config.lwaTokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
        body: body.toString(),
      }),
    );
    const json = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
    };
    if (!res.ok || typeof json.access_token !== "string") {
      throw new AmazonApiError(
        `Login with Amazon refused the refresh token: ${json.error ?? res.status} ${json.error_description ?? ""}`.trim(),
        res.status,
      );
    }
    const ttl = typeof json.expires_in === "number" ? json.expires_in : 3600;
    this.token = { value: json.access_token, expiresAt: now + Math.max(0, ttl - 60) * 1000 };
    return json.access_token;
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

export class SpApiClient {
  readonly tokens: LwaTokenProvider;
  /** Calls made (attempts included), for logs and tests. */
  calls = 0;

  constructor(
    readonly config: AmazonConnectorConfig,
    readonly deps: ClientDeps,
  ) {
    this.tokens = new LwaTokenProvider(config, deps);
  }

  private sleep(ms: number): Promise<void> {
    return this.deps.sleep ? this.deps.sleep(ms) : new Promise((r) => setTimeout(r, ms));
  }

  /** GET a JSON resource with auth, retries and token refresh; Amazon's error list on failure. */
  async get(path: string, query: Query = {}): Promise<unknown> {
    const url = new URL(path, this.config.spApiBaseUrl);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const attempts = this.deps.maxAttempts ?? 5;
    let refreshed = false;
    let last: AmazonApiError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const token = await this.tokens.accessToken();
      let res: Response;
      this.calls++;
      try {
        res = await this.deps.fetch(
          new Request(url.toString(), {
            headers: {
              accept: "application/json",
              "x-amz-access-token": token,
              "user-agent": this.config.userAgent ?? "VCX/0.1 (Language=TypeScript)",
            },
          }),
        );
      } catch (e) {
        last = new AmazonApiError(`network error: ${e instanceof Error ? e.message : String(e)}`, 0);
        await this.sleep(this.backoff(attempt, undefined));
        continue;
      }
      const body = (await res.json().catch(() => undefined)) as
        | { errors?: AmazonApiError["errors"] }
        | undefined;
      if (res.ok) return body;
      const errors = Array.isArray(body?.errors) ? body.errors : [];
      last = new AmazonApiError(
        `${url.pathname} returned ${res.status}${errors[0] ? ` ${errors[0].code}: ${errors[0].message}` : ""}`,
        res.status,
        errors,
      );
      if ((res.status === 401 || res.status === 403) && !refreshed) {
        refreshed = true;
        this.tokens.invalidate();
        attempt--; // a token refresh is not a failed attempt
        continue;
      }
      if (!RETRYABLE.has(res.status)) throw last;
      await this.sleep(this.backoff(attempt, res.headers.get("retry-after")));
    }
    throw last ?? new AmazonApiError(`${url.pathname} failed`, 0);
  }

  private backoff(attempt: number, retryAfter: string | null | undefined): number {
    const s = retryAfter !== null && retryAfter !== undefined ? Number(retryAfter) : Number.NaN;
    if (Number.isFinite(s) && s >= 0) return s * 1000;
    return (this.deps.backoffMs ?? 1000) * 2 ** (attempt - 1);
  }

  getPurchaseOrders(query: Query): Promise<unknown> {
    return this.get("/vendor/orders/v1/purchaseOrders", query);
  }

  getPurchaseOrder(purchaseOrderNumber: string): Promise<unknown> {
    return this.get(`/vendor/orders/v1/purchaseOrders/${encodeURIComponent(purchaseOrderNumber)}`);
  }

  getPurchaseOrdersStatus(query: Query): Promise<unknown> {
    return this.get("/vendor/orders/v1/purchaseOrdersStatus", query);
  }
}

/**
 * How the engine reaches Xero: one function from a request to a reply, so the engine runs the same over
 * `fetch` (the API Worker, the soak script), a service binding or `exports.default.fetch` (workerd tests).
 * Network errors and timeouts come back as `status: 0` — an ambiguous outcome, never a throw.
 */

export interface XeroCall {
  method: "GET" | "PUT" | "POST" | "DELETE";
  /** Under /api.xro/2.0, e.g. "/Payments". */
  path: string;
  query?: Record<string, string>;
  /** Exact request body text (stored so a replay is byte-identical). */
  bodyText?: string;
  idempotencyKey?: string;
}

export interface XeroReply {
  /** 0 when no HTTP answer arrived (network error, timeout). */
  status: number;
  headers: Headers;
  body: unknown;
  /** Why status is 0. */
  error?: string;
}

export type XeroTransport = (call: XeroCall) => Promise<XeroReply>;

/** `fresh` asks for a newly refreshed token (after a 401). */
export type TokenProvider = (fresh: boolean) => Promise<string>;

export interface FetchTransportOptions {
  /** e.g. "https://api.xero.com/api.xro/2.0" or "http://127.0.0.1:8788/api.xro/2.0". */
  baseUrl: string;
  /** Omit for custom connections. */
  tenantId?: string;
  token: TokenProvider;
  fetch?: (request: Request) => Promise<Response>;
  /** Abort a call after this long (ms): the outcome is then ambiguous. */
  timeoutMs?: number;
}

export function fetchTransport(opts: FetchTransportOptions): XeroTransport {
  const doFetch = opts.fetch ?? ((r: Request) => fetch(r));
  const base = opts.baseUrl.replace(/\/+$/, "");
  const once = async (call: XeroCall, fresh: boolean): Promise<XeroReply> => {
    const url = new URL(`${base}${call.path}`);
    for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = {
      authorization: `Bearer ${await opts.token(fresh)}`,
      accept: "application/json",
    };
    if (opts.tenantId) headers["xero-tenant-id"] = opts.tenantId;
    if (call.bodyText !== undefined) headers["content-type"] = "application/json";
    if (call.idempotencyKey && call.method !== "GET") headers["idempotency-key"] = call.idempotencyKey;
    const controller = opts.timeoutMs ? new AbortController() : undefined;
    const timer = controller ? setTimeout(() => controller.abort(), opts.timeoutMs) : undefined;
    try {
      const res = await doFetch(
        new Request(url, {
          method: call.method,
          headers,
          body: call.bodyText,
          ...(controller ? { signal: controller.signal } : {}),
        }),
      );
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON */
      }
      return { status: res.status, headers: res.headers, body };
    } catch (e) {
      return {
        status: 0,
        headers: new Headers(),
        body: null,
        error: e instanceof Error ? e.message : String(e),
      };
    } finally {
      if (timer) clearTimeout(timer);
    }
  };
  return async (call) => {
    const reply = await once(call, false);
    // 401 is answered before anything happens in Xero: retry once with a refreshed token.
    return reply.status === 401 ? once(call, true) : reply;
  };
}

/** Count every call (bench and tests): wraps any transport. */
export function countingTransport(inner: XeroTransport): XeroTransport & { calls: XeroCall[] } {
  const calls: XeroCall[] = [];
  const t = (async (call: XeroCall) => {
    calls.push(call);
    return inner(call);
  }) as XeroTransport & { calls: XeroCall[] };
  t.calls = calls;
  return t;
}

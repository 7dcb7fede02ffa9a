/**
 * A local stand-in for Amazon's static SP-API sandbox (Retail Procurement Orders) and the Login-with-Amazon
 * token endpoint. It serves exactly the static request → response pairs Amazon publishes in the model's
 * `x-amzn-api-sandbox` blocks (vendorOrders.json, copied unchanged next to this file): a request whose
 * parameters equal a static case's parameters gets that case's response; otherwise the case with no
 * parameters (Amazon's catch-all mock), if the operation has one. Plain Hono: runs in workerd (index.ts)
 * and in Node tests via `app.fetch`.
 *
 * Test controls (only when `controls` is on): POST /__standin/faults {"status":429,"count":2} makes the next
 * SP-API calls fail with that status; GET /__standin/requests lists what was called.
 */
import { Hono } from "hono";
import vendorOrdersModel from "./vendorOrders.json";

interface StaticCase {
  request: { parameters: Record<string, { value: unknown }> };
  response: unknown;
  status: number;
}

interface Operation {
  method: "GET" | "POST";
  /** Path with {name} placeholders. */
  path: string;
  operationId: string;
  cases: StaticCase[];
}

export interface StandinOptions {
  /** The SP-API model holding the sandbox cases (default: vendorOrders.json). */
  model?: unknown;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Enable the /__standin control endpoints. */
  controls?: boolean;
  /** Seconds an access token lives (default 3600, as LWA). */
  tokenTtl?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

function operationsOf(model: unknown): Operation[] {
  const paths = (model as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const op = raw as { operationId?: string; responses?: Record<string, Record<string, unknown>> };
      if (!op.operationId) continue;
      const cases: StaticCase[] = [];
      for (const [code, response] of Object.entries(op.responses ?? {})) {
        const sandbox = response["x-amzn-api-sandbox"] as
          | { static?: Omit<StaticCase, "status">[] }
          | undefined;
        for (const c of sandbox?.static ?? []) cases.push({ ...c, status: Number(code) });
      }
      ops.push({ method: method.toUpperCase() as "GET" | "POST", path, operationId: op.operationId, cases });
    }
  }
  return ops;
}

function pathPattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, "(?<$1>[^/]+)");
  return new RegExp(`^${escaped}$`);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object")
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, canonical(x)]),
    );
  return v;
}

/** Does the request carry exactly the case's parameters (query, path and body)? */
function matches(c: StaticCase, params: Record<string, string>, body: unknown): boolean {
  const expected = c.request.parameters;
  const keys = Object.keys(expected);
  if (keys.length === 0) return false;
  if ("body" in expected) {
    const want = expected["body"]?.value;
    return want !== undefined && deepEqual(want, body);
  }
  if (Object.keys(params).length !== keys.length) return false;
  return keys.every((k) => params[k] !== undefined && params[k] === String(expected[k]?.value));
}

function isCatchAll(c: StaticCase): boolean {
  const p = c.request.parameters;
  const keys = Object.keys(p);
  return keys.length === 0 || (keys.length === 1 && keys[0] === "body" && p["body"]?.value === undefined);
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

export function createAmazonStandin(options: StandinOptions) {
  const ops = operationsOf(options.model ?? vendorOrdersModel);
  const tokens = new Map<string, number>();
  let issued = 0;
  const faults: number[] = [];
  const requests: RecordedRequest[] = [];
  const app = new Hono();

  app.post("/auth/o2/token", async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const grant = form.get("grant_type");
    if (grant !== "refresh_token")
      return json(400, {
        error: "unsupported_grant_type",
        error_description: "grant_type must be refresh_token",
      });
    if (form.get("client_id") !== options.clientId || form.get("client_secret") !== options.clientSecret)
      return json(401, { error: "invalid_client", error_description: "Client authentication failed" });
    if (form.get("refresh_token") !== options.refreshToken)
      return json(400, {
        error: "invalid_grant",
        error_description: "The request has an invalid grant parameter : refresh_token",
      });
    issued += 1;
    const token = `Atza|standin-${issued}`;
    const ttl = options.tokenTtl ?? 3600;
    tokens.set(token, ttl);
    return json(200, {
      access_token: token,
      refresh_token: options.refreshToken,
      token_type: "bearer",
      expires_in: ttl,
    });
  });

  if (options.controls) {
    app.post("/__standin/faults", async (c) => {
      const body = (await c.req.json()) as { status?: number; count?: number };
      const status = body.status ?? 500;
      for (let i = 0; i < (body.count ?? 1); i++) faults.push(status);
      return json(200, { queued: faults.length });
    });
    app.get("/__standin/requests", () => json(200, { requests }));
  }

  app.all("*", async (c) => {
    const url = new URL(c.req.url);
    const query = Object.fromEntries(url.searchParams.entries());
    const record = (status: number) =>
      requests.push({ method: c.req.method, path: url.pathname, query, status });
    const op = ops.find((o) => o.method === c.req.method && pathPattern(o.path).test(url.pathname));
    if (!op) {
      record(404);
      return json(404, { errors: [{ code: "NotFound", message: "Resource not found", details: "" }] });
    }
    const token = c.req.header("x-amz-access-token");
    if (!token || !tokens.has(token)) {
      record(403);
      return json(403, {
        errors: [
          {
            code: "Unauthorized",
            message: "Access to requested resource is denied.",
            details: "The access token you provided is revoked, malformed or invalid.",
          },
        ],
      });
    }
    const fault = faults.shift();
    if (fault !== undefined) {
      record(fault);
      return fault === 429
        ? json(
            429,
            {
              errors: [
                {
                  code: "QuotaExceeded",
                  message: "You exceeded your quota for the requested resource.",
                  details: "",
                },
              ],
            },
            { "x-amzn-RateLimit-Limit": "10.0" },
          )
        : json(fault, {
            errors: [
              {
                code: "InternalFailure",
                message: "We encountered an internal error. Please try again.",
                details: "",
              },
            ],
          });
    }
    const params: Record<string, string> = { ...query };
    const m = pathPattern(op.path).exec(url.pathname);
    for (const [k, v] of Object.entries(m?.groups ?? {})) params[k] = decodeURIComponent(v);
    let body: unknown;
    if (op.method === "POST") {
      try {
        body = await c.req.json();
      } catch {
        body = undefined;
      }
    }
    const hit = op.cases.find((x) => matches(x, params, body)) ?? op.cases.find(isCatchAll);
    if (!hit) {
      record(400);
      return json(400, {
        errors: [{ code: "InvalidInput", message: "No sandbox response matches the request", details: "" }],
      });
    }
    record(hit.status);
    return json(hit.status, hit.response, {
      "x-amzn-RateLimit-Limit": "10.0",
      "x-amzn-RequestId": `standin-${requests.length}`,
    });
  });

  return {
    app,
    /** Queue failures for the next SP-API calls (tests). */
    fail(status: number, count = 1) {
      for (let i = 0; i < count; i++) faults.push(status);
    },
    requests,
    operations: ops.map((o) => ({
      method: o.method,
      path: o.path,
      operationId: o.operationId,
      cases: o.cases.length,
    })),
  };
}

import { env, exports } from "cloudflare:workers";
import { createSession } from "../../worker/src/auth/sessions";
import type { Env } from "../../worker/src/env";
import { upsertUser } from "../../worker/src/store/users";

export const testEnv = env as unknown as Env & { XERO: Fetcher };
export const ADDIN = "https://addin.vcx.test";

export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test helper over arbitrary JSON
  body: any;
  text: string;
}

async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** Call the VCX API Worker under test. */
export async function api(
  path: string,
  init: RequestInit & { token?: string; json?: unknown } = {},
): Promise<Reply> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  return reply(
    await exports.default.fetch(`http://vcx.test${path}`, { ...init, headers, body, redirect: "manual" }),
  );
}

/** Call the Xero sandbox directly (as a browser or as Xero's own tooling would). */
export async function sandbox(path: string, init: RequestInit = {}): Promise<Reply> {
  return reply(await testEnv.XERO.fetch(`http://sandbox.test${path}`, { ...init, redirect: "manual" }));
}

export interface Tenant {
  tenantId: string;
  accessToken: string;
  refreshToken: string;
}

export async function newTenant(opts: { version?: "US" | "UK"; name?: string } = {}): Promise<Tenant> {
  const r = await sandbox("/sandbox/tenants", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(opts),
  });
  if (r.status !== 201) throw new Error(`newTenant: ${r.status} ${r.text}`);
  return r.body as Tenant;
}

/** Drive Sign in with Xero end to end: start → sandbox consent (chosen tenants) → callback page. */
export async function consent(tenantIds: string[]): Promise<{ callbackUrl: string; state: string }> {
  const start = await api(`/v1/auth/xero/start?return=${encodeURIComponent(ADDIN)}`);
  if (start.status !== 302) throw new Error(`start: ${start.status} ${start.text}`);
  const authorize = new URL(start.headers.get("location") ?? "");
  const form = new URLSearchParams();
  for (const k of ["response_type", "client_id", "redirect_uri", "scope", "state"]) {
    form.set(k, authorize.searchParams.get(k) ?? "");
  }
  for (const t of tenantIds) form.append("tenant", t);
  const allowed = await sandbox("/identity/connect/authorize", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  if (allowed.status !== 302) throw new Error(`consent: ${allowed.status} ${allowed.text}`);
  const back = new URL(allowed.headers.get("location") ?? "");
  return { callbackUrl: `${back.pathname}${back.search}`, state: authorize.searchParams.get("state") ?? "" };
}

export const oneTimeCodeOf = (html: string) => /<code id="code">([^<]+)<\/code>/.exec(html)?.[1] ?? "";

export async function signIn(tenantIds: string[]): Promise<{ token: string; user: { id: string } }> {
  const { callbackUrl } = await consent(tenantIds);
  const page = await api(callbackUrl, { headers: { accept: "text/html" } });
  if (page.status !== 200) throw new Error(`callback: ${page.status} ${page.text}`);
  const r = await api("/v1/auth/exchange", { method: "POST", json: { code: oneTimeCodeOf(page.text) } });
  if (r.status !== 200) throw new Error(`exchange: ${r.status} ${r.text}`);
  return r.body;
}

/** A second VCX user with a session and no organisations. */
export async function strangerSession(): Promise<string> {
  const user = await upsertUser(
    testEnv.DB,
    `stranger-${crypto.randomUUID()}`,
    "stranger@example.com",
    "Stranger",
  );
  return (await createSession(testEnv, user.id)).token;
}

export async function apiKey(token: string, organisationId: string, name = "cli"): Promise<string> {
  const r = await api("/v1/api-keys", { method: "POST", token, json: { organisationId, name } });
  if (r.status !== 201) throw new Error(`api key: ${r.status} ${r.text}`);
  return r.body.key;
}

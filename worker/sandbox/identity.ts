/**
 * Xero identity: authorize (consent page → redirect with code), token (authorization_code,
 * refresh_token with rotation and a 30-minute grace for the previous token, client_credentials for
 * custom connections), revocation, /connections. Access tokens live 30 minutes, codes 5, refresh 60 days.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { Clock } from "./clock";
import { isoUtc } from "./dates";
import { jsonResponse } from "./json";
import { unauthorized } from "./problems";
import type { App, Connection, Org, TokenGrant } from "./records";
import type { Repo } from "./repo";
import { DEMO_USER } from "./seed";

export const ACCESS_TTL_MS = 30 * 60_000;
export const CODE_TTL_MS = 5 * 60_000;
export const REFRESH_TTL_MS = 60 * 86_400_000;
export const REFRESH_GRACE_MS = 30 * 60_000;

export interface IdentityDeps {
  repo: Repo;
  clock: Clock;
}

const b64url = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const randomToken = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return b64url(String.fromCharCode(...bytes));
};

/** A JWT-shaped access token (unsigned for the sandbox) carrying Xero's claims. */
function accessJwt(g: Omit<TokenGrant, "token" | "kind">): string {
  const header = b64url(JSON.stringify({ alg: "RS256", kid: "sandbox", typ: "JWT" }));
  const payload = b64url(
    JSON.stringify({
      nbf: Math.floor(g.issuedMs / 1000),
      exp: Math.floor(g.expiresMs / 1000),
      iss: "https://identity.xero.com",
      aud: "https://identity.xero.com/resources",
      client_id: g.clientId,
      sub: g.userId,
      xero_userid: g.userId,
      authentication_event_id: g.authEventId,
      jti: crypto.randomUUID(),
      scope: g.scope.split(" "),
    }),
  );
  return `${header}.${payload}.${randomToken()}`;
}

export function issueAccessToken(
  repo: Repo,
  g: Omit<TokenGrant, "token" | "kind" | "expiresMs">,
): TokenGrant {
  const base = { ...g, expiresMs: g.issuedMs + ACCESS_TTL_MS };
  const grant: TokenGrant = { ...base, kind: "access", token: accessJwt(base) };
  repo.put("", "grant", grant.token, grant);
  return grant;
}

function issueRefreshToken(repo: Repo, g: Omit<TokenGrant, "token" | "kind" | "expiresMs">): TokenGrant {
  const grant: TokenGrant = {
    ...g,
    kind: "refresh",
    token: randomToken(),
    expiresMs: g.issuedMs + REFRESH_TTL_MS,
  };
  repo.put("", "grant", grant.token, grant);
  return grant;
}

/** Create the connections of a consent and return the code-flow token pair. */
export function connectAndIssue(
  repo: Repo,
  now: number,
  clientId: string,
  tenantIds: string[],
  adviser: boolean,
  scope = "offline_access accounting.invoices accounting.payments accounting.manualjournals accounting.contacts accounting.settings",
): { access: TokenGrant; refresh: TokenGrant; connections: Connection[] } {
  const authEventId = crypto.randomUUID();
  const connections = tenantIds.map((tenantId) =>
    upsertConnection(repo, now, clientId, tenantId, authEventId, adviser),
  );
  const g = { clientId, userId: DEMO_USER, authEventId, scope, issuedMs: now };
  return { access: issueAccessToken(repo, g), refresh: issueRefreshToken(repo, g), connections };
}

function upsertConnection(
  repo: Repo,
  now: number,
  clientId: string,
  tenantId: string,
  authEventId: string,
  adviser: boolean,
): Connection {
  const existing = repo
    .list<Connection>("", "connection")
    .find((c) => c.clientId === clientId && c.userId === DEMO_USER && c.tenantId === tenantId);
  const conn: Connection = existing
    ? { ...existing, authEventId, adviser, updatedMs: now }
    : {
        id: crypto.randomUUID(),
        clientId,
        userId: DEMO_USER,
        tenantId,
        authEventId,
        adviser,
        createdMs: now,
        updatedMs: now,
      };
  repo.put("", "connection", conn.id, conn);
  return conn;
}

/** Verify a bearer token; returns the grant or the 401 to send. */
export function authenticate(repo: Repo, now: number, header: string | undefined): TokenGrant | Response {
  const token = /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1]?.trim();
  if (!token) return unauthorized();
  const g = repo.get<TokenGrant>("", "grant", token);
  if (g?.kind !== "access" || g.revoked) return unauthorized();
  if (now >= g.expiresMs) {
    const d = new Date(g.expiresMs);
    const pad = (n: number) => String(n).padStart(2, "0");
    const at = `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    return unauthorized(`TokenExpired: token expired at ${at}`);
  }
  return g;
}

function clientFromRequest(
  repo: Repo,
  authHeader: string | undefined,
  form: Record<string, string>,
): App | null {
  let id = form["client_id"];
  let secret = form["client_secret"];
  const basic = /^Basic\s+(.+)$/i.exec(authHeader ?? "")?.[1];
  if (basic) {
    const decoded = atob(basic);
    const i = decoded.indexOf(":");
    id = decoded.slice(0, i);
    secret = decoded.slice(i + 1);
  }
  if (!id) return null;
  const app = repo.get<App>("", "app", id);
  return app && app.clientSecret === secret ? app : null;
}

const oauthError = (error: string, status = 400) => jsonResponse({ error }, status);

function tokenResponse(access: TokenGrant, refresh?: TokenGrant): Response {
  return jsonResponse({
    ...(refresh ? { id_token: accessJwt({ ...access, expiresMs: access.issuedMs + 5 * 60_000 }) } : {}),
    access_token: access.token,
    expires_in: Math.round((access.expiresMs - access.issuedMs) / 1000),
    token_type: "Bearer",
    ...(refresh ? { refresh_token: refresh.token } : {}),
    scope: access.scope,
  });
}

/** Sandbox leniency: registered URIs, plus any http://localhost URL (127.0.0.1 is refused, as Xero does). */
const redirectAllowed = (app: App, uri: string) =>
  app.redirectUris.includes(uri) || /^http:\/\/localhost(:\d+)?\//.test(uri);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const AuthorizeQuery = z.object({
  response_type: z.literal("code"),
  client_id: z.string().min(1),
  redirect_uri: z.string().url(),
  scope: z.string().default("offline_access"),
  state: z.string().optional(),
});

export function identityRoutes(deps: IdentityDeps): Hono {
  const app = new Hono();
  const { repo, clock } = deps;

  app.get("/.well-known/openid-configuration", (c) => {
    const origin = new URL(c.req.url).origin;
    return jsonResponse({
      issuer: "https://identity.xero.com",
      authorization_endpoint: `${origin}/identity/connect/authorize`,
      token_endpoint: `${origin}/connect/token`,
      revocation_endpoint: `${origin}/connect/revocation`,
      grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
    });
  });

  const consentPage = (c: { req: { url: string } }) => {
    const q = AuthorizeQuery.safeParse(Object.fromEntries(new URL(c.req.url).searchParams));
    if (!q.success) return new Response("invalid_request", { status: 400 });
    const client = repo.get<App>("", "app", q.data.client_id);
    if (!client || client.customTenantId) return new Response("unauthorized_client", { status: 400 });
    if (!redirectAllowed(client, q.data.redirect_uri))
      return new Response("Invalid redirect_uri", { status: 400 });
    const orgs = repo.list<Org>("", "org");
    const hidden = Object.entries(q.data)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(String(v))}">`)
      .join("");
    const boxes = orgs
      .map(
        (o) =>
          `<label><input type="checkbox" name="tenant" value="${o.tenantId}" checked> ${escapeHtml(o.name)} (${o.version})</label><br>`,
      )
      .join("");
    return new Response(
      `<!doctype html><html><head><title>Xero sandbox — connect ${escapeHtml(client.name)}</title></head><body>
<h1>${escapeHtml(client.name)} wants to access your organisations</h1><p>Scopes: ${escapeHtml(q.data.scope)}</p>
<form method="post" action="/identity/connect/authorize">${hidden}${boxes}
<label><input type="checkbox" name="adviser" value="true"> Connect as an adviser (bypasses the period lock date)</label><br>
<button type="submit">Allow access</button></form></body></html>`,
      { headers: { "content-type": "text/html; charset=utf-8" } },
    );
  };
  app.get("/identity/connect/authorize", consentPage);
  app.get("/connect/authorize", consentPage);

  app.post("/identity/connect/authorize", async (c) => {
    const form = await c.req.formData();
    const q = AuthorizeQuery.safeParse({
      response_type: form.get("response_type"),
      client_id: form.get("client_id"),
      redirect_uri: form.get("redirect_uri"),
      scope: form.get("scope") ?? undefined,
      state: form.get("state") ?? undefined,
    });
    if (!q.success) return new Response("invalid_request", { status: 400 });
    const client = repo.get<App>("", "app", q.data.client_id);
    if (!client || !redirectAllowed(client, q.data.redirect_uri))
      return new Response("invalid_request", { status: 400 });
    const now = clock.now();
    const tenantIds = form.getAll("tenant").map(String);
    const code: TokenGrant = {
      token: randomToken(),
      kind: "code",
      clientId: client.clientId,
      userId: DEMO_USER,
      authEventId: crypto.randomUUID(),
      scope: q.data.scope,
      redirectUri: q.data.redirect_uri,
      tenantIds,
      adviser: form.get("adviser") === "true",
      issuedMs: now,
      expiresMs: now + CODE_TTL_MS,
    };
    repo.put("", "grant", code.token, code);
    const to = new URL(q.data.redirect_uri);
    to.searchParams.set("code", code.token);
    to.searchParams.set("scope", q.data.scope);
    if (q.data.state) to.searchParams.set("state", q.data.state);
    return c.redirect(to.toString(), 302);
  });

  app.post("/connect/token", async (c) => {
    const form = Object.fromEntries(
      [...(await c.req.formData()).entries()].map(([k, v]) => [k, String(v)]),
    ) as Record<string, string>;
    const client = clientFromRequest(repo, c.req.header("authorization"), form);
    if (!client) return oauthError("invalid_client");
    const now = clock.now();
    switch (form["grant_type"]) {
      case "authorization_code": {
        const code = form["code"] ? repo.get<TokenGrant>("", "grant", form["code"]) : undefined;
        if (code?.kind !== "code" || code.clientId !== client.clientId || code.usedMs !== undefined) {
          return oauthError("invalid_grant");
        }
        if (now >= code.expiresMs || code.redirectUri !== form["redirect_uri"])
          return oauthError("invalid_grant");
        repo.put("", "grant", code.token, { ...code, usedMs: now });
        const issued = connectAndIssue(
          repo,
          now,
          client.clientId,
          code.tenantIds ?? [],
          code.adviser ?? false,
          code.scope,
        );
        return tokenResponse(
          issued.access,
          code.scope.split(" ").includes("offline_access") ? issued.refresh : undefined,
        );
      }
      case "refresh_token": {
        const old = form["refresh_token"]
          ? repo.get<TokenGrant>("", "grant", form["refresh_token"])
          : undefined;
        if (old?.kind !== "refresh" || old.clientId !== client.clientId || old.revoked) {
          return oauthError("invalid_grant");
        }
        if (now >= old.expiresMs) return oauthError("invalid_grant");
        if (old.usedMs !== undefined && now - old.usedMs > REFRESH_GRACE_MS)
          return oauthError("invalid_grant");
        if (old.usedMs === undefined) repo.put("", "grant", old.token, { ...old, usedMs: now });
        const g = {
          clientId: old.clientId,
          userId: old.userId,
          authEventId: old.authEventId,
          scope: old.scope,
          issuedMs: now,
        };
        return tokenResponse(issueAccessToken(repo, g), issueRefreshToken(repo, g));
      }
      case "client_credentials": {
        if (!client.customTenantId) return oauthError("unauthorized_client");
        const access = issueAccessToken(repo, {
          clientId: client.clientId,
          userId: DEMO_USER,
          authEventId: "custom-connection",
          scope:
            form["scope"] ??
            "accounting.invoices accounting.payments accounting.manualjournals accounting.settings",
          customTenantId: client.customTenantId,
          issuedMs: now,
        });
        return tokenResponse(access);
      }
      default:
        return oauthError("unsupported_grant_type");
    }
  });

  // Revoking a refresh token removes all of that user's connections for the app.
  app.post("/connect/revocation", async (c) => {
    const form = Object.fromEntries(
      [...(await c.req.formData()).entries()].map(([k, v]) => [k, String(v)]),
    ) as Record<string, string>;
    const client = clientFromRequest(repo, c.req.header("authorization"), form);
    if (!client) return oauthError("invalid_client");
    const g = form["token"] ? repo.get<TokenGrant>("", "grant", form["token"]) : undefined;
    if (g && g.clientId === client.clientId) {
      for (const t of repo.list<TokenGrant>("", "grant")) {
        if (t.clientId === client.clientId && t.userId === g.userId)
          repo.put("", "grant", t.token, { ...t, revoked: true });
      }
      for (const conn of repo.list<Connection>("", "connection")) {
        if (conn.clientId === client.clientId && conn.userId === g.userId)
          repo.delete("", "connection", conn.id);
      }
    }
    return new Response(null, { status: 200 });
  });

  const connectionsOf = (g: TokenGrant) =>
    repo.list<Connection>("", "connection").filter((c) => c.clientId === g.clientId && c.userId === g.userId);

  app.get("/connections", (c) => {
    const g = authenticate(repo, clock.now(), c.req.header("authorization"));
    if (g instanceof Response) return g;
    const authEventId = c.req.query("authEventId");
    const list = connectionsOf(g).filter((x) => !authEventId || x.authEventId === authEventId);
    return jsonResponse(
      list.map((x) => {
        const org = repo.get<Org>("", "org", x.tenantId);
        return {
          id: x.id,
          authEventId: x.authEventId,
          tenantId: x.tenantId,
          tenantType: "ORGANISATION",
          tenantName: org?.name ?? "",
          createdDateUtc: isoUtc(x.createdMs),
          updatedDateUtc: isoUtc(x.updatedMs),
        };
      }),
    );
  });

  app.delete("/connections/:id", (c) => {
    const g = authenticate(repo, clock.now(), c.req.header("authorization"));
    if (g instanceof Response) return g;
    const conn = connectionsOf(g).find((x) => x.id === c.req.param("id"));
    if (!conn) return new Response(null, { status: 404 });
    repo.delete("", "connection", conn.id);
    return new Response(null, { status: 204 });
  });

  return app;
}

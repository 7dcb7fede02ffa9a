/**
 * Sign in with Xero, Office-dialog friendly: start (state stored, single use) → Xero consent → callback
 * (code exchanged, organisations recorded, a one-time code minted) → the task pane exchanges the one-time
 * code for a VCX session. Xero tokens never leave the Worker.
 */
import type { Env } from "../env";
import { ApiError } from "../http/errors";
import { recordGrant } from "../store/organisations";
import { nowIso } from "../store/time";
import { upsertUser } from "../store/users";
import { xeroConfig } from "../xero/config";
import { authorizeUrl, exchangeCode, listConnections, readClaims, XeroGrantError } from "../xero/identity";
import { randomToken, sha256Hex, TokenCipher } from "./crypto";
import { createSession } from "./sessions";

const STATE_TTL_MS = 10 * 60_000;
const ONE_TIME_CODE_TTL_MS = 2 * 60_000;

export const addinOrigins = (env: Env) =>
  env.ADDIN_ORIGINS.split(",")
    .map((s) => s.trim())
    .filter(Boolean);

export async function startSignIn(env: Env, returnOrigin: string | undefined): Promise<string> {
  if (returnOrigin !== undefined && !addinOrigins(env).includes(returnOrigin)) {
    throw new ApiError(400, "bad_return_origin", "The return origin is not a VCX add-in origin.");
  }
  const state = randomToken("", 24);
  await env.DB.prepare(
    "INSERT INTO oauth_states (state_hash, return_origin, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
  )
    .bind(await sha256Hex(state), returnOrigin ?? null, nowIso(), nowIso(Date.now() + STATE_TTL_MS))
    .run();
  return authorizeUrl(xeroConfig(env), state);
}

export interface CallbackResult {
  oneTimeCode: string;
  returnOrigin: string | null;
  organisations: { id: string; name: string }[];
}

export async function completeSignIn(env: Env, code: string, state: string): Promise<CallbackResult> {
  const consumed = await env.DB.prepare(
    "DELETE FROM oauth_states WHERE state_hash = ?1 AND expires_at > ?2 RETURNING return_origin",
  )
    .bind(await sha256Hex(state), nowIso())
    .first<{ return_origin: string | null }>();
  if (!consumed) {
    throw new ApiError(
      400,
      "state_mismatch",
      "This sign-in link is not valid any more; start signing in again.",
    );
  }
  const cfg = xeroConfig(env);
  let tokens: Awaited<ReturnType<typeof exchangeCode>>;
  try {
    tokens = await exchangeCode(cfg, code);
  } catch (e) {
    if (e instanceof XeroGrantError) {
      throw new ApiError(
        400,
        "code_rejected",
        "Xero did not accept the sign-in code (expired or already used); start again.",
      );
    }
    throw e;
  }
  const access = readClaims(tokens.access_token);
  const id = readClaims(tokens.id_token);
  const xeroUserId = id.xeroUserId ?? access.xeroUserId;
  if (!xeroUserId) throw new ApiError(502, "xero_identity", "Xero did not say who signed in.");
  const user = await upsertUser(env.DB, xeroUserId, id.email ?? access.email, id.name ?? access.name);
  const connections = (await listConnections(cfg, tokens.access_token, access.authEventId)).filter(
    (c) => c.tenantType === "ORGANISATION",
  );
  const organisations = connections.map((c) => ({
    id: c.tenantId,
    name: c.tenantName ?? c.tenantId,
    xeroConnectionId: c.id,
  }));
  if (organisations.length > 0) {
    const cipher = await TokenCipher.fromSecret(env.TOKEN_ENCRYPTION_KEY);
    await recordGrant(env.DB, cipher, {
      kind: "oauth",
      userId: user.id,
      authEventId: access.authEventId,
      tokens: {
        accessToken: tokens.access_token,
        expiresInSeconds: tokens.expires_in,
        refreshToken: tokens.refresh_token,
      },
      organisations,
    });
  }
  const oneTimeCode = randomToken("vcxc_", 24);
  await env.DB.prepare(
    "INSERT INTO auth_codes (code_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
  )
    .bind(await sha256Hex(oneTimeCode), user.id, nowIso(), nowIso(Date.now() + ONE_TIME_CODE_TTL_MS))
    .run();
  return {
    oneTimeCode,
    returnOrigin: consumed.return_origin,
    organisations: organisations.map(({ id, name }) => ({ id, name })),
  };
}

/** One-time code → session (single use, two minutes). */
export async function exchangeOneTimeCode(env: Env, code: string) {
  const row = await env.DB.prepare(
    "UPDATE auth_codes SET used_at = ?2 WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2 RETURNING user_id",
  )
    .bind(await sha256Hex(code), nowIso())
    .first<{ user_id: string }>();
  if (!row)
    throw new ApiError(401, "invalid_code", "This sign-in code is not valid (expired or already used).");
  const user = await env.DB.prepare("SELECT id, email, name FROM users WHERE id = ?1")
    .bind(row.user_id)
    .first<{ id: string; email: string | null; name: string | null }>();
  const session = await createSession(env, row.user_id);
  return {
    token: session.token,
    expiresAt: session.expiresAt,
    user: { id: row.user_id, email: user?.email ?? null, name: user?.name ?? null },
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The page Xero redirects the Office dialog to: hands the one-time code to the task pane. */
export function callbackPage(r: CallbackResult): string {
  const message = JSON.stringify({ type: "vcx-auth", code: r.oneTimeCode });
  const target = r.returnOrigin ? JSON.stringify({ targetOrigin: r.returnOrigin }) : "undefined";
  return `<!doctype html><html><head><meta charset="utf-8"><title>VCX — signed in</title>
<script src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"></script></head><body>
<h1>Signed in to Xero</h1>
<p>Connected: ${r.organisations.map((o) => escapeHtml(o.name)).join(", ") || "no organisation"}.</p>
<p>If this window does not close by itself, paste this code into VCX: <code id="code">${escapeHtml(r.oneTimeCode)}</code></p>
<script>
(function () {
  var msg = ${JSON.stringify(message)};
  function send() {
    try { Office.context.ui.messageParent(msg, ${target}); } catch (e) { /* not in an Office dialog */ }
  }
  if (typeof Office !== "undefined" && Office.onReady) Office.onReady(send);
})();
</script></body></html>`;
}

export function errorPage(err: ApiError, requestId: string): string {
  const message = JSON.stringify({ type: "vcx-auth", error: err.code, message: err.message });
  return `<!doctype html><html><head><meta charset="utf-8"><title>VCX — sign-in failed</title>
<script src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"></script></head><body>
<h1>Sign-in failed</h1><p>${escapeHtml(err.message)}</p><p>Request ${escapeHtml(requestId)}</p>
<script>if (typeof Office !== "undefined" && Office.onReady) Office.onReady(function () {
  try { Office.context.ui.messageParent(${JSON.stringify(message)}); } catch (e) {} });</script></body></html>`;
}

/** Where Xero is and how to reach it: configuration, never hard-coded (sandbox locally, real Xero in production). */
import type { Env } from "../env";

export type FetchLike = (input: Request | string, init?: RequestInit) => Promise<Response>;

export interface XeroConfig {
  loginUrl: string;
  identityUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  fetch: FetchLike;
}

export const XERO_SCOPES =
  "openid profile email offline_access accounting.invoices accounting.payments accounting.manualjournals " +
  "accounting.banktransactions accounting.contacts accounting.settings.read";

const trim = (u: string) => u.replace(/\/+$/, "");

export function xeroConfig(env: Env): XeroConfig {
  const binding = env.XERO;
  return {
    loginUrl: env.XERO_LOGIN_URL,
    identityUrl: trim(env.XERO_IDENTITY_URL),
    apiUrl: trim(env.XERO_API_URL),
    clientId: env.XERO_CLIENT_ID,
    clientSecret: env.XERO_CLIENT_SECRET,
    redirectUri: env.XERO_REDIRECT_URI,
    fetch: binding ? (input, init) => binding.fetch(input, init) : (input, init) => fetch(input, init),
  };
}

import type { OrgPoster } from "../posting/org-poster";
import type { XeroConnection } from "./xero/connection-object";

/** Bindings of the VCX API Worker (see worker/wrangler.jsonc). */
export interface Env {
  VCX_ENV: string;
  DB: D1Database;
  /** One XeroConnection Durable Object per Xero organisation (idFromName(tenantId)). */
  XERO_CONNECTIONS: DurableObjectNamespace<XeroConnection>;
  /** One OrgPoster Durable Object per Xero organisation (idFromName(tenantId)): its posting queue (issue 6). */
  ORG_POSTER: DurableObjectNamespace<OrgPoster>;
  /**
   * Optional transport to Xero: when bound (tests: a service binding to the sandbox Worker) every Xero
   * request goes through it instead of the global fetch. Production leaves it unbound.
   */
  XERO?: Fetcher;
  /** Browser-facing authorize endpoint (https://login.xero.com/identity/connect/authorize). */
  XERO_LOGIN_URL: string;
  /** Token and revocation endpoints live under this origin (https://identity.xero.com). */
  XERO_IDENTITY_URL: string;
  /** Accounting API and /connections live under this origin (https://api.xero.com). */
  XERO_API_URL: string;
  XERO_CLIENT_ID: string;
  XERO_CLIENT_SECRET: string;
  XERO_REDIRECT_URI: string;
  /** Webhook signing key from the Xero developer portal. */
  XERO_WEBHOOK_KEY?: string;
  /** base64 of 32 random bytes: AES-256-GCM key for tokens at rest. */
  TOKEN_ENCRYPTION_KEY: string;
  /** Comma-separated task pane origins allowed by CORS and as sign-in return targets. */
  ADDIN_ORIGINS: string;
  SESSION_TTL_SECONDS?: string;
  /**
   * Optional transport to Amazon (LWA + SP-API): when bound (tests: a service binding to the stand-in of
   * Amazon's static sandbox, worker/amazon-standin) every Amazon request goes through it. Production: unbound.
   */
  AMAZON?: Fetcher;
  /** Overrides the LWA token endpoint for every organisation (default https://api.amazon.com/auth/o2/token). */
  AMAZON_LWA_TOKEN_URL?: string;
  /** Overrides the SP-API base URL for every organisation (default: the connection's region/sandbox URL). */
  AMAZON_SP_API_URL?: string;
  /** First retry back-off in ms for SP-API 429/5xx (default 1000, doubled per attempt). */
  AMAZON_BACKOFF_MS?: string;
}

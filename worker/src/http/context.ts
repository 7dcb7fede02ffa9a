import type { Context } from "hono";
import type { Env } from "../env";
import type { OrgRow } from "../store/organisations";

export interface Principal {
  userId: string;
  via: "session" | "api_key";
  /** The bearer token (sessions: for logout). */
  token: string;
  /** API keys are scoped to one organisation. */
  keyOrgId?: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: { requestId: string; principal: Principal; org: OrgRow };
}

export type AppContext = Context<AppEnv>;

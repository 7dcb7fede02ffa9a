import { Hono } from "hono";
import type { ApiContext } from "./api-context";

export type ApiEnv = { Bindings: { api: ApiContext }; Variables: { api: ApiContext } };

/** A resource router mounted under /api.xro/2.0; handlers read the request's ApiContext. */
export const resourceRouter = () => new Hono<ApiEnv>();

/** Parse a JSON body; undefined when it is not JSON. */
export async function jsonBody(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    return undefined;
  }
}

/**
 * The Amazon SP-API sandbox stand-in as a Worker. Run: npx wrangler dev -c worker/amazon-standin/wrangler.jsonc
 * Credentials are vars (test values, never real ones); STANDIN_MODE "test" enables the /__standin controls.
 */
import { createAmazonStandin } from "./app";

export interface StandinEnv {
  LWA_CLIENT_ID: string;
  LWA_CLIENT_SECRET: string;
  LWA_REFRESH_TOKEN: string;
  STANDIN_MODE?: string;
}

let standin: ReturnType<typeof createAmazonStandin> | undefined;

export default {
  fetch(request: Request, env: StandinEnv): Response | Promise<Response> {
    standin ??= createAmazonStandin({
      clientId: env.LWA_CLIENT_ID,
      clientSecret: env.LWA_CLIENT_SECRET,
      refreshToken: env.LWA_REFRESH_TOKEN,
      controls: env.STANDIN_MODE === "test",
    });
    return standin.app.fetch(request);
  },
};

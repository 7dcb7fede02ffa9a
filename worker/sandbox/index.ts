/** The Xero sandbox Worker: every request goes to the single sandbox Durable Object. */
import type { SandboxEnv } from "./env";

export { XeroSandbox } from "./sandbox-object";

export default {
  async fetch(request: Request, env: SandboxEnv): Promise<Response> {
    const stub = env.SANDBOX.get(env.SANDBOX.idFromName("sandbox"));
    return stub.fetch(request);
  },
} satisfies ExportedHandler<SandboxEnv>;

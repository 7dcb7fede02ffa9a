/**
 * The Xero sandbox Worker from its own wrangler config, in test mode, started in-process with wrangler's
 * unstable_startWorker (offline, no persistence, no inspector). Used by `npm run soak` and the posting bench.
 */
import { unstable_startWorker } from "wrangler";
import type { SandboxFetch } from "../test/posting/harness";

export interface InProcessSandbox {
  fetch: SandboxFetch;
  dispose(): Promise<void>;
}

export async function startSandbox(): Promise<InProcessSandbox> {
  const root = new URL("../", import.meta.url).pathname;
  const worker = await unstable_startWorker({
    config: `${root}worker/sandbox/wrangler.jsonc`,
    bindings: { SANDBOX_MODE: { type: "plain_text", value: "test" } },
    dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, logLevel: "error", persist: false },
  });
  await worker.ready;
  return {
    fetch: async (request) => {
      const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.text();
      const res = await worker.fetch(request.url, {
        method: request.method,
        headers: Object.fromEntries(request.headers),
        ...(body === undefined ? {} : { body }),
      });
      return res as unknown as Response;
    },
    dispose: () => worker.dispose(),
  };
}

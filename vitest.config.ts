import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Two projects: the pure domain core on plain Node, Worker code inside workerd.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "core",
          include: ["test/core/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
      {
        // The Excel add-in: pure model, adapters (in-memory and office-addin-mock), API client, manifest,
        // and the pane end to end in Chromium.
        test: {
          name: "addin",
          include: ["test/addin/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The VCX API Worker, with the Xero sandbox Worker (bundled with esbuild) as an auxiliary worker
        // reached through the XERO service binding, and its D1 migrations applied by test/worker/setup.ts.
        plugins: [
          cloudflareTest(async () => {
            const { build } = await import("esbuild");
            const { readD1Migrations } = await import("@cloudflare/vitest-pool-workers");
            const sandboxScript = `${import.meta.dirname}/node_modules/.cache/vcx-test/xero-sandbox.js`;
            const standinScript = `${import.meta.dirname}/node_modules/.cache/vcx-test/amazon-standin.js`;
            const bundle = (entry: string, outfile: string) =>
              build({
                entryPoints: [entry],
                outfile,
                bundle: true,
                format: "esm",
                platform: "neutral",
                target: "es2022",
                mainFields: ["module", "main"],
                conditions: ["workerd", "worker", "browser"],
                external: ["cloudflare:*", "node:*"],
                logLevel: "error",
              });
            await bundle(`${import.meta.dirname}/worker/amazon-standin/index.ts`, standinScript);
            const standinBindings: Record<string, string> = {
              LWA_CLIENT_ID: "amzn1.application-oa2-client.standin",
              LWA_CLIENT_SECRET: "standin-secret",
              LWA_REFRESH_TOKEN: "Atzr|standin-refresh",
              STANDIN_MODE: "test",
            };
            await build({
              entryPoints: [`${import.meta.dirname}/worker/sandbox/index.ts`],
              outfile: sandboxScript,
              bundle: true,
              format: "esm",
              platform: "neutral",
              target: "es2022",
              mainFields: ["module", "main"],
              conditions: ["workerd", "worker", "browser"],
              external: ["cloudflare:*", "node:*"],
              logLevel: "error",
            });
            return {
              wrangler: { configPath: "./worker/wrangler.jsonc" },
              miniflare: {
                bindings: {
                  VCX_ENV: "test",
                  XERO_LOGIN_URL: "http://sandbox.test/identity/connect/authorize",
                  XERO_IDENTITY_URL: "http://sandbox.test",
                  XERO_API_URL: "http://sandbox.test",
                  XERO_CLIENT_ID: "VCXSANDBOXCLIENTID",
                  XERO_CLIENT_SECRET: "vcx-sandbox-secret",
                  XERO_REDIRECT_URI: "http://localhost:8787/v1/auth/xero/callback",
                  XERO_WEBHOOK_KEY: "test-webhook-key",
                  TOKEN_ENCRYPTION_KEY: "dGVzdC1vbmx5LWtleS0zMi1ieXRlcy1sb25nLSEhISE=",
                  ADDIN_ORIGINS: "https://addin.vcx.test",
                  AMAZON_LWA_TOKEN_URL: "http://amazon.test/auth/o2/token",
                  AMAZON_SP_API_URL: "http://amazon.test",
                  AMAZON_BACKOFF_MS: "5",
                  TEST_MIGRATIONS: await readD1Migrations(`${import.meta.dirname}/worker/migrations`),
                },
                serviceBindings: { XERO: "xero-sandbox", AMAZON: "amazon-standin" },
                workers: [
                  {
                    name: "xero-sandbox",
                    modules: true,
                    scriptPath: sandboxScript,
                    compatibilityDate: "2026-08-01",
                    compatibilityFlags: ["nodejs_compat"],
                    durableObjects: { SANDBOX: { className: "XeroSandbox", useSQLite: true } },
                    bindings: { SANDBOX_MODE: "test" },
                  },
                  {
                    // Stand-in of Amazon's static SP-API sandbox + LWA (issue 7), reached via AMAZON.
                    name: "amazon-standin",
                    modules: true,
                    scriptPath: standinScript,
                    compatibilityDate: "2026-08-01",
                    bindings: standinBindings,
                  },
                ],
              },
            };
          }),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          setupFiles: ["test/worker/setup.ts"],
          testTimeout: 30_000,
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./worker/sandbox/wrangler.jsonc" },
            miniflare: { bindings: { SANDBOX_MODE: "test" } },
          }),
        ],
        test: {
          name: "sandbox",
          include: ["test/sandbox/**/*.test.ts"],
        },
      },
      {
        // The posting engine (issue 6) inside workerd, calling the real Xero sandbox through
        // exports.default.fetch; test/posting/worker.ts re-exports the sandbox Worker plus OrgPoster.
        plugins: [
          cloudflareTest(async () => {
            const { readFileSync } = await import("node:fs");
            const { kCurrentWorker } = await import("miniflare");
            const mappings = readFileSync(`${import.meta.dirname}/test/fixtures/mappings/demo-mappings.xlsx`);
            return {
              main: "./test/posting/worker.ts",
              wrangler: { configPath: "./worker/sandbox/wrangler.jsonc" },
              miniflare: {
                bindings: {
                  SANDBOX_MODE: "test",
                  XERO_API_URL: "http://sandbox.test/api.xro/2.0",
                  DEMO_MAPPINGS_XLSX_B64: mappings.toString("base64"),
                  SOAK_RUNS: process.env["POSTING_SOAK_RUNS"] ?? "10",
                  SOAK_SEED: process.env["POSTING_SOAK_SEED"] ?? "20260210",
                },
                durableObjects: {
                  SANDBOX: { className: "XeroSandbox", useSQLite: true },
                  ORG_POSTER: { className: "OrgPoster", useSQLite: true },
                },
                serviceBindings: { XERO: kCurrentWorker },
              },
            };
          }),
        ],
        test: {
          name: "posting",
          include: ["test/posting/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

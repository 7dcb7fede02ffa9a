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
        plugins: [cloudflareTest({ wrangler: { configPath: "./worker/wrangler.jsonc" } })],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
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
    ],
  },
});

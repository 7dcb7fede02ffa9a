import { createScheduledController } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { remittanceCommand } from "../../worker/cli/commands/remittance";
import { runScheduled } from "../../worker/src/cron";
import usCsv from "../fixtures/remittances/us-40311877.csv?raw";
import { api, apiKey, newTenant, signIn, testEnv } from "./helpers";

describe("cron", () => {
  it("expires sessions and refreshes stale reference data", async () => {
    const tenant = await newTenant();
    const { token } = await signIn([tenant.tenantId]);
    await testEnv.DB.prepare("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z'").run();
    const controller = createScheduledController({ cron: "*/15 * * * *" });
    const result = await runScheduled(testEnv, controller.cron);
    expect(result.expired).toBeGreaterThan(0);
    expect(result.refreshed).toContain(tenant.tenantId);
    expect((await api("/v1/organisations", { token })).status).toBe(401);
    const cached = await testEnv.DB.prepare("SELECT COUNT(*) AS n FROM reference_data WHERE org_id = ?1")
      .bind(tenant.tenantId)
      .first<{ n: number }>();
    expect(cached?.n).toBe(4);
  });
});

describe("vcx remittance (CLI) against the Worker", () => {
  it("uploads and lists with an API key from the environment", async () => {
    const tenant = await newTenant();
    const { token } = await signIn([tenant.tenantId]);
    const key = await apiKey(token, tenant.tenantId);
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      readFile: async () => new TextEncoder().encode(usCsv),
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      env: { VCX_URL: "http://vcx.test", VCX_API_KEY: key },
      fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
        api(String(input).replace("http://vcx.test", ""), init ?? {}).then(
          (r) => new Response(r.text, { status: r.status }),
        )) as typeof fetch,
    };
    const uploaded = await remittanceCommand(["upload", "us-40311877.csv"], io);
    expect(err.join("")).toBe("");
    expect(uploaded).toBe(0);
    expect(out.join("")).toMatch(/Uploaded us-40311877\.csv as [0-9a-f-]+ \(vc-export-csv\)/);
    expect(out.join("")).toContain("payment 40311877 USD 12770.00");
    out.length = 0;
    expect(await remittanceCommand(["list"], io)).toBe(0);
    expect(out.join("")).toContain("us-40311877.csv");
    expect(
      await remittanceCommand(["list"], {
        ...io,
        env: { VCX_URL: "http://vcx.test", VCX_API_KEY: "vcxk_bad" },
      }),
    ).toBe(1);
    expect(err.join("")).toContain("VCX answered 401");
    expect(await remittanceCommand(["list"], { ...io, env: {} })).toBe(2);
  });
});

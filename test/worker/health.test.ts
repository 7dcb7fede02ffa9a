import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("VCX API worker in workerd", () => {
  it("answers /health with its environment", async () => {
    const res = await exports.default.fetch("http://vcx.test/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, service: "vcx-api", env: "test" });
  });

  it("returns 404 for unknown routes", async () => {
    const res = await exports.default.fetch("http://vcx.test/nope");
    expect(res.status).toBe(404);
  });
});

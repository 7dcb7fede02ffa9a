import { describe, expect, it } from "vitest";
import { ApiError, VcxApi } from "../../addin/src/api/client";

function spy(respond: (url: string, init: RequestInit) => Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return respond(url, init);
  }) as unknown as typeof globalThis.fetch;
  return { calls, fetch };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("VcxApi", () => {
  it("sends the bearer token and JSON bodies to the contract's paths", async () => {
    const s = spy(() => json(200, { ok: true, errors: [] }));
    const api = new VcxApi({ baseUrl: "https://api.vcx.example/", token: () => "tok", fetch: s.fetch });
    await api.validateMappings("org 1", { Deductions: [["Kind"]] });
    const [c] = s.calls;
    expect(c?.url).toBe("https://api.vcx.example/v1/organisations/org%201/mappings/validate");
    expect(c?.init.method).toBe("POST");
    expect(((c?.init.headers ?? {}) as Record<string, string>)["Authorization"]).toBe("Bearer tok");
    expect(JSON.parse(String(c?.init.body))).toEqual({ sheets: { Deductions: [["Kind"]] } });
  });

  it("the code exchange carries no bearer token; the sign-in URL carries the pane origin", async () => {
    const s = spy(() => json(200, { token: "t", expiresAt: "x", user: { id: "u", email: "e", name: "n" } }));
    const api = new VcxApi({ baseUrl: "https://api.vcx.example", token: () => "old", fetch: s.fetch });
    expect((await api.exchange("otc")).token).toBe("t");
    expect(((s.calls[0]?.init.headers ?? {}) as Record<string, string>)["Authorization"]).toBeUndefined();
    expect(api.signInUrl("https://addin.vcx.example")).toBe(
      "https://api.vcx.example/v1/auth/xero/start?return=https%3A%2F%2Faddin.vcx.example",
    );
  });

  it("errors become ApiError with the envelope's code, message and issues", async () => {
    const s = spy(() =>
      json(400, {
        error: {
          code: "validation_failed",
          message: "Bad body",
          requestId: "r1",
          issues: [{ path: ["code"], message: "Required" }],
        },
      }),
    );
    const api = new VcxApi({ baseUrl: "https://a", fetch: s.fetch });
    const e = await api.organisations().catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 400, code: "validation_failed", message: "Bad body" });
    expect(e.issues[0].message).toBe("Required");
    const s2 = spy(
      () => new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }),
    );
    const e2 = await new VcxApi({ baseUrl: "https://a", fetch: s2.fetch }).organisations().catch((x) => x);
    expect(e2).toMatchObject({ status: 502, code: "not_json" });
  });

  it("a 422 on save resolves with the errors (either shape); upload 422 returns the remittance", async () => {
    const errors = [
      { sheet: "Deductions", row: 3, column: "Account Code", cell: "E3", message: "no such account" },
    ];
    const a = new VcxApi({
      baseUrl: "https://a",
      fetch: spy(() => json(422, { error: { code: "v", message: "m" }, errors })).fetch,
    });
    expect(await a.saveMapping("o", "Deductions", [["Kind"]])).toEqual({ ok: false, errors });
    const b = new VcxApi({
      baseUrl: "https://a",
      fetch: spy(() =>
        json(422, { error: { code: "v", message: "m", issues: [{ message: "x", row: 2, column: "Kind" }] } }),
      ).fetch,
    });
    expect(await b.saveMapping("o", "Deductions", [])).toEqual({
      ok: false,
      errors: [{ sheet: "Deductions", row: 2, column: "Kind", message: "x" }],
    });
    const c = new VcxApi({
      baseUrl: "https://a",
      fetch: spy(() => json(422, { error: { code: "bad", message: "m" }, remittance: { problems: [] } }))
        .fetch,
    });
    expect(await c.uploadGrid("o", { fileName: "f", rows: [] })).toMatchObject({
      ok: false,
      error: { code: "bad" },
    });
  });

  it("uploads raw bytes with the file name header and locale", async () => {
    const s = spy(() => json(201, { id: "rem-1", remittance: { payments: [] } }));
    const api = new VcxApi({ baseUrl: "https://a", fetch: s.fetch });
    const r = await api.uploadFile("o", "remit.csv", new Uint8Array([65, 66]), "eu");
    expect(r).toMatchObject({ ok: true, id: "rem-1" });
    expect(s.calls[0]?.url).toBe("https://a/v1/organisations/o/remittances?locale=eu");
    expect(((s.calls[0]?.init.headers ?? {}) as Record<string, string>)["X-File-Name"]).toBe("remit.csv");
    expect(((s.calls[0]?.init.headers ?? {}) as Record<string, string>)["Content-Type"]).toBe(
      "application/octet-stream",
    );
  });

  it("post: 202 with the job to poll, as the Worker answers it", async () => {
    const s = spy(() =>
      json(202, { jobId: "rem-r1-0", created: true, state: "queued", total: 8, exceptions: 0 }),
    );
    const api = new VcxApi({ baseUrl: "https://a", fetch: s.fetch });
    expect(await api.post("o", "r1")).toEqual({
      jobId: "rem-r1-0",
      created: true,
      state: "queued",
      total: 8,
      exceptions: 0,
    });
    expect(`${s.calls[0]?.init.method} ${s.calls[0]?.url}`).toBe(
      "POST https://a/v1/organisations/o/remittances/r1/post",
    );
    const none = new VcxApi({ baseUrl: "https://a", fetch: spy(() => json(202, {})).fetch });
    await expect(none.post("o", "r1")).rejects.toMatchObject({ code: "bad_response" });
    const nothing = new VcxApi({
      baseUrl: "https://a",
      fetch: spy(() => json(422, { error: { code: "nothing_to_post", message: "No documents." } })).fetch,
    });
    await expect(nothing.post("o", "r1")).rejects.toMatchObject({ status: 422, code: "nothing_to_post" });
  });

  it("jobs and exceptions routes", async () => {
    const s = spy((url) =>
      url.includes("/exceptions")
        ? json(200, { exceptions: [{ id: "e1" }] })
        : url.endsWith("/cancel")
          ? json(200, { id: "j1", state: "cancelled" })
          : json(200, { id: "j1", state: "done" }),
    );
    const api = new VcxApi({ baseUrl: "https://a", fetch: s.fetch });
    expect((await api.job("j1")).state).toBe("done");
    expect((await api.jobAction("j1", "cancel")).state).toBe("cancelled");
    expect((await api.exceptions("o", { remittanceId: "r1", status: "open" }))[0]?.id).toBe("e1");
    expect(s.calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      "GET https://a/v1/jobs/j1",
      "POST https://a/v1/jobs/j1/cancel",
      "GET https://a/v1/organisations/o/exceptions?remittanceId=r1&status=open",
    ]);
  });

  it("undo, purchase orders, health and month-end routes", async () => {
    const s = spy((url) =>
      url.endsWith("/undo")
        ? json(202, { jobId: "rem-r1-1:undo", jobIds: ["rem-r1-1:undo"] })
        : url.endsWith("/purchase-orders")
          ? json(201, { import: { id: "i", orders: 1 }, replayed: false, created: {}, problems: [] })
          : url.endsWith("/purchase-orders/post")
            ? json(202, { jobId: "po-1", created: true, state: "queued" })
            : url.endsWith("/preview")
              ? json(200, { plan: { lines: [] }, previewedAt: "t" })
              : json(200, { state: "ok", period: "2026-10" }),
    );
    const api = new VcxApi({ baseUrl: "https://a", fetch: s.fetch });
    expect(await api.undo("o", "r1")).toEqual({ jobId: "rem-r1-1:undo", jobIds: ["rem-r1-1:undo"] });
    expect((await api.uploadPurchaseOrders("o", "po.json", new Uint8Array([123, 125]))).import.orders).toBe(
      1,
    );
    expect((await api.previewPurchaseOrders("o")).previewedAt).toBe("t");
    expect((await api.postPurchaseOrders("o")).jobId).toBe("po-1");
    expect((await api.health("o")).state).toBe("ok");
    expect((await api.monthEnd("o", "2026-10")).period).toBe("2026-10");
    expect(s.calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      "POST https://a/v1/organisations/o/remittances/r1/undo",
      "POST https://a/v1/organisations/o/purchase-orders",
      "POST https://a/v1/organisations/o/purchase-orders/preview",
      "POST https://a/v1/organisations/o/purchase-orders/post",
      "GET https://a/v1/organisations/o/health",
      "GET https://a/v1/organisations/o/reports/month/2026-10?format=json",
    ]);
    const upload = s.calls[1]?.init.headers as Record<string, string>;
    expect(upload["Content-Type"]).toBe("application/octet-stream");
    expect(upload["X-File-Name"]).toBe("po.json");
  });

  it("an undo the Worker refuses is an ApiError with its code", async () => {
    const s = spy(() =>
      json(409, { error: { code: "job_active", message: "Job j is still running; cancel it first." } }),
    );
    const api = new VcxApi({ baseUrl: "https://a", fetch: s.fetch });
    const e = await api.undo("o", "r").catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code]).toEqual([409, "job_active"]);
  });
});

/**
 * The pane's controller against the in-memory workbook and the stub Worker (real core behind the
 * contract): the whole flow without a browser.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VcxApi } from "../../addin/src/api/client";
import { MemoryWorkbook } from "../../addin/src/excel/memory";
import { PaneController } from "../../addin/src/pane/controller";
import { csvGrid, fixtureBytes } from "./support/fixtures";
import { type StubWorker, startStubWorker } from "./support/stub-worker";

let worker: StubWorker;
beforeAll(async () => {
  worker = await startStubWorker({ runningPolls: 2 });
});
afterAll(() => worker.close());

function setup(signIn?: (url: string) => Promise<string>) {
  const wb = new MemoryWorkbook();
  const api = new VcxApi({ baseUrl: worker.url });
  const signInUrls: string[] = [];
  const ctl = new PaneController({
    workbook: wb,
    api,
    origin: "https://addin.vcx.test",
    signIn:
      signIn ??
      (async (url) => {
        signInUrls.push(url);
        return "otc-1";
      }),
    sleep: async () => undefined,
    now: () => new Date("2026-02-11T10:00:00Z"),
  });
  return { wb, ctl, signInUrls };
}

const col = (wb: MemoryWorkbook, table: string, header: string) => {
  const t = wb.table(table) ?? [];
  const j = (t[0] ?? []).indexOf(header);
  return t.slice(1).map((r) => r[j]);
};

describe("PaneController end to end (memory workbook + stub Worker)", () => {
  it("connect → lists → mappings → validate flags a bad account → save → import → review → post", async () => {
    const { wb, ctl, signInUrls } = setup();
    await ctl.connect();
    expect(signInUrls[0]).toBe(`${worker.url}/v1/auth/xero/start?return=https%3A%2F%2Faddin.vcx.test`);
    expect(ctl.state.session?.user.email).toBe("fin@example.com");
    expect(ctl.state.status?.apiBudget.dayRemaining).toBe(4990);
    expect(ctl.state.status?.periodLockDate).toBe("2026-01-31");

    await ctl.refreshLists();
    expect(wb.sheets.get("Lists")?.visible).toBe(false);
    expect(wb.sheets.get("Deductions")?.validations.some((v) => v.source.startsWith("=Lists!$A$2"))).toBe(
      true,
    );

    await ctl.loadMappings();
    const accounts = col(wb, "VcxDeductions", "Account Code");
    expect(accounts).toContain("6130");
    expect(ctl.postBlocked).toMatch(/Import/);

    // A person types an account that does not exist.
    const t = wb.table("VcxDeductions")!;
    const j = t[0]!.indexOf("Account Code");
    wb.userEdit("Deductions", 1, j, "9999");
    expect(ctl.state.dirtySheets.has("Deductions")).toBe(true);
    expect(await ctl.validate()).toBe(false);
    const marks = wb.sheets.get("Deductions")!.marks;
    expect(marks).toHaveLength(1);
    expect(marks[0]?.address).toBe(`${String.fromCharCode(65 + j)}2`);
    expect(marks[0]?.note).toMatch(/9999/);
    expect(ctl.state.validation?.text).toMatch(/1 problem: Deductions 1/);
    expect(await ctl.save()).toBe(false);
    expect(worker.saved).toEqual({});

    wb.userEdit("Deductions", 1, j, accounts[0] as string);
    expect(await ctl.save()).toBe(true);
    expect(Object.keys(worker.saved).sort()).toEqual(["Deductions", "SKUs", "Settings"]);
    expect(wb.sheets.get("Deductions")!.marks).toEqual([]);
    expect(ctl.state.dirtySheets.size).toBe(0);

    await ctl.importFile("us-40311877.csv", fixtureBytes("remittances/us-40311877.csv"));
    expect(ctl.state.message?.kind).toBe("success");
    expect(col(wb, "VcxReview", "Document Number")).toContain("INV-BSC");
    expect(col(wb, "VcxReviewTotals", "Measure")).toContain("Difference");
    expect(wb.sheets.get("Review")?.charts[0]?.title).toBe("Deductions by kind");
    expect(wb.active).toBe("Review");
    expect(ctl.postBlocked).toBeUndefined();

    const job = await ctl.post();
    expect(job?.state).toBe("done");
    expect(worker.log.filter((l) => l.startsWith("GET /v1/jobs/")).length).toBe(3);
    const status = col(wb, "VcxReview", "Status");
    expect(status.every((s) => s === "posted")).toBe(true);
    expect(col(wb, "VcxReview", "Xero ID").every((x) => /^xero-\d{4}/.test(String(x)))).toBe(true);
    const log = wb.table("VcxPostingLog")!;
    expect(log.length - 1).toBe(worker.posted.length);
    expect(log[1]?.slice(0, 3)).toEqual(["2026-02-11T10:00:00.000Z", "fin@example.com", "us-40311877.csv"]);
    expect(wb.stats.formulas).toEqual([]);
  });

  it("imports the active sheet as a grid; an unreadable sheet shows the Worker's reason", async () => {
    const { wb, ctl } = setup();
    await ctl.connect();
    wb.loadSheet("us-40311877", csvGrid("remittances/us-40311877.csv") as (string | number)[][]);
    await ctl.importActiveSheet();
    expect(ctl.state.remittanceId).toBeDefined();
    expect(worker.log).toContain("POST /v1/organisations/org-1/remittances");
    expect(col(wb, "VcxReview", "Document Number")).toHaveLength(7);

    wb.loadSheet("Notes", [["hello"], ["world"]]);
    await ctl.importActiveSheet();
    expect(ctl.state.message?.kind).toBe("error");
    expect(ctl.state.remittanceId).toBeUndefined();
    expect(ctl.postBlocked).toMatch(/Import/);
  });

  it("a closed sign-in dialog leaves the pane disconnected with a plain message", async () => {
    const { ctl } = setup(async () => {
      throw new Error("The sign-in window was closed before sign-in finished.");
    });
    await ctl.connect();
    expect(ctl.state.session).toBeUndefined();
    expect(ctl.state.message).toEqual({
      kind: "error",
      text: "The sign-in window was closed before sign-in finished.",
    });
  });

  it("a user without name or email, an organisation without saved mappings: plain messages", async () => {
    const routes: Record<string, unknown> = {
      "POST /v1/auth/exchange": {
        token: "t",
        expiresAt: "2026-02-11T18:00:00Z",
        user: { id: "u1", email: null, name: null },
      },
      "GET /v1/organisations": {
        organisations: [{ id: "o1", name: "New Co", baseCurrency: "USD", connection: "ok" }],
      },
      "GET /v1/organisations/o1/status": { id: "o1", name: "New Co", connection: "ok", apiBudget: {} },
      "GET /v1/organisations/o1/mappings": { version: 0, sheets: {} },
    };
    const api = new VcxApi({
      baseUrl: "https://api.vcx.test",
      fetch: async (input, init) => {
        const key = `${init?.method ?? "GET"} ${new URL(String(input)).pathname}`;
        return key in routes ? Response.json(routes[key]) : new Response("{}", { status: 404 });
      },
    });
    const wb = new MemoryWorkbook();
    const ctl = new PaneController({
      workbook: wb,
      api,
      origin: "https://addin.vcx.test",
      signIn: async () => "c",
    });
    await ctl.connect();
    expect(ctl.state.message).toEqual({ kind: "success", text: "Connected to Xero." });
    await ctl.loadMappings();
    expect(ctl.state.message).toEqual({
      kind: "info",
      text: "No mappings saved for New Co yet: fill in the sheets, then Validate and Save.",
    });
    // The sheets are there to fill in: headers only.
    expect(wb.table("VcxDeductions")).toHaveLength(1);
  });
});

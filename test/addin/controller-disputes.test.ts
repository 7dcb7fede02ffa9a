/** The Disputes sheet: load the register, edit a status, save (PATCH), refused moves marked. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VcxApi } from "../../addin/src/api/client";
import { MemoryWorkbook } from "../../addin/src/excel/memory";
import { PaneController } from "../../addin/src/pane/controller";
import { fixtureBytes } from "./support/fixtures";
import { type StubWorker, startStubWorker } from "./support/stub-worker";

let worker: StubWorker;
beforeAll(async () => {
  worker = await startStubWorker();
});
afterAll(() => worker.close());

describe("disputes sheet", () => {
  it("load → edit one status → save sends one PATCH; a refused transition is marked", async () => {
    const wb = new MemoryWorkbook();
    const ctl = new PaneController({
      workbook: wb,
      api: new VcxApi({ baseUrl: worker.url }),
      origin: "https://addin.vcx.test",
      signIn: async () => "otc-1",
      sleep: async () => {},
      now: () => new Date("2026-02-11T10:00:00Z"),
    });
    await ctl.connect();
    await ctl.importFile("us-40311877.csv", fixtureBytes("remittances/us-40311877.csv"));
    // Every deadline ahead of "today", so open → disputed is allowed.
    worker.disputesToday.value = "2000-01-01";
    await ctl.loadDisputes();
    const t = wb.table("VcxDisputes") ?? [];
    expect(t[0]).toEqual([
      "Key",
      "Payment",
      "Document Number",
      "Kind",
      "Amount",
      "Currency",
      "Deadline",
      "Days Left",
      "Status",
      "Note",
    ]);
    expect(t.length).toBeGreaterThan(2);
    expect(wb.sheet("Disputes").validations).toContainEqual({
      column: "I",
      source: "open,disputed,won,lost,expired",
      table: "VcxDisputes",
    });

    const status = 8;
    const first = String(t[1]?.[0]);
    const second = String(t[2]?.[0]);
    wb.userEdit("Disputes", 1, status, "disputed");
    wb.userEdit("Disputes", 1, 9, "case 123");
    const before = worker.log.length;
    expect(await ctl.saveDisputes()).toEqual({ saved: 1, refused: 0 });
    const patches = worker.log.slice(before).filter((l) => l.startsWith("PATCH"));
    expect(patches).toEqual([`PATCH /v1/organisations/org-1/disputes/${encodeURIComponent(first)}`]);
    expect(worker.disputeStates[first]).toMatchObject({ status: "disputed", note: "case 123", disputes: 1 });
    const reloaded = wb.table("VcxDisputes") ?? [];
    expect(reloaded.find((r) => r[0] === first)?.[status]).toBe("disputed");

    // disputed → open is not a move the Worker allows: 409, marked on the Status cell with the reason.
    const row = reloaded.findIndex((r) => r[0] === first);
    wb.userEdit("Disputes", row, status, "open");
    expect(await ctl.saveDisputes()).toEqual({ saved: 0, refused: 1 });
    expect(ctl.state.message?.kind).toBe("error");
    const again = wb.table("VcxDisputes") ?? [];
    const at = again.findIndex((r) => r[0] === first);
    expect(again[at]?.[status]).toBe("disputed");
    expect(wb.sheet("Disputes").marks).toEqual([
      {
        address: `I${at + 1}`,
        note: expect.stringContaining("cannot go from disputed to open"),
        fill: "#FDE7E9",
      },
    ]);
    expect(again.find((r) => r[0] === second)?.[status]).toBe("open");
  });
});

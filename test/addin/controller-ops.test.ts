/**
 * Posting controls (pause / resume / cancel, undo), resolving an exception, purchase orders, month-end and
 * health: the controller against the in-memory workbook and the stub Worker (real core behind the contract).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VcxApi } from "../../addin/src/api/client";
import { MemoryWorkbook } from "../../addin/src/excel/memory";
import { PaneController } from "../../addin/src/pane/controller";
import { example, fixture } from "../core/po/builders";
import { fixtureBytes } from "./support/fixtures";
import { type StubWorker, startStubWorker } from "./support/stub-worker";

let worker: StubWorker;
beforeAll(async () => {
  worker = await startStubWorker({ runningPolls: 3 });
});
afterAll(() => worker.close());

function setup(onSleep?: (ctl: PaneController, n: number) => Promise<void>) {
  const wb = new MemoryWorkbook();
  const api = new VcxApi({ baseUrl: worker.url });
  let sleeps = 0;
  const ctl: PaneController = new PaneController({
    workbook: wb,
    api,
    origin: "https://addin.vcx.test",
    signIn: async () => "otc-1",
    sleep: async () => {
      sleeps++;
      await onSleep?.(ctl, sleeps);
    },
    now: () => new Date("2026-02-11T10:00:00Z"),
  });
  return { wb, ctl };
}

const col = (wb: MemoryWorkbook, table: string, header: string) => {
  const t = wb.table(table) ?? [];
  const j = (t[0] ?? []).indexOf(header);
  return t.slice(1).map((r) => r[j]);
};

const bytes = (text: string) => new TextEncoder().encode(text);

async function imported(onSleep?: (ctl: PaneController, n: number) => Promise<void>) {
  const s = setup(onSleep);
  await s.ctl.connect();
  await s.ctl.importFile("us-40311877.csv", fixtureBytes("remittances/us-40311877.csv"));
  expect(s.ctl.postBlocked).toBeUndefined();
  return s;
}

describe("posting controls", () => {
  it("pause, resume and cancel a running job; the log and Review show what was posted and held", async () => {
    const seen: string[] = [];
    const { wb, ctl } = await imported(async (c, n) => {
      seen.push(`${c.state.job?.state}`);
      if (n === 1) {
        await c.controlJob("pause");
        expect(c.state.job?.state).toBe("paused");
        expect(c.state.message?.text).toMatch(/paused/);
      } else if (n === 3) {
        await c.controlJob("resume");
        expect(c.state.job?.state).toBe("running");
      } else if (n === 4) await c.controlJob("cancel");
    });
    const job = await ctl.post();
    expect(job?.state).toBe("cancelled");
    expect(seen.slice(0, 3)).toEqual(["running", "paused", "paused"]);
    const id = job?.id ?? "";
    expect(worker.log).toContain(`POST /v1/jobs/${id}/pause`);
    expect(worker.log).toContain(`POST /v1/jobs/${id}/resume`);
    expect(worker.log).toContain(`POST /v1/jobs/${id}/cancel`);
    const states = col(wb, "VcxPostingLog", "State");
    expect(states).toContain("posted");
    expect(states).toContain("held");
    expect(col(wb, "VcxReview", "Status")).toContain("held");
    expect(ctl.state.message?.kind).toBe("error");
    expect(ctl.state.job?.finished).toBe(true);
    // A control with no running job says so.
    expect(await ctl.controlJob("pause")).toBeUndefined();
    expect(ctl.state.message?.text).toBe("No posting job is running.");
  });

  it("undo a posted remittance: follows the undo job, logs the reversals, then allows posting again", async () => {
    const { wb, ctl } = await imported();
    expect(ctl.undoBlocked).toMatch(/Nothing/);
    const posted = await ctl.post();
    expect(posted?.state).toBe("done");
    expect(ctl.postBlocked).toMatch(/has been posted/);
    expect(ctl.undoBlocked).toBeUndefined();
    const before = (wb.table("VcxPostingLog")?.length ?? 1) - 1;

    const undone = await ctl.undo();
    expect(undone?.kind).toBe("undo");
    expect(undone?.state).toBe("done");
    expect(worker.log).toContain(`POST /v1/organisations/org-1/remittances/${ctl.state.remittanceId}/undo`);
    expect(worker.log).toContain(`GET /v1/jobs/${posted?.id}%3Aundo`);
    const log = wb.table("VcxPostingLog")!;
    const added = log.slice(1 + before);
    expect(added.length).toBe(posted?.total);
    const j = log[0]!.indexOf("State");
    expect(added.every((r) => r[j] === "reversed")).toBe(true);
    expect(added[0]?.[log[0]!.indexOf("Job")]).toBe(`${posted?.id}:undo`);
    expect(col(wb, "VcxReview", "Status").every((s) => s === "reversed")).toBe(true);
    expect(ctl.state.message).toEqual({
      kind: "success",
      text: `Undo done: ${posted?.total} of ${posted?.total} document(s) reversed.`,
    });
    expect(ctl.undoBlocked).toMatch(/Nothing/);
    expect(ctl.postBlocked).toBeUndefined();
    // Undo again: the Worker's 409 shows in plain words (forced past the gate).
    ctl.state.undoable = true;
    await ctl.undo();
    expect(ctl.state.message?.kind).toBe("error");
    expect(ctl.state.message?.text).toMatch(/Nothing of this remittance/);
  });
});

describe("Exceptions: Resolve the selected row", () => {
  it("PATCHes the exception in the selected row and previews again", async () => {
    const { wb, ctl } = await imported();
    const stored = worker.addException({
      remittanceId: ctl.state.remittanceId ?? "",
      code: "new_deduction_code",
      reason: "Deduction code ZZ was never seen before.",
      fix: "Map it on the Deductions sheet.",
    });
    await ctl.preview();
    expect(col(wb, "VcxExceptions", "Id")).toEqual([stored.id]);
    expect(ctl.state.health?.facts).toContainEqual(["Open exceptions", "1"]);

    // Nothing selected in the table: a plain message, no request.
    wb.select("Review", 1, 0);
    await ctl.resolveSelected();
    expect(ctl.state.message?.text).toBe("Select a row of the Exceptions sheet first.");
    wb.select("Exceptions", 0, 0); // the header row
    await ctl.resolveSelected();
    expect(ctl.state.message?.text).toBe("Select a row of the Exceptions sheet first.");

    const previews = worker.log.filter((l) => l.endsWith("/preview")).length;
    wb.select("Exceptions", 1, 3);
    await ctl.resolveSelected();
    expect(worker.log).toContain(`PATCH /v1/organisations/org-1/exceptions/${stored.id}`);
    expect(stored.status).toBe("resolved");
    expect(worker.log.filter((l) => l.endsWith("/preview")).length).toBe(previews + 1);
    expect(wb.table("VcxExceptions")).toHaveLength(1);
    expect(ctl.state.message).toEqual({
      kind: "success",
      text: "Exception resolved; the remittance was previewed again.",
    });
    expect(ctl.state.health?.facts).toContainEqual(["Open exceptions", "0"]);
  });

  it("a plan exception (no stored id) explains how to clear it", async () => {
    const { wb, ctl } = await imported();
    await wb.writeTable((await import("../../addin/src/model/sheets")).EXCEPTIONS_SHEET, [
      ["40311877", 4, "INV-X", "unmapped_deduction", "blocking", "No mapping", "Map it", 0, "open", ""],
    ]);
    wb.select("Exceptions", 1, 0);
    await ctl.resolveSelected();
    expect(ctl.state.message?.text).toMatch(/^unmapped_deduction comes from the current plan/);
  });
});

describe("Purchase Orders sheet", () => {
  it("imports PO files, previews one row per line, posts the invoices and logs them", async () => {
    const { wb, ctl } = setup();
    await ctl.connect();
    expect(ctl.poPostBlocked).toMatch(/Import and preview/);

    await ctl.importPurchaseOrders("TestOrder202.json", bytes(fixture("TestOrder202.getPurchaseOrder.json")));
    expect(worker.log).toContain("POST /v1/organisations/org-1/purchase-orders");
    expect(worker.log).toContain("POST /v1/organisations/org-1/purchase-orders/preview");
    expect(wb.active).toBe("Purchase Orders");
    const t = wb.table("VcxPurchaseOrders")!;
    expect(t[0]).toEqual([
      "PO",
      "Line",
      "ASIN",
      "SKU",
      "Item",
      "Ordered",
      "Accepted",
      "Received",
      "Invoiced Before",
      "Invoicing Now",
      "Unit Cost",
      "Status",
      "Invoice Number",
      "Exception",
    ]);
    expect(t.slice(1).map((r) => [r[0], r[1], r[4], r[5], r[11]])).toEqual([
      ["TestOrder202", 1, "TV-55", 100, "awaiting receipt"],
      ["TestOrder202", 2, "COFFEE-LB", 1000, "awaiting receipt"],
    ]);
    // SKUs that look like numbers stay text.
    expect(t[1]?.[3]).toBe("8806098286500");
    expect(ctl.poPostBlocked).toBe("The preview plans no invoices to post.");

    const status = example("vendorOrders.getPurchaseOrdersStatus.200.json");
    await ctl.importPurchaseOrders("status.json", bytes(status));
    expect(ctl.state.po?.invoices).toBeGreaterThan(0);
    const rows = wb.table("VcxPurchaseOrders")!.slice(1);
    const tv43 = rows.find((r) => r[4] === "TV-43");
    expect(tv43?.slice(0, 1)).toEqual(["2JK3S9VB"]);
    expect(tv43?.[9]).toBe(10);
    expect(tv43?.[10]).toBe(229.47);
    expect(tv43?.[12]).toBe("2JK3S9VB-1");

    await ctl.importPurchaseOrders("status.json", bytes(status));
    expect(ctl.state.message?.text).toMatch(/already imported/);

    const job = await ctl.postPurchaseOrders();
    expect(job?.state).toBe("done");
    expect(worker.log).toContain("POST /v1/organisations/org-1/purchase-orders/post");
    const log = wb.table("VcxPostingLog")!;
    expect(log.slice(1).map((r) => [r[2], r[5], r[6]])).toEqual(
      Array.from({ length: job?.total ?? 0 }, () => [
        `Purchase orders (${ctl.state.po?.previewedAt})`,
        "Invoice",
        "posted",
      ]),
    );
    expect(ctl.poPostBlocked).toBe("The preview plans no invoices to post.");
    expect(wb.stats.formulas).toEqual([]);
  });

  it("a file with no purchase orders shows the Worker's reason", async () => {
    const { ctl } = setup();
    await ctl.connect();
    await ctl.importPurchaseOrders("notes.txt", bytes("hello"));
    expect(ctl.state.message?.kind).toBe("error");
    expect(ctl.state.po).toBeUndefined();
  });
});

describe("Month-end report and health", () => {
  it("fills the sheet, flags the ledger difference and charts deductions by kind", async () => {
    const { wb, ctl } = await imported();
    await ctl.monthEnd("2026-13");
    expect(ctl.state.message?.text).toBe("Enter the month as YYYY-MM, e.g. 2026-10.");
    expect(worker.log.some((l) => l.includes("/reports/month/2026-13"))).toBe(false);

    await ctl.monthEnd("2026-02");
    expect(worker.log).toContain("GET /v1/organisations/org-1/reports/month/2026-02");
    expect(wb.active).toBe("Month-end report");
    const t = wb.table("VcxMonthEnd")!;
    expect(t[0]).toEqual([
      "Section",
      "Figure",
      "Account",
      "Currency",
      "VCX",
      "Ledger",
      "Difference",
      "Status",
    ]);
    const ties = t.filter((r) => r[0] === "Ledger tie");
    expect(ties.length).toBeGreaterThan(3);
    const bad = ties.filter((r) => r[7] === "difference");
    expect(bad).toHaveLength(1);
    expect(String(bad[0]?.[2])).toMatch(/^6130/);
    expect(bad[0]?.[6]).toBe(10);
    const i = t.indexOf(bad[0]!);
    const sheet = wb.sheets.get("Month-end report")!;
    expect(sheet.marks.map((m) => m.address)).toEqual([`G${i + 1}`, `H${i + 1}`]);
    expect(sheet.marks[0]?.note).toMatch(/6130|VCX/);
    expect(t.some((r) => r[0] === "Flag" && /6130/.test(String(r[1])))).toBe(true);
    const byKind = wb.table("VcxMonthEndByKind")!;
    expect(byKind[0]).toEqual(["Kind", "Amount"]);
    expect(byKind.length).toBeGreaterThan(1);
    expect(sheet.charts).toEqual([
      expect.objectContaining({ table: "VcxMonthEndByKind", title: "Deductions by kind 2026-02" }),
    ]);
    expect(ctl.state.monthEnd?.differences).toBe(1);
    expect(ctl.state.message?.kind).toBe("error");

    // The ledger agrees: nothing marked, the report says so; the chart is replaced, not duplicated.
    worker.ledgerSkew.minor = 0;
    await ctl.monthEnd("2026-02");
    worker.ledgerSkew.minor = 1000;
    expect(sheet.marks).toEqual([]);
    expect(sheet.charts).toHaveLength(1);
    expect(ctl.state.monthEnd?.differences).toBe(0);
    expect(wb.stats.formulas).toEqual([]);
  });

  it("shows connection, exceptions, alerts and API budget after connecting", async () => {
    const { ctl } = setup();
    await ctl.connect();
    expect(worker.log).toContain("GET /v1/organisations/org-1/health");
    const facts = Object.fromEntries(ctl.state.health?.facts ?? []);
    expect(facts["Xero connection"]).toBe("Active");
    expect(facts["Open alerts"]).toBe("1 (1 warning)");
    expect(facts["API budget"]).toBe("4990 of 5000 left today (100%)");
    await ctl.refreshHealth();
    expect(ctl.state.message).toBeUndefined();
  });
});

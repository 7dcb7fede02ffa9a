/** Pure logic behind posting controls, the Purchase Orders sheet, the month-end sheet and the health section. */
import { describe, expect, it } from "vitest";
import { type HealthJson, healthFacts } from "../../../addin/src/model/health";
import {
  isPeriod,
  type MonthEndJson,
  monthEndSheet,
  previousPeriod,
} from "../../../addin/src/model/month-end";
import { jobControls, logRows } from "../../../addin/src/model/posting";
import { poRows } from "../../../addin/src/model/purchase-orders";
import {
  initialState,
  poPostBlockedReason,
  postBlockedReason,
  undoBlockedReason,
} from "../../../addin/src/model/state";
import { monthEndReport, monthEndToJson } from "../../../worker/domain/monitoring/month-end";
import { planSettlement } from "../../../worker/domain/plan/planner";
import { planPoInvoices } from "../../../worker/domain/po/plan";
import { exampleFile, poMappings, poOrg, readAll } from "../../core/po/builders";
import { demoMappings, demoOrg, fixtureBytes, ingestFixture } from "../support/fixtures";

describe("job controls and gates", () => {
  it("offers pause/cancel while active, resume/cancel while paused, nothing once finished", () => {
    expect(jobControls("running")).toEqual({ pause: true, resume: false, cancel: true });
    expect(jobControls("waiting")).toEqual({ pause: true, resume: false, cancel: true });
    expect(jobControls("paused")).toEqual({ pause: false, resume: true, cancel: true });
    for (const s of ["done", "failed", "cancelled", undefined] as const)
      expect(jobControls(s)).toEqual({ pause: false, resume: false, cancel: false });
  });

  it("undo needs posted documents and no running job; a finished undo does not block posting", () => {
    const s = initialState();
    s.session = { token: "t", expiresAt: "", user: { id: "u", email: null, name: null } };
    s.orgId = "o";
    expect(undoBlockedReason(s)).toBe("Import a remittance first.");
    s.remittanceId = "r";
    expect(undoBlockedReason(s)).toBe("Nothing of this remittance is posted.");
    s.undoable = true;
    s.job = { id: "j", fraction: 0.5, label: "1 of 2 posted (running)", finished: false, state: "running" };
    expect(undoBlockedReason(s)).toMatch(/cancel it/);
    s.job = {
      id: "j",
      fraction: 1,
      label: "2 of 2 posted (done)",
      finished: true,
      state: "done",
      kind: "post",
    };
    expect(undoBlockedReason(s)).toBeUndefined();
    s.review = { rows: [], keys: [], totals: [], totalsRows: [], byKindRows: [], blocking: 0, warnings: 0 };
    expect(postBlockedReason(s)).toMatch(/has been posted/);
    s.job = { ...s.job, id: "j:undo", label: "2 of 2 reversed (done)", kind: "undo" };
    expect(postBlockedReason(s)).toBeUndefined();
  });

  it("PO post needs a preview with invoices to post", () => {
    const s = initialState();
    s.session = { token: "t", expiresAt: "", user: { id: "u", email: null, name: null } };
    s.orgId = "o";
    expect(poPostBlockedReason(s)).toMatch(/preview purchase orders/);
    s.po = { previewedAt: "x", orders: 1, lines: 2, invoices: 0, blocking: 0, warnings: 0 };
    expect(poPostBlockedReason(s)).toMatch(/no invoices/);
    s.po.invoices = 1;
    expect(poPostBlockedReason(s)).toBeUndefined();
  });

  it("logs reversed documents of an undo job", () => {
    const rows = logRows(
      {
        id: "j:undo",
        kind: "undo",
        state: "done",
        total: 1,
        posted: 0,
        failed: 0,
        held: 0,
        reversed: 1,
        documents: [{ key: "k", type: "Invoice", state: "reversed", xeroId: "x1" }],
      },
      "me",
      new Date("2026-02-11T00:00:00Z"),
      "r.csv",
    );
    expect(rows).toEqual([
      ["2026-02-11T00:00:00.000Z", "me", "r.csv", "j:undo", "k", "Invoice", "reversed", "x1", "", ""],
    ]);
  });
});

describe("Purchase Orders rows", () => {
  const plan = planPoInvoices(
    readAll(exampleFile("vendorOrders.getPurchaseOrdersStatus.200.json")),
    poMappings(),
    poOrg(),
  );

  it("one row per PO line with eaches, unit cost and the invoice it is planned on", () => {
    const s = poRows(plan);
    expect(s.rows).toHaveLength(plan.lines.length);
    expect(s.invoices).toBe(1);
    const tv43 = s.rows.find((r) => r[4] === "TV-43");
    expect(tv43).toEqual([
      "2JK3S9VB",
      2,
      "B07DFYF5AB",
      expect.any(String),
      "TV-43",
      expect.any(Number),
      expect.anything(),
      10,
      0,
      10,
      229.47,
      "invoiced",
      "2JK3S9VB-1",
      "",
    ]);
  });

  it("exceptions land on their line, and a PO without lines still gets a row", () => {
    const withEx = {
      ...plan,
      exceptions: [
        {
          code: "sku_unmapped",
          severity: "blocking",
          purchaseOrderNumber: "2JK3S9VB",
          sequence: 2,
          reason: "No SKU",
          fix: "Map it",
        },
        {
          code: "unknown_vendor",
          severity: "warning",
          purchaseOrderNumber: "ZZZ",
          reason: "Vendor?",
          fix: "Add it",
        },
      ],
    } as unknown as typeof plan;
    const s = poRows(withEx);
    expect(s.rows.find((r) => r[1] === 2)?.[13]).toBe("BLOCKING sku_unmapped: No SKU");
    expect(s.rows.at(-1)?.[0]).toBe("ZZZ");
    expect(s.rows.at(-1)?.[13]).toBe("unknown_vendor: Vendor?");
    expect([s.blocking, s.warnings]).toEqual([1, 1]);
  });
});

describe("Month-end sheet", () => {
  const r = ingestFixture({
    kind: "bytes",
    fileName: "us-40311877.csv",
    bytes: fixtureBytes("remittances/us-40311877.csv"),
  });
  const input = {
    period: "2026-02",
    organisation: { name: "Demo", baseCurrency: "USD" },
    mappings: demoMappings(),
    settlements: [{ remittance: r, plan: planSettlement(r, demoMappings(), demoOrg()) }],
    org: demoOrg(),
  };
  const movements = monthEndReport(input).accountMovements;

  it("ties figures to the ledger and marks the Difference and Status cells of a difference", () => {
    const json: MonthEndJson = monthEndToJson(
      monthEndReport({ ...input, ledgerMovements: { ...movements, "6120": (movements["6120"] ?? 0) - 250 } }),
    );
    const s = monthEndSheet(json);
    expect(s.differences).toBe(1);
    const i = s.rows.findIndex((row) => row[7] === "difference");
    expect(String(s.rows[i]?.[2])).toMatch(/^6120/);
    expect(s.rows[i]?.[6]).toBe(-2.5);
    expect(s.marks.map((m) => m.address)).toEqual([`G${i + 2}`, `H${i + 2}`]);
    expect(s.flags.some((f) => /6120/.test(f))).toBe(true);
    expect(s.rows.filter((row) => row[0] === "Flag")).toHaveLength(s.flags.length);
    // Deductions by kind: positive amounts, one row per kind.
    expect(s.byKindRows.length).toBe(new Set(json.deductions.map((d) => d.kind)).size);
    expect(s.byKindRows.every((row) => typeof row[1] === "number")).toBe(true);
  });

  it("nothing marked when everything ties", () => {
    const s = monthEndSheet(monthEndToJson(monthEndReport({ ...input, ledgerMovements: movements })));
    expect(s.marks).toEqual([]);
    const ties = s.rows.filter((row) => row[0] === "Ledger tie");
    expect(ties.some((row) => row[7] === "ok")).toBe(true);
    expect(ties.some((row) => row[7] === "difference")).toBe(false);
  });

  it("periods", () => {
    expect(isPeriod("2026-10")).toBe(true);
    expect(isPeriod("2026-13")).toBe(false);
    expect(isPeriod("26-10")).toBe(false);
    expect(previousPeriod(new Date("2026-01-15T00:00:00Z"))).toBe("2025-12");
    expect(previousPeriod(new Date("2026-03-31T23:00:00Z"))).toBe("2026-02");
  });
});

describe("health facts", () => {
  const base: HealthJson = {
    organisationId: "o",
    state: "action_needed",
    connection: { status: "needs_reconsent" },
    apiBudget: { remaining: 200, limit: 5000, day: "2026-02-11", percentLeft: 4 },
    jobs: { running: 1, queued: 0, failed: 2 },
    exceptions: { total: 5, byKind: {}, byAge: { "0-30": 2, "31-60": 1, "61-90": 1, "91+": 1 } },
    alerts: { total: 3, bySeverity: { critical: 2, warning: 1, info: 0 }, list: [] },
    lastImportAt: "2026-02-10T08:15:00Z",
  };

  it("says plainly what needs doing", () => {
    expect(healthFacts(base)).toEqual({
      state: "action_needed",
      facts: [
        ["Health", "Action needed"],
        ["Xero connection", "needs reconsent"],
        ["Open exceptions", "5 (2 older than 60 days)"],
        ["Open alerts", "3 (2 critical, 1 warning)"],
        ["API budget", "200 of 5000 left today (4%)"],
        ["Jobs", "1 running, 0 queued, 2 failed"],
        ["Last import", "2026-02-10 08:15"],
      ],
    });
  });
});

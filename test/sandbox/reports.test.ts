import { beforeEach, describe, expect, it } from "vitest";
import { call, newOrg, setClock, xero } from "./helpers";

// biome-ignore lint/suspicious/noExplicitAny: raw Xero report JSON
type Row = any;

const journal = (date: string, lines: [string, number][]) => ({
  ManualJournals: [
    {
      Narration: "report test",
      Date: date,
      Status: "POSTED",
      JournalLines: lines.map(([AccountCode, LineAmount]) => ({ AccountCode, LineAmount, Description: "x" })),
    },
  ],
});

/** code → [Debit, Credit, YTD Debit, YTD Credit] from the report rows. */
function byCode(report: Row): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const section of report.Rows.filter((r: Row) => r.RowType === "Section"))
    for (const row of section.Rows.filter((r: Row) => r.RowType === "Row")) {
      const code = /\(([^)]+)\)$/.exec(row.Cells[0].Value)?.[1] ?? "";
      out[code] = row.Cells.slice(1).map((c: Row) => c.Value);
    }
  return out;
}

describe("GET /Reports/TrialBalance", () => {
  beforeEach(() => setClock("2026-03-20T12:00:00Z"));

  it("gives the month's movement and the year-to-date balance per account, tied to the ledger", async () => {
    const org = await newOrg();
    const x = xero(org);
    expect(
      (
        await x.put(
          "/ManualJournals",
          journal("2026-02-10", [
            ["6160", 200],
            ["1210", -200],
          ]),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await x.put(
          "/ManualJournals",
          journal("2026-03-05", [
            ["6160", 50.25],
            ["1210", -50.25],
          ]),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await x.put(
          "/ManualJournals",
          journal("2026-03-25", [
            ["6160", 7],
            ["1210", -7],
          ]),
        )
      ).status,
    ).toBe(200);

    const r = await x.get("/Reports/TrialBalance?date=2026-03-31");
    expect(r.status).toBe(200);
    const report = r.body.Reports[0];
    expect(report).toMatchObject({
      ReportID: "TrialBalance",
      ReportName: "Trial Balance",
      ReportType: "TrialBalance",
      ReportDate: "31 March 2026",
    });
    expect(report.Rows[0]).toEqual({
      RowType: "Header",
      Cells: [
        { Value: "Account" },
        { Value: "Debit" },
        { Value: "Credit" },
        { Value: "YTD Debit" },
        { Value: "YTD Credit" },
      ],
    });
    const rows = byCode(report);
    expect(rows["6160"]).toEqual(["57.25", "", "257.25", ""]);
    expect(rows["1210"]).toEqual(["", "57.25", "", "257.25"]);
    const expense = report.Rows.find((s: Row) => s.Title === "Expenses").Rows[0];
    expect(expense.Cells[0].Attributes[0].Id).toBe("account");

    // As at mid-March: only the first March journal counts for the month.
    const mid = byCode((await x.get("/Reports/TrialBalance?date=2026-03-10")).body.Reports[0]);
    expect(mid["6160"]).toEqual(["50.25", "", "250.25", ""]);

    // The same balances as the sandbox's own trial-balance inspection endpoint.
    const tb = (await call(`/sandbox/tenants/${org.tenantId}/trial-balance?asAt=2026-03-31`)).body;
    const clearing = tb.Accounts.find((a: Row) => a.Code === "1210");
    expect(String(clearing.Balance)).toBe("-257.25");

    expect((await x.get("/Reports/TrialBalance?date=31-03-2026")).status).toBe(400);
    expect((await x.get("/Reports/TrialBalance?date=2026-03-31&paymentsOnly=true")).status).toBe(400);
  });
});

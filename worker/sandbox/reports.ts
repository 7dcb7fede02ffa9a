/**
 * GET /Reports/TrialBalance?date=YYYY-MM-DD[&paymentsOnly=false], in Xero's report shape: a Header row
 * (Account, Debit, Credit, YTD Debit, YTD Credit) and one Section per account class (Revenue, Expenses,
 * Assets, Liabilities, Equity) of Row entries whose cells carry the AccountID as the `account` attribute.
 * Debit/Credit are the net movement of the month that `date` falls in, up to `date`; YTD Debit/Credit are
 * the balance at `date` — from the start of the financial year for revenue and expense accounts (the
 * sandbox's organisations use a 31 December year end), all time for balance-sheet accounts. Accounts with
 * neither are omitted; a Total summary row closes the report. Amounts derive from the same ledger as the
 * /sandbox trial-balance inspection endpoint. `paymentsOnly=true` (cash basis) is not modelled: 400.
 */
import { resourceRouter } from "./api-app";
import { envelope } from "./api-context";
import { DAY_MS, msDate, parseDate } from "./dates";
import { jsonResponse } from "./json";
import { ledgerEntries } from "./ledger";
import { moneyText } from "./money";
import { problem } from "./problems";
import type { Account } from "./records";

const SECTIONS: [string, string][] = [
  ["REVENUE", "Revenue"],
  ["EXPENSE", "Expenses"],
  ["ASSET", "Assets"],
  ["LIABILITY", "Liabilities"],
  ["EQUITY", "Equity"],
];

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const longDate = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};

export const reportsRoutes = resourceRouter();

reportsRoutes.get("/Reports/TrialBalance", (c) => {
  const ctx = c.get("api");
  const dateParam = ctx.query.get("date");
  const date = dateParam ? parseDate(dateParam) : Math.floor(ctx.now / DAY_MS) * DAY_MS;
  if (date === null) return problem(400, "Validation", "date must be YYYY-MM-DD");
  if (ctx.query.get("paymentsOnly") === "true")
    return problem(400, "Validation", "paymentsOnly=true is not supported by the sandbox");
  const d = new Date(date);
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const sums = (asAt: number) => {
    const m = new Map<string, number>();
    for (const e of ledgerEntries(ctx.repo, ctx.tenantId, asAt))
      m.set(e.accountId, (m.get(e.accountId) ?? 0) + e.cents);
    return m;
  };
  const atDate = sums(date);
  const beforeMonth = sums(monthStart - DAY_MS);
  const beforeYear = sums(yearStart - DAY_MS);
  const accounts = ctx.repo.list<Account>(ctx.tenantId, "account");
  const split = (cents: number) => (cents >= 0 ? [cents, 0] : [0, -cents]) as [number, number];
  const totals = [0, 0, 0, 0];
  const rows: unknown[] = [
    {
      RowType: "Header",
      Cells: ["Account", "Debit", "Credit", "YTD Debit", "YTD Credit"].map((Value) => ({ Value })),
    },
  ];
  for (const [cls, title] of SECTIONS) {
    const sectionRows: unknown[] = [];
    for (const a of accounts.filter((x) => x.Class === cls).sort((x, y) => x.Code.localeCompare(y.Code))) {
      const month = (atDate.get(a.AccountID) ?? 0) - (beforeMonth.get(a.AccountID) ?? 0);
      const pl = cls === "REVENUE" || cls === "EXPENSE";
      const ytd = (atDate.get(a.AccountID) ?? 0) - (pl ? (beforeYear.get(a.AccountID) ?? 0) : 0);
      if (month === 0 && ytd === 0) continue;
      const [md, mc] = split(month);
      const [yd, yc] = split(ytd);
      totals[0] = (totals[0] ?? 0) + md;
      totals[1] = (totals[1] ?? 0) + mc;
      totals[2] = (totals[2] ?? 0) + yd;
      totals[3] = (totals[3] ?? 0) + yc;
      const attributes = [{ Value: a.AccountID, Id: "account" }];
      const cell = (cents: number) => ({
        Value: cents === 0 ? "" : moneyText(cents),
        Attributes: attributes,
      });
      sectionRows.push({
        RowType: "Row",
        Cells: [
          { Value: `${a.Name} (${a.Code})`, Attributes: attributes },
          cell(md),
          cell(mc),
          cell(yd),
          cell(yc),
        ],
      });
    }
    rows.push({ RowType: "Section", Title: title, Rows: sectionRows });
  }
  rows.push({
    RowType: "Section",
    Title: "",
    Rows: [
      {
        RowType: "SummaryRow",
        Cells: [{ Value: "Total" }, ...totals.map((t) => ({ Value: moneyText(t) }))],
      },
    ],
  });
  const report = {
    ReportID: "TrialBalance",
    ReportName: "Trial Balance",
    ReportType: "TrialBalance",
    ReportTitles: ["Trial Balance", ctx.org.name, `As at ${longDate(date)}`],
    ReportDate: longDate(date),
    UpdatedDateUTC: msDate(ctx.now),
    Fields: [],
    Rows: rows,
  };
  return jsonResponse(envelope(ctx, "Reports", [report]));
});

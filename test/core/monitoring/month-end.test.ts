/** The month-end control report, on the worked example of accounting-model.md and on later months. */
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import {
  ageBucket,
  monthEndReport,
  monthEndToCsv,
  monthEndToJson,
  periodBounds,
} from "../../../worker/domain/monitoring/month-end";
import { planSettlement } from "../../../worker/domain/plan/planner";
import { demoMappings, demoOrg, line, payment, remittance } from "../plan/builders";
import { EXPECTED_MOVEMENTS, fixtureSettlement } from "./fixtures";

const fx = fixtureSettlement();
const base = {
  period: "2026-02",
  organisation: { name: "VCX Demo Company (US)", baseCurrency: "USD" },
  mappings: fx.mappings,
  org: fx.org,
};

describe("on the fixture data (us-40311877.csv + demo-mappings.xlsx + demo-org.json)", () => {
  const report = monthEndReport({ ...base, settlements: [{ remittance: fx.remittance, plan: fx.plan }] });

  it("derives the trial balance movements of accounting-model.md to the cent", () => {
    for (const [code, cents] of Object.entries(EXPECTED_MOVEMENTS))
      expect([code, report.accountMovements[code] ?? 0]).toEqual([code, cents]);
    expect(report.clearing).toEqual({ accountCode: "1210", movement: 0, zero: true });
    // Bank gets the deposit; receivables fall by the two invoices settled (10,000 + 4,700 + 300 credited).
    expect(report.accountMovements["090"]).toBe(1277000);
    expect(report.accountMovements["610"]).toBe(-1500000);
  });

  it("ties every figure to the ledger when the ledger agrees, and flags nothing", () => {
    const ledgerMovements = { ...EXPECTED_MOVEMENTS, "090": 1277000, "610": -1500000 };
    const tied = monthEndReport({
      ...base,
      settlements: [{ remittance: fx.remittance, plan: fx.plan }],
      ledgerMovements,
      ledgerBalances: { "1220": 50000, "1210": 0 },
    });
    expect(tied.ties.map((t) => [t.accountCode, t.status, t.difference])).toEqual([
      ["090", "ok", 0],
      ["1210", "ok", 0],
      ["1220", "ok", 0],
      ["610", "ok", 0],
      ["6110", "ok", 0],
      ["6120", "ok", 0],
      ["6130", "ok", 0],
      ["6140", "ok", 0],
      ["6160", "ok", 0],
      ["1220", "ok", 0],
    ]);
    expect(tied.flags).toEqual([]);
  });

  it("flags a ledger figure that differs, with the difference", () => {
    const off = monthEndReport({
      ...base,
      settlements: [{ remittance: fx.remittance, plan: fx.plan }],
      ledgerMovements: { ...EXPECTED_MOVEMENTS, "6130": 29999, "1210": 1 },
    });
    expect(off.ties.find((t) => t.accountCode === "6130")).toMatchObject({
      vcx: 30000,
      ledger: 29999,
      difference: -1,
      status: "difference",
    });
    expect(off.flags).toContain(
      "Account 6130 Amazon Shortage Claims: VCX posted 300.00 in 2026-02 but the ledger shows 299.99 (difference -0.01)",
    );
    expect(off.flags.some((f) => f.startsWith("Account 1210"))).toBe(true);
  });

  it("lists deductions by kind and account, credit notes, provisions, receivables and remittances", () => {
    expect(report.deductions.map((d) => [d.kind, d.accountCode, d.net])).toEqual([
      ["chargeback", "6120", 15000],
      ["coop", "6110", 100000],
      ["price_claim", "6140", 8000],
      ["provision", "1220", 50000],
      ["shortage_claim", "6130", 30000],
      ["terms_discount", "6160", 20000],
    ]);
    expect(report.creditNotes.map((c) => [c.accountCodes, c.amount, c.settledBy])).toEqual([
      [["6130"], 30000, "allocation"],
      [["6140"], 8000, "refund"],
    ]);
    expect(report.provisions).toEqual([
      {
        currency: "USD",
        outstanding: 50000,
        list: [
          {
            documentNumber: "260201_PROVISION_FOR_RECEIVABLES",
            paymentNumber: "40311877",
            paymentDate: "2026-02-10",
            currency: "USD",
            outstanding: 50000,
            ageDays: 18,
          },
        ],
      },
    ]);
    // INV-A and INV-B are settled by the plan, INV-C was already paid: nothing open.
    expect(report.receivables.total).toBe(0);
    expect(report.remittances).toMatchObject({
      received: 1,
      posted: 0,
      totalsByCurrency: { USD: 1277000 },
      list: [{ paymentNumber: "40311877", status: "not_posted", documents: 8, posted: 0 }],
    });
    expect(report.basis).toBe("planned");
    expect(report.exceptions.total).toBe(0);
  });

  it("counts only posted documents on the posted basis, and says which remittances are not fully posted", () => {
    const keys = fx.plan.documents.map((d) => d.key);
    const partly = monthEndReport({
      ...base,
      settlements: [{ remittance: fx.remittance, plan: fx.plan, postedKeys: keys.slice(0, 4) }],
    });
    expect(partly.basis).toBe("posted");
    expect(partly.remittances.list[0]).toMatchObject({ status: "partly_posted", posted: 4 });
    expect(partly.accountMovements["6160"]).toBeUndefined(); // the journal is not posted yet
    expect(partly.flags).toContain("1 remittance(s) of 2026-02 not fully posted: 40311877");
    const all = monthEndReport({
      ...base,
      settlements: [{ remittance: fx.remittance, plan: fx.plan, postedKeys: keys }],
    });
    expect(all.remittances.posted).toBe(1);
    expect(all.accountMovements).toEqual(report.accountMovements);
  });

  it("leaves out another month", () => {
    const march = monthEndReport({
      ...base,
      period: "2026-03",
      settlements: [{ remittance: fx.remittance, plan: fx.plan }],
    });
    expect(march.remittances.received).toBe(0);
    expect(march.accountMovements).toEqual({});
    // The provision is still held at the end of March.
    expect(march.provisions[0]?.outstanding).toBe(50000);
    // INV-A and INV-B open in the snapshot, not settled by a March document: open receivables by age.
    expect(march.receivables.list.map((r) => [r.invoiceNumber, r.amountDue, r.bucket])).toEqual([
      ["INV-A", 1000000, "61-90"],
      ["INV-B", 500000, "61-90"],
    ]);
  });

  it("renders JSON with decimal strings and CSV that reads back", () => {
    const json = monthEndToJson(report);
    expect(json.clearing.movement).toBe("0.00");
    expect(json.accountMovements["6110"]).toBe("1000.00");
    expect(json.deductions[0]).toMatchObject({ kind: "chargeback", net: "150.00" });
    const csv = monthEndToCsv(report);
    const rows = Papa.parse<Record<string, string>>(csv, { header: true }).data;
    expect(Object.keys(rows[0] ?? {})).toEqual([
      "Section",
      "Item",
      "Account",
      "Kind",
      "Date",
      "Currency",
      "Amount",
      "Ledger",
      "Difference",
      "Status",
      "Detail",
    ]);
    const tie = rows.filter((r) => r.Section === "Ledger tie").map((r) => [r.Account, r.Amount]);
    expect(tie).toContainEqual(["6130", "300.00"]);
    expect(tie).toContainEqual(["610", "-15000.00"]); // a negative number stays a number
    expect(rows.find((r) => r.Section === "Clearing")).toMatchObject({ Amount: "0.00", Status: "ok" });
  });
});

describe("later months: reversals netted, held lines, exceptions", () => {
  const mappings = demoMappings();
  const org = demoOrg();
  const feb = remittance(
    payment("P1", "2026-02-10", [
      line({ doc: "INV-B", kind: "invoice_payment", amount: 470000 }),
      line({ doc: "INV-BSC", kind: "shortage_claim", amount: -30000, original: "INV-B" }),
      line({ doc: "260201_PROVISION_FOR_RECEIVABLES", kind: "provision", amount: -50000 }),
    ]),
  );
  const febPlan = planSettlement(feb, mappings, org);
  const orgAfterFeb = demoOrg({ invoices: [] });
  const mar = remittance(
    payment("P2", "2026-03-12", [
      line({ doc: "INV-BSCR", kind: "shortage_claim_reversal", amount: 10000, original: "INV-BSC" }),
      line({ doc: "260201_PROVISION_FOR_RECEIVABLESR", kind: "provision_reversal", amount: 50000 }),
      line({ doc: "777VCBSINV", kind: "chargeback", amount: -2500 }),
      line({ doc: "INV-ZSC", kind: "shortage_claim", amount: -4000, original: "INV-Z" }),
    ]),
  );
  const marPlan = planSettlement(mar, mappings, orgAfterFeb);
  const settlements = [
    { remittance: feb, plan: febPlan },
    { remittance: mar, plan: marPlan },
  ];
  const report = monthEndReport({
    period: "2026-03",
    organisation: { baseCurrency: "USD" },
    mappings,
    settlements,
  });

  it("nets a shortage reversal into shortage claims and releases the provision", () => {
    expect(
      report.deductions.map((d) => [d.kind, d.accountCode, d.charged, d.reversed, d.net, d.held]),
    ).toEqual([
      ["chargeback", "6120", 2500, 0, 2500, 0],
      ["provision", "1220", 0, 50000, -50000, 0],
      ["shortage_claim", "1290", 4000, 0, 4000, 4000],
      ["shortage_claim", "6130", 0, 10000, -10000, 0],
    ]);
    expect(report.accountMovements["6130"]).toBe(-10000);
    expect(report.accountMovements["1220"]).toBe(-50000);
    expect(report.provisions).toEqual([]);
    expect(report.clearing.zero).toBe(true);
  });

  it("lists open exceptions by code and age", () => {
    expect(report.exceptions.byCode).toEqual({ invoice_not_found: 1 });
    expect(report.exceptions.list[0]).toMatchObject({
      code: "invoice_not_found",
      documentNumber: "INV-ZSC",
      ageDays: 19,
      bucket: "0-30",
    });
    expect(report.flags).toContain("1 blocking exception(s) or critical alert(s) open");
  });

  it("keeps a provision outstanding at the end of the month before its reversal", () => {
    const febReport = monthEndReport({
      period: "2026-02",
      organisation: { baseCurrency: "USD" },
      mappings,
      settlements,
    });
    expect(febReport.provisions[0]?.outstanding).toBe(50000);
  });
});

describe("helpers", () => {
  it("bounds periods, leap years included", () => {
    expect(periodBounds("2028-02")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(periodBounds("2026-02")).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(periodBounds("2026-12")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(() => periodBounds("2026-13")).toThrow("YYYY-MM");
  });
  it("buckets ages", () => {
    expect([0, 30, 31, 60, 61, 90, 91].map(ageBucket)).toEqual([
      "0-30",
      "0-30",
      "31-60",
      "31-60",
      "61-90",
      "61-90",
      "91+",
    ]);
  });
});

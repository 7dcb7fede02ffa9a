import { describe, expect, it } from "vitest";
import { buildReview } from "../../../addin/src/model/review";
import { REVIEW_SHEET } from "../../../addin/src/model/sheets";
import { workedExample } from "../support/fixtures";

const col = (h: string) => REVIEW_SHEET.columns.findIndex((c) => c.header === h);

describe("buildReview (worked example us-40311877 planned by the real core)", () => {
  const { remittance, plan } = workedExample();
  const review = buildReview(remittance, plan);

  it("one row per remittance line with kind, amount, treatment, account, matched and planned documents", () => {
    expect(review.rows).toHaveLength(remittance.payments.flatMap((p) => p.lines).length);
    const byDoc = Object.fromEntries(review.rows.map((r) => [r[col("Document Number")], r]));
    const shortage = byDoc["INV-BSC"]!;
    expect(shortage[col("Kind")]).toBe("shortage_claim");
    expect(shortage[col("Amount")]).toBe(-300);
    expect(shortage[col("Treatment")]).toBe("credit_note");
    expect(shortage[col("Account")]).toBe("6130");
    expect(shortage[col("Matched Document")]).toBe("INV-B · 0a1b2c3d-0000-4000-8000-00000000000b");
    expect(shortage[col("Planned Document")]).toBe("CreditNote, Allocation");
    expect(shortage[col("Status")]).toBe("planned");
    const invA = byDoc["INV-A"]!;
    expect(invA[col("Matched Document")]).toBe("INV-A · 0a1b2c3d-0000-4000-8000-00000000000a");
    expect(invA[col("Amount")]).toBe(9800);
    expect(byDoc["123VCBSINV"]![col("Treatment")]).toBe("journal");
  });

  it("keys per row follow the plan so posting results can be stamped back", () => {
    const i = review.rows.findIndex((r) => r[col("Document Number")] === "INV-BSC");
    expect(review.keys[i]).toEqual(["vcx1:ACME1:40311877:cn:INV-BSC", "vcx1:ACME1:40311877:alloc:INV-BSC"]);
  });

  it("control totals: gross, deductions by kind, net, bank deposit, difference 0", () => {
    const [t] = review.totals;
    expect(t).toMatchObject({
      paymentNumber: "40311877",
      currency: "USD",
      gross: 1_500_000,
      net: 1_277_000,
      difference: 0,
    });
    expect(t?.bankDeposit).toBe(1_277_000);
    const sum = Object.values(t?.deductionsByKind ?? {}).reduce((a, b) => a + b, 0);
    expect(t!.gross + sum).toBe(t!.net);
    const measures = review.totalsRows.map((r) => [r[2], r[3]]);
    expect(measures).toContainEqual(["Gross", 15000]);
    expect(measures).toContainEqual(["Net", 12770]);
    expect(measures).toContainEqual(["Bank deposit", 12770]);
    expect(measures).toContainEqual(["Difference", 0]);
    expect(measures).toContainEqual(["Deductions: coop", -1000]);
  });

  it("deductions by kind are positive bars for what Amazon took", () => {
    const byKind = Object.fromEntries(review.byKindRows.map((r) => [r[0], r[1]]));
    expect(byKind).toMatchObject({ coop: 1000, chargeback: 150, shortage_claim: 300, provision: 500 });
  });

  it("without a plan: rows say 'not previewed', totals come from the remittance itself", () => {
    const r = buildReview(remittance);
    expect(r.rows.every((row) => row[col("Status")] === "not previewed")).toBe(true);
    expect(r.totals[0]?.net).toBe(1_277_000);
    expect(r.totals[0]?.difference).toBe(0);
    expect(r.blocking).toBe(0);
  });

  it("exceptions land on their line with severity, and count as blocking", () => {
    const row = remittance.payments[0]!.lines[4]!.row;
    const blocked = {
      ...plan,
      exceptions: [
        {
          code: "account_invalid" as const,
          severity: "blocking" as const,
          paymentNumber: "40311877",
          row,
          reason: "Account 6110 is archived",
          fix: "Map coop to an active account",
        },
      ],
    };
    const r = buildReview(remittance, blocked);
    const hit = r.rows.find((x) => x[col("Row")] === row)!;
    expect(hit[col("Exception")]).toBe("account_invalid: Account 6110 is archived");
    expect(hit[col("Severity")]).toBe("blocking");
    expect(r.blocking).toBe(1);
  });

  it("documents already posted show as posted", () => {
    const r = buildReview(remittance, { ...plan, alreadyPosted: ["vcx1:ACME1:40311877:pay:INV-B"] });
    const invB = r.rows.find((x) => x[col("Document Number")] === "INV-B")!;
    expect(invB[col("Status")]).toBe("posted");
  });
});

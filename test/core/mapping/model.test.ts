import { describe, expect, it } from "vitest";
import { compilePattern, matchDeduction } from "../../../worker/domain/mapping/match";
import {
  type DeductionRule,
  deductionRuleSchema,
  skuMappingSchema,
} from "../../../worker/domain/mapping/model";
import type { LineKind, RemittanceLine } from "../../../worker/domain/remittance/model";

const rule = (r: Partial<DeductionRule> & Pick<DeductionRule, "kind" | "accountCode">): DeductionRule =>
  deductionRuleSchema.parse({ treatment: "journal", ...r });

const line = (
  kind: LineKind,
  documentNumber: string,
  extra: Partial<RemittanceLine> = {},
): RemittanceLine => ({
  documentNumber,
  kind,
  evidence: { by: "none" },
  amount: -100,
  currency: "USD",
  termsDiscount: 0,
  withholding: 0,
  adjustments: [],
  source: { file: "t", row: 1 },
  ...extra,
});

describe("deduction rule matching", () => {
  const rules = [
    rule({ kind: "any", accountCode: "6190" }), // catch-all first in the sheet: still applies last
    rule({ kind: "chargeback", pattern: "*VCBSINV", accountCode: "6121" }),
    rule({ kind: "chargeback", accountCode: "6120" }),
    rule({ kind: "coop", matchOn: "description", pattern: "re:service\\s+agreement", accountCode: "6111" }),
    rule({ kind: "coop", accountCode: "6110" }),
    rule({ kind: "shortage_claim", accountCode: "6130", treatment: "credit_note" }),
    rule({ kind: "price_claim", vendorCode: "OTHER", accountCode: "6999" }),
  ];

  it("first matching row wins; the catch-all only when nothing else matches", () => {
    expect(matchDeduction(rules, line("chargeback", "123VCBSINV"), "ACME1")?.rule.accountCode).toBe("6121");
    expect(matchDeduction(rules, line("chargeback", "CB-1"), "ACME1")?.rule.accountCode).toBe("6120");
    const unmapped = matchDeduction(rules, line("price_protection", "IPAPUS1234567"), "ACME1");
    expect(unmapped).toMatchObject({ catchAll: true, rule: { accountCode: "6190" } });
  });

  it("matches on the description with a regex, case-insensitively", () => {
    const l = line("coop", "3210-1", { transactionDescription: "COOP SERVICE  agreement" });
    expect(matchDeduction(rules, l, "ACME1")?.rule.accountCode).toBe("6111");
  });

  it("scopes rows to a vendor code", () => {
    expect(matchDeduction(rules, line("price_claim", "X-PC"), "ACME1")?.catchAll).toBe(true);
    expect(matchDeduction(rules, line("price_claim", "X-PC"), "OTHER")?.rule.accountCode).toBe("6999");
  });

  it("a reversal without its own row uses the row of the kind it reverses", () => {
    const m = matchDeduction(
      rules,
      line("shortage_claim_reversal", "INV-BSCR", { originalDocumentNumber: "INV-BSC" }),
      "ACME1",
    );
    expect(m).toMatchObject({
      catchAll: false,
      viaReversedKind: "shortage_claim",
      rule: { accountCode: "6130" },
    });
  });

  it("wildcards match the whole value and escape regex characters", () => {
    expect(compilePattern("INV-?SC").test("INV-BSC")).toBe(true);
    expect(compilePattern("INV-?SC").test("INV-BSCR")).toBe(false);
    expect(compilePattern("3210.*").test("3210-1")).toBe(false);
    expect(compilePattern("3210.*").test("3210.x")).toBe(true);
  });
});

describe("schemas", () => {
  it("a rule needs a valid kind and treatment and at most two tracking categories", () => {
    expect(
      deductionRuleSchema.safeParse({ kind: "nope", accountCode: "1", treatment: "journal" }).success,
    ).toBe(false);
    expect(deductionRuleSchema.safeParse({ kind: "coop", accountCode: "1", treatment: "post" }).success).toBe(
      false,
    );
    const three = [1, 2, 3].map((i) => ({ name: `T${i}`, option: "x" }));
    expect(
      deductionRuleSchema.safeParse({ kind: "coop", accountCode: "1", treatment: "journal", tracking: three })
        .success,
    ).toBe(false);
  });

  it("a SKU row needs an ASIN or a vendor SKU; an ASIN is 10 characters; cost is exact 4 dp minor units", () => {
    const base = { itemCode: "W", unitsPerCase: 1, agreedCostPerEach: 123456, currency: "USD" };
    expect(skuMappingSchema.safeParse(base).success).toBe(false);
    expect(skuMappingSchema.safeParse({ ...base, asin: "B07" }).success).toBe(false);
    expect(skuMappingSchema.safeParse({ ...base, asin: "B07DFVDRAB" }).success).toBe(true);
    expect(skuMappingSchema.safeParse({ ...base, vendorSku: "S", agreedCostPerEach: 1.5 }).success).toBe(
      false,
    );
  });
});

import { describe, expect, it } from "vitest";
import { parseAmount } from "../../../worker/domain/remittance/amounts";

const ok = (cell: Parameters<typeof parseAmount>[0], currency = "USD") => {
  const r = parseAmount(cell, currency);
  if (!r.ok) throw new Error(`expected ${String(cell)} to parse: ${"reason" in r ? r.reason : "empty"}`);
  return r.minor;
};

describe("amounts as Vendor Central writes them", () => {
  it.each([
    ["12770.00", 1277000],
    ["$12,770.00", 1277000],
    ["-$300.00", -30000],
    ["$-300.00", -30000],
    ["(1,000.00)", -100000],
    ["(£25.00)", -2500],
    ["1,000.00-", -100000],
    ["USD 1,234.56", 123456],
    ["1.234,56 €", 123456],
    ["2.358,40 €", 235840],
    ["-61,60 €", -6160],
    ["12,5", 1250],
    ["1,234", 123400],
    ["1 234,56", 123456],
    ["1\u00a0234,56", 123456],
    ["1\u202f234.56", 123456],
    ["1'234.56", 123456],
    ["\u200b$1,234.56\u200b", 123456],
    ["₹1,17,560.00", 11756000],
    ["INR -1,240.00", -124000],
    ["MXN 1,000.00", 100000],
    ["R$ 1.000,00", 100000],
    ["AED 50", 5000],
    ["\u22125.00", -500],
    ["0", 0],
  ])("%s → %i minor units", (text, minor) => {
    expect(ok(text)).toBe(minor);
  });

  it("reads number cells as Excel shows them", () => {
    expect(ok(9800)).toBe(980000);
    expect(ok(1234.56)).toBe(123456);
    expect(ok(0.1 + 0.2)).toBe(30);
    expect(ok(-80)).toBe(-8000);
  });

  it("uses the currency's decimals", () => {
    expect(ok("1,500", "JPY")).toBe(1500);
    expect(ok("1.250", "KWD")).toBe(1250);
    expect(parseAmount("1.25", "JPY")).toMatchObject({ ok: false, reason: "has more than 0 decimals" });
  });

  it.each([
    ["N/A"],
    ["12.345"],
    ["1.234"],
    ["0.125"],
    ["0,125"],
    ["1,2,3"],
    ["$"],
    ["--5"],
    ["1.234.5"],
    ["=SUM(A1:A9)"],
    ["abc"],
    ["12e3"],
    ["1.234,5,6"],
  ])("refuses %s", (text) => {
    const r = parseAmount(text, "USD");
    expect(r.ok).toBe(false);
  });

  it("tells empty from bad", () => {
    expect(parseAmount("", "USD")).toEqual({ ok: false, empty: true });
    expect(parseAmount(null, "USD")).toEqual({ ok: false, empty: true });
    expect(parseAmount(true, "USD")).toMatchObject({ ok: false, empty: false });
    expect(parseAmount(Number.NaN, "USD")).toMatchObject({ ok: false, empty: false });
  });

  it("reports the currency a cell names", () => {
    expect(parseAmount("EUR 10.00", "USD")).toEqual({ ok: true, minor: 1000, currencyHint: "EUR" });
    expect(parseAmount("£10.00", "USD")).toEqual({ ok: true, minor: 1000, currencyHint: "GBP" });
  });
});

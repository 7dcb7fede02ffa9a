import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allocateMinor,
  currencyScale,
  decimalToMinor,
  formatMoneyHuman,
  MoneyError,
  minorToDecimal,
  sumMinor,
} from "../../worker/domain/money";

describe("money in minor units", () => {
  it("parses decimal strings exactly, refusing digits it cannot keep", () => {
    expect(decimalToMinor("12770.00", 2)).toBe(1277000);
    expect(decimalToMinor("-0.5", 2)).toBe(-50);
    expect(decimalToMinor("7", 2)).toBe(700);
    expect(decimalToMinor("1.230", 2)).toBe(123);
    expect(decimalToMinor("1.235", 2)).toBeUndefined();
    expect(decimalToMinor("1,00", 2)).toBeUndefined();
    expect(decimalToMinor("1234567890123456", 2)).toBeUndefined();
    expect(decimalToMinor("12.3456", 4)).toBe(123456);
    expect(decimalToMinor("-0.00", 2)).toBe(0);
  });

  it("knows currency exponents", () => {
    expect(currencyScale("USD")).toBe(2);
    expect(currencyScale("jpy")).toBe(0);
    expect(currencyScale("KWD")).toBe(3);
  });

  it("formats minor units", () => {
    expect(minorToDecimal(-5, 2)).toBe("-0.05");
    expect(minorToDecimal(1277000, 2)).toBe("12770.00");
    expect(minorToDecimal(42, 0)).toBe("42");
    expect(formatMoneyHuman(-123456789, "USD")).toBe("-1,234,567.89");
  });

  it("round-trips every safe amount through its decimal string", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(10 ** 14), max: 10 ** 14 }),
        fc.constantFrom(0, 2, 3, 4),
        (n, scale) => {
          expect(decimalToMinor(minorToDecimal(n, scale), scale)).toBe(n);
        },
      ),
    );
  });

  it("refuses sums that would leave the exact range", () => {
    expect(() => sumMinor([Number.MAX_SAFE_INTEGER, 1])).toThrow(MoneyError);
  });

  it("allocates into parts that always sum to the whole", () => {
    expect(allocateMinor(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateMinor(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    fc.assert(
      fc.property(
        fc.integer({ min: -(10 ** 12), max: 10 ** 12 }),
        fc
          .array(fc.integer({ min: 0, max: 10 ** 6 }), { minLength: 1, maxLength: 12 })
          .filter((r) => r.some((x) => x > 0)),
        (total, ratios) => {
          const parts = allocateMinor(total, ratios);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          ratios.forEach((r, i) => {
            if (r === 0) expect(parts[i]).toBe(0);
          });
        },
      ),
    );
  });
});

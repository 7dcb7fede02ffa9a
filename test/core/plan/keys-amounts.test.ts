import { describe, expect, it } from "vitest";
import { convertAtRate, invertRate, toXeroMinor } from "../../../worker/domain/plan/amounts";
import { documentKey, fnv1a64 } from "../../../worker/domain/plan/keys";

describe("document keys", () => {
  const base = { vendorCode: "ACME1", paymentNumber: "40311877" } as const;
  it("are readable and header-safe", () => {
    expect(documentKey({ ...base, role: "pay", document: "INV-A" })).toBe("vcx1:ACME1:40311877:pay:INV-A");
    expect(documentKey({ ...base, role: "cn", document: "Ré 1/2", occurrence: 2 })).toBe(
      "vcx1:ACME1:40311877:cn:R%C3%A9%201%2F2~2",
    );
  });
  it("stay ≤ 128 chars and distinct when shortened", () => {
    const a = documentKey({ ...base, role: "cn", document: `${"X".repeat(200)}A` });
    const b = documentKey({ ...base, role: "cn", document: `${"X".repeat(200)}B` });
    expect(a).toHaveLength(128);
    expect(a).not.toBe(b);
    expect(fnv1a64("a")).toBe("af63dc4c8601ec8c"); // FNV-1a 64 reference value
  });
});

describe("Xero amounts", () => {
  it("rescales currencies to 2 dp, half away from zero", () => {
    expect(toXeroMinor(1234, "USD")).toBe(1234);
    expect(toXeroMinor(1234, "JPY")).toBe(123400);
    expect(toXeroMinor(1235, "KWD")).toBe(124);
    expect(toXeroMinor(-1235, "KWD")).toBe(-124);
    expect(toXeroMinor(1234, "KWD")).toBe(123);
  });
  it("converts at a decimal rate exactly and inverts it for Xero's CurrencyRate", () => {
    expect(convertAtRate(100000, "1.10")).toBe(110000);
    expect(convertAtRate(1, "0.5")).toBe(1);
    expect(convertAtRate(333, "83.125")).toBe(27681);
    expect(invertRate("1.10")).toBe(0.909091);
    expect(invertRate("83.125")).toBe(0.01203);
  });
});

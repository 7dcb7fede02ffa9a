import { describe, expect, it } from "vitest";
import { applyOrder, readDate, resolveDateOrder } from "../../../worker/domain/remittance/dates";

describe("dates", () => {
  it.each([
    ["2026-02-10", "2026-02-10"],
    ["2026-02-10T00:00:00Z", "2026-02-10"],
    ["10-Feb-2026", "2026-02-10"],
    ["10 FEB 26", "2026-02-10"],
    ["Feb 10, 2026", "2026-02-10"],
    ["February 10 2026", "2026-02-10"],
    ["20260210", "2026-02-10"],
    ["46063", "2026-02-10"],
  ])("reads %s without needing an order", (text, iso) => {
    expect(readDate(text)).toEqual({ kind: "date", iso });
  });

  it("reads Excel serial numbers and Date objects", () => {
    expect(readDate(46063)).toEqual({ kind: "date", iso: "2026-02-10" });
    expect(readDate(46063.75)).toEqual({ kind: "date", iso: "2026-02-10" });
    expect(readDate(new Date(Date.UTC(2026, 1, 10)))).toEqual({ kind: "date", iso: "2026-02-10" });
    expect(readDate(12)).toMatchObject({ kind: "invalid" });
  });

  it("leaves numeric day/month text to the file's order", () => {
    const d = readDate("02/10/2026");
    expect(d).toEqual({ kind: "numeric", first: 2, second: 10, year: 2026 });
    if (d.kind !== "numeric") throw new Error("numeric expected");
    expect(applyOrder(d, "MDY")).toBe("2026-02-10");
    expect(applyOrder(d, "DMY")).toBe("2026-10-02");
    expect(readDate("13.03.2026")).toEqual({ kind: "numeric", first: 13, second: 3, year: 2026 });
  });

  it("refuses impossible dates", () => {
    expect(readDate("31/31/2026")).toMatchObject({ kind: "invalid" });
    expect(readDate("2026-02-30")).toMatchObject({ kind: "invalid" });
    expect(readDate("yesterday")).toMatchObject({ kind: "invalid" });
    expect(readDate(true)).toMatchObject({ kind: "invalid" });
    expect(applyOrder({ first: 2, second: 30, year: 2026 }, "MDY")).toBeUndefined();
  });

  it("infers the order only from dates that settle it", () => {
    const p = (first: number, second: number) => ({ first, second, year: 2026 });
    expect(resolveDateOrder([p(2, 10), p(1, 28)], undefined)).toEqual({
      ok: true,
      order: "MDY",
      inferred: true,
    });
    expect(resolveDateOrder([p(2, 10), p(28, 1)], undefined)).toEqual({
      ok: true,
      order: "DMY",
      inferred: true,
    });
    expect(resolveDateOrder([p(2, 10), p(3, 4)], undefined)).toMatchObject({
      ok: false,
      reason: "ambiguous",
    });
    expect(resolveDateOrder([p(13, 1), p(1, 13)], undefined)).toMatchObject({
      ok: false,
      reason: "conflicting",
    });
    expect(resolveDateOrder([p(2, 10)], "DMY")).toEqual({ ok: true, order: "DMY", inferred: false });
    expect(resolveDateOrder([p(5, 5)], undefined)).toEqual({ ok: true, order: undefined, inferred: true });
  });
});

import { describe, expect, it } from "vitest";
import { chunkRows, REQUEST_BUDGET_BYTES, rowBytes } from "../../../addin/src/model/chunks";

describe("chunkRows", () => {
  it("packs rows greedily under the budget and covers every row exactly once", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [`row-${i}`, i, "x".repeat(i % 50)]);
    const chunks = chunkRows(rows, 2, 10_000);
    expect(chunks.reduce((a, c) => a + c.count, 0)).toBe(1000);
    chunks.forEach((c, i) => {
      expect(c.bytes).toBeLessThanOrEqual(10_000);
      if (i > 0) expect(c.start).toBe(chunks[i - 1]!.start + chunks[i - 1]!.count);
    });
    const total = rows.reduce((a, r) => a + rowBytes(r, 2), 0);
    expect(chunks.length).toBeLessThanOrEqual(Math.ceil(total / 10_000) + 1);
  });

  it("a row larger than the budget still goes, alone", () => {
    const chunks = chunkRows([["a"], ["b".repeat(100)], ["c"]], 0, 50);
    expect(chunks.map((c) => c.count)).toEqual([1, 1, 1]);
  });

  it("bytes count UTF-8 and JSON escaping; default budget stays under Excel on the web's 5 MB", () => {
    expect(rowBytes(["é"])).toBeGreaterThan(rowBytes(["e"]));
    expect(rowBytes(['"'])).toBeGreaterThan(rowBytes(["a"]));
    expect(REQUEST_BUDGET_BYTES).toBeLessThan(5 * 1024 * 1024);
    expect(chunkRows([], 0)).toEqual([]);
  });
});

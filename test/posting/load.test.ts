/**
 * Load, small (issue 6; `npm run load` is 50 × 1,000): 3 organisations × 60 documents posted concurrently,
 * one call per document so each organisation crosses the sandbox's minute window; every document exactly
 * once and no minute-limit 429 from the sandbox.
 */
import { describe, expect, it } from "vitest";
import { loadLine, runLoad } from "./load";
import { sandbox } from "./support";

describe("load", () => {
  it("posts 3 organisations × 60 documents concurrently within each organisation's minute limit", async () => {
    const r = await runLoad(sandbox, { orgs: 3, documents: 60, batchSize: 1 });
    expect(r.problems).toEqual([]);
    expect(loadLine(r)).toBe("load: orgs 3, documents 180, duplicates 0, lost 0, minute-limit breaches 0");
    expect(r.posted).toBe(180);
    expect(r.otherLimit429).toBe(0);
    expect(r.maxCallsInAMinute).toBeLessThanOrEqual(60);
    // 60+ calls each: the minute window was actually crossed.
    expect(r.calls).toBeGreaterThan(3 * 60);
    expect(r.simulatedMs).toBeGreaterThanOrEqual(60_000);
  });
});

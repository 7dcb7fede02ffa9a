import { describe, expect, it } from "vitest";
import { OrgIndex } from "../../../worker/domain/org/accounts";
import { datingFor, effectiveLockDate } from "../../../worker/domain/org/lock-dates";
import { parseOrgSnapshot } from "../../../worker/domain/org/model";
import { demoOrg, demoOrgInput } from "./builders";

describe("organisation snapshot", () => {
  it("the demo fixture is valid and matches the accounting model", () => {
    const org = demoOrg();
    expect(org.periodLockDate).toBe("2026-01-31");
    expect(org.invoices.map((i) => [i.number, i.status, i.amountDue])).toEqual([
      ["INV-A", "AUTHORISED", 1000000],
      ["INV-B", "AUTHORISED", 500000],
      ["INV-C", "PAID", 0],
    ]);
    expect(org.accounts.map((a) => a.code)).toEqual(
      expect.arrayContaining(["090", "1210", "1220", "1290", "200", "6110", "6120", "6130", "6140", "6160"]),
    );
  });

  it("accepts Xero's MS-JSON dates and JSON-number money, exactly", () => {
    const r = parseOrgSnapshot({
      ...demoOrgInput(),
      periodLockDate: "/Date(1769817600000+0000)/",
      invoices: [
        {
          number: "X",
          status: "AUTHORISED",
          total: 1234.56,
          amountDue: "0.10",
          date: "2026-02-01T00:00:00",
          currency: "USD",
        },
      ],
    });
    expect(r.ok && r.org.periodLockDate).toBe("2026-01-31");
    expect(r.ok && [r.org.invoices[0]?.total, r.org.invoices[0]?.amountDue]).toEqual([123456, 10]);
  });

  it("rejects amounts with more than 2 decimals and bad dates, naming the path", () => {
    const r = parseOrgSnapshot({
      ...demoOrgInput(),
      invoices: [
        {
          number: "X",
          status: "AUTHORISED",
          total: 1.005,
          amountDue: 1,
          date: "31/01/2026",
          currency: "USD",
        },
      ],
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.join("\n")).toMatch(/invoices\.0\.total/);
    expect(!r.ok && r.errors.join("\n")).toMatch(/invoices\.0\.date/);
  });

  it("lock dates: on and before; adviser exempt from the period lock only", () => {
    const lock = { periodLockDate: "2026-01-31", endOfYearLockDate: "2025-12-31", isAdviser: false };
    expect(effectiveLockDate(lock)).toBe("2026-01-31");
    expect(effectiveLockDate({ ...lock, isAdviser: true })).toBe("2025-12-31");
    expect(datingFor(lock, "2026-01-31")).toMatchObject({
      date: "2026-02-01",
      note: expect.stringContaining("2026-01-31"),
    });
    expect(datingFor(lock, "2026-02-01")).toEqual({ date: "2026-02-01" });
    expect(datingFor({ ...lock, isAdviser: true }, "2026-01-15")).toEqual({ date: "2026-01-15" });
  });

  it("account rules: clearing needs payments enabled and cannot be a bank; journals refuse bank, AR, archived", () => {
    const idx = new OrgIndex(demoOrg());
    expect(idx.accountProblem("1210", "payment_source")).toBeUndefined();
    expect(idx.accountProblem("1220", "payment_source")).toMatch(/enable payments/);
    expect(idx.accountProblem("090", "journal")).toMatch(/BANK/);
    expect(idx.accountProblem("610", "journal")).toMatch(/DEBTORS/);
    expect(idx.accountProblem("6199", "journal")).toMatch(/archived/);
    expect(idx.accountProblem("090", "bank")).toBeUndefined();
    expect(idx.taxTypeProblem("OUTPUT", "200")).toBeUndefined();
    expect(idx.taxTypeProblem("OUTPUT", "6120")).toMatch(/cannot be used/);
  });
});

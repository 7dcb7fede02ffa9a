import { describe, expect, it } from "vitest";
import {
  errorText,
  failures,
  type Job,
  logRows,
  progress,
  stampColumns,
} from "../../../addin/src/model/posting";
import { initialState, postBlockedReason } from "../../../addin/src/model/state";

const job: Job = {
  id: "job-1",
  state: "running",
  total: 4,
  posted: 2,
  failed: 1,
  held: 0,
  documents: [
    { key: "k:pay:A", type: "Payment", state: "posted", xeroId: "p-1", link: "https://go.xero.com/p-1" },
    { key: "k:mj", type: "ManualJournal", state: "posted", xeroId: "mj-1", link: "https://go.xero.com/mj-1" },
    {
      key: "k:cn:B",
      type: "CreditNote",
      state: "failed",
      error: { reason: "Account 6130 is archived", messages: ["Account 6130 is archived"] },
    },
    { key: "k:alloc:B", type: "Allocation", state: "planned" },
  ],
};

describe("posting", () => {
  it("progress counts settled documents", () => {
    expect(progress(job)).toEqual({ fraction: 0.75, label: "2 of 4 posted, 1 failed (running)" });
    expect(progress({ ...job, total: 0, state: "done" }).fraction).toBe(1);
    expect(progress({ ...job, state: "waiting", waitUntil: "2026-02-11T10:01:00.000Z" }).label).toBe(
      "2 of 4 posted, 1 failed (waiting for Xero's rate limit until 10:01:00 UTC)",
    );
  });

  it("stamps Status / Xero ID / Xero Link per review row from its document keys", () => {
    const cols = stampColumns([["k:pay:A", "k:mj"], ["k:cn:B", "k:alloc:B"], ["k:mj"], []], job);
    expect(cols).toEqual([
      ["posted", "p-1 mj-1", "https://go.xero.com/p-1"],
      ["failed: Account 6130 is archived", "", ""],
      ["posted", "mj-1", "https://go.xero.com/mj-1"],
      ["", "", ""],
    ]);
  });

  it("failures name the document, the Review rows and the plain reason", () => {
    expect(failures([["k:pay:A"], ["k:cn:B", "k:alloc:B"]], job)).toEqual([
      "CreditNote k:cn:B (Review row 3): Account 6130 is archived",
    ]);
  });

  it("an error's reason comes first, then Xero's own messages that add something", () => {
    expect(
      errorText({ reason: "Xero rejected the credit note.", messages: ["Account code '6130' is archived."] }),
    ).toBe("Xero rejected the credit note. Account code '6130' is archived.");
    expect(
      errorText({
        reason: "Held: the invoice was paid since the preview.",
        messages: [],
        code: "invoice_paid",
      }),
    ).toBe("Held: the invoice was paid since the preview.");
    expect(errorText(undefined)).toBe("");
  });

  it("log rows: posted and failed documents with who and when", () => {
    const rows = logRows(job, "fin@example.com", new Date("2026-02-11T10:00:00Z"), "us-40311877.csv");
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual([
      "2026-02-11T10:00:00.000Z",
      "fin@example.com",
      "us-40311877.csv",
      "job-1",
      "k:pay:A",
      "Payment",
      "posted",
      "p-1",
      "https://go.xero.com/p-1",
      "",
    ]);
  });
});

describe("postBlockedReason", () => {
  const ready = () => ({
    ...initialState(),
    session: { token: "t", expiresAt: "", user: { id: "u", email: "e", name: "n" } },
    orgId: "o",
    remittanceId: "r",
    review: { rows: [], keys: [], totals: [], totalsRows: [], byKindRows: [], blocking: 0, warnings: 0 },
  });

  it("is undefined when everything is in place", () => {
    expect(postBlockedReason(ready())).toBeUndefined();
  });

  it("blocks on unsaved mapping edits, blocking exceptions, a running job, no session", () => {
    const dirty = ready();
    dirty.dirtySheets.add("Deductions");
    expect(postBlockedReason(dirty)).toMatch(/Save the mapping edits first \(Deductions\)/);
    const blocking = ready();
    blocking.review.blocking = 2;
    expect(postBlockedReason(blocking)).toMatch(/2 blocking exceptions/);
    expect(
      postBlockedReason({ ...ready(), job: { id: "j", fraction: 0.5, label: "", finished: false } }),
    ).toMatch(/in progress/);
    expect(postBlockedReason(initialState())).toMatch(/Connect/);
  });
});

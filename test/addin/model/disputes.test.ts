import { describe, expect, it } from "vitest";
import { type ApiDispute, disputeChanges, disputeMark, disputeRows } from "../../../addin/src/model/disputes";
import { DISPUTES_SHEET } from "../../../addin/src/model/sheets";

const d = (id: string, over: Partial<ApiDispute> = {}): ApiDispute => ({
  id,
  paymentNumber: "P1",
  paymentDate: "2026-01-10",
  documentNumber: id.split("/")[1] ?? id,
  kind: "shortage_claim",
  amount: "12.50",
  outstanding: "12.50",
  currency: "USD",
  deadline: "2026-03-01",
  daysLeft: 18,
  status: "open",
  ...over,
});

const header = DISPUTES_SHEET.columns.map((c) => c.header);
const sheet = (loaded: ApiDispute[]) => [header, ...disputeRows(loaded).map((r) => [...r])];

describe("dispute rows", () => {
  it("one row per deduction, amounts as numbers, kind in words, blanks for missing deadline and note", () => {
    const rows = disputeRows([
      d("P1/SC1/1"),
      d("P1/CB2/1", { kind: "chargeback", deadline: undefined, daysLeft: undefined, note: "x" }),
    ]);
    expect(rows[0]).toEqual([
      "P1/SC1/1",
      "P1",
      "SC1",
      "shortage claim",
      12.5,
      "USD",
      "2026-03-01",
      18,
      "open",
      "",
    ]);
    expect(rows[1]?.slice(6)).toEqual(["", "", "open", "x"]);
  });

  it("the Status column is a dropdown of the Worker's statuses", () => {
    expect(DISPUTES_SHEET.columns.find((c) => c.header === "Status")?.options).toEqual([
      "open",
      "disputed",
      "won",
      "lost",
      "expired",
    ]);
  });
});

describe("dispute changes", () => {
  const loaded = [d("P1/A/1"), d("P1/B/1", { note: "called" }), d("P1/C/1")];

  it("nothing changed: nothing to send", () => {
    expect(disputeChanges(sheet(loaded), loaded)).toEqual({ patches: [], problems: [] });
  });

  it("a status change sends the status, and the note only when it changed", () => {
    const v = sheet(loaded);
    v[1]![8] = "Disputed";
    v[2]![8] = "lost";
    v[2]![9] = "accepted";
    const c = disputeChanges(v, loaded);
    expect(c.patches).toEqual([
      { key: "P1/A/1", index: 0, body: { status: "disputed" } },
      { key: "P1/B/1", index: 1, body: { status: "lost", note: "accepted" } },
    ]);
    expect(c.problems).toEqual([]);
  });

  it("follows the headers when columns were moved", () => {
    const v = sheet(loaded).map((r) => [...r].reverse());
    v[3]![1] = "won"; // Status is second from the end → index 1 when reversed
    expect(disputeChanges(v, loaded).patches).toEqual([{ key: "P1/C/1", index: 2, body: { status: "won" } }]);
  });

  it("reports a note without a status change, an unknown status and an unknown key", () => {
    const v = sheet(loaded);
    v[1]![9] = "just a note";
    v[2]![8] = "pending";
    v[3]![0] = "P9/Z/1";
    const c = disputeChanges(v, loaded);
    expect(c.patches).toEqual([]);
    expect(c.problems.map((p) => [p.index, p.column])).toEqual([
      [0, "Note"],
      [1, "Status"],
      [2, "Key"],
    ]);
  });

  it("marks the named cell below the header", () => {
    expect(disputeMark(header, 2, "Status", "no")).toMatchObject({
      sheet: "Disputes",
      row: 3,
      column: 8,
      address: "I4",
    });
  });
});

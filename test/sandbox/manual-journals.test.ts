import { beforeEach, describe, expect, it } from "vitest";
import { newOrg, setClock, xero } from "./helpers";

const journal = (lines: [string, number][], extra: Record<string, unknown> = {}) => ({
  ManualJournals: [
    {
      Narration: "Amazon remittance 40311877 — deductions",
      Date: "2026-02-10",
      JournalLines: lines.map(([AccountCode, LineAmount]) => ({ AccountCode, LineAmount, Description: "x" })),
      ...extra,
    },
  ],
});

const errorsOf = (body: { Elements: { ValidationErrors: { Message: string }[] }[] }) =>
  body.Elements[0]?.ValidationErrors.map((e) => e.Message) ?? [];

describe("manual journals", () => {
  beforeEach(() => setClock("2026-02-10T12:00:00Z"));

  it("creates a balanced journal as DRAFT by default and posts it", async () => {
    const x = xero(await newOrg());
    const r = await x.put(
      "/ManualJournals",
      journal([
        ["6160", 200],
        ["6120", 150],
        ["1210", -350],
      ]),
    );
    expect(r.status).toBe(200);
    const j = r.body.ManualJournals[0];
    expect(j).toMatchObject({ Status: "DRAFT", LineAmountTypes: "NoTax" });
    const posted = await x.post(`/ManualJournals/${j.ManualJournalID}`, {
      ManualJournals: [{ Status: "POSTED" }],
    });
    expect(posted.body.ManualJournals[0].Status).toBe("POSTED");
  });

  it("refuses an unbalanced journal with the exact message", async () => {
    const x = xero(await newOrg());
    const r = await x.put(
      "/ManualJournals",
      journal([
        ["6160", 100],
        ["1210", -10],
      ]),
    );
    expect(r.status).toBe(400);
    expect(errorsOf(r.body)).toEqual(["The total debits (100.00) must equal total credits (-10.00)"]);
  });

  it("needs at least two lines", async () => {
    const x = xero(await newOrg());
    const r = await x.put("/ManualJournals", journal([["6160", 0]]));
    expect(errorsOf(r.body)).toContain("A manual journal must have at least two journal lines.");
  });

  it("refuses bank, system and archived accounts", async () => {
    const x = xero(await newOrg());
    expect(
      errorsOf(
        (
          await x.put(
            "/ManualJournals",
            journal([
              ["090", 10],
              ["1210", -10],
            ]),
          )
        ).body,
      )[0],
    ).toMatch(/^Account code '090' is a bank account/);
    expect(
      errorsOf(
        (
          await x.put(
            "/ManualJournals",
            journal([
              ["610", 10],
              ["1210", -10],
            ]),
          )
        ).body,
      )[0],
    ).toMatch(/^Account code '610' is a system account/);
    expect(
      errorsOf(
        (
          await x.put(
            "/ManualJournals",
            journal([
              ["960", 10],
              ["1210", -10],
            ]),
          )
        ).body,
      )[0],
    ).toMatch(/^Account code '960' is a system account/);
    expect(
      errorsOf(
        (
          await x.put(
            "/ManualJournals",
            journal([
              ["499", 10],
              ["1210", -10],
            ]),
          )
        ).body,
      )[0],
    ).toBe(
      "Account code '499' has been archived, or has been deleted. Each line item must reference a valid account.",
    );
  });

  it("allows DRAFT → POSTED → VOIDED but not POSTED → DRAFT or VOIDED → POSTED", async () => {
    const x = xero(await newOrg());
    const j = (
      await x.put(
        "/ManualJournals",
        journal(
          [
            ["6110", 5],
            ["1210", -5],
          ],
          { Status: "POSTED" },
        ),
      )
    ).body.ManualJournals[0];
    const back = await x.post(`/ManualJournals/${j.ManualJournalID}`, {
      ManualJournals: [{ Status: "DRAFT" }],
    });
    expect(back.status).toBe(400);
    const voided = await x.post(`/ManualJournals/${j.ManualJournalID}`, {
      ManualJournals: [{ Status: "VOIDED" }],
    });
    expect(voided.body.ManualJournals[0].Status).toBe("VOIDED");
    const again = await x.post(`/ManualJournals/${j.ManualJournalID}`, {
      ManualJournals: [{ Status: "POSTED" }],
    });
    expect(again.status).toBe(400);
  });

  it("requires a narration", async () => {
    const x = xero(await newOrg());
    const r = await x.put(
      "/ManualJournals",
      journal(
        [
          ["6110", 5],
          ["1210", -5],
        ],
        { Narration: "" },
      ),
    );
    expect(errorsOf(r.body)).toEqual(["Narration must be specified."]);
  });
});

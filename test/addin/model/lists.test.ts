import { describe, expect, it } from "vitest";
import {
  DESIGN_VALUES,
  listsFromReference,
  MATCH_ON_VALUES,
  RULE_KIND_VALUES,
  TREATMENT_VALUES,
} from "../../../addin/src/model/lists";
import { listSource, MAPPING_SHEET_DEFS } from "../../../addin/src/model/sheets";
import { DESIGNS, MATCH_FIELDS, RULE_KINDS, TREATMENTS } from "../../../worker/domain/mapping/model";
import { MAPPING_SHEETS } from "../../../worker/domain/mapping/sheets";
import { demoOrgJson } from "../support/fixtures";

describe("sheet specs and lists", () => {
  it("mapping sheets are exactly the core's MAPPING_SHEETS, in name and header order", () => {
    expect(MAPPING_SHEET_DEFS.map((d) => [d.name, d.columns.map((c) => c.header)])).toEqual(
      MAPPING_SHEETS.map((s) => [s.name, s.columns.map((c) => c.header)]),
    );
    const deductions = MAPPING_SHEET_DEFS[0]!;
    const fmt = Object.fromEntries(deductions.columns.map((c) => [c.header, c.format]));
    expect(fmt["Account Code"]).toBe("text");
    expect(fmt["Dispute Window Days"]).toBe("int");
  });

  it("the fixed vocabularies equal the core's", () => {
    expect(TREATMENT_VALUES).toEqual(TREATMENTS);
    expect(MATCH_ON_VALUES).toEqual(MATCH_FIELDS);
    expect(DESIGN_VALUES).toEqual(DESIGNS);
    expect(RULE_KIND_VALUES).toEqual(RULE_KINDS);
  });

  it("dropdown columns: accounts, tax types, items, treatments", () => {
    const lists = Object.fromEntries(
      MAPPING_SHEET_DEFS.flatMap((d) => d.columns.map((c) => [`${d.name}.${c.header}`, c.list])),
    );
    expect(lists["Deductions.Account Code"]).toBe("accounts");
    expect(lists["Deductions.Treatment"]).toBe("treatments");
    expect(lists["Settings.Bank Account"]).toBe("accounts");
    expect(lists["SKUs.Item Code"]).toBe("items");
    expect(lists["SKUs.Tax Type"]).toBe("taxTypes");
    expect(listSource("accounts", 14)).toBe("=Lists!$A$2:$A$15");
    expect(listSource("items", 0)).toBe("=Lists!$C$2:$C$2");
  });

  it("reference data → lists: archived accounts left out, codes kept as text", () => {
    const org = demoOrgJson() as Parameters<typeof listsFromReference>[0];
    const lists = listsFromReference(org);
    expect(lists.accounts).toContain("090");
    expect(lists.accounts).not.toContain("6199");
    expect(lists.taxTypes).toEqual(["NONE", "OUTPUT"]);
    expect(lists.items).toEqual(["WIDGET-01", "GADGET-02"]);
    expect(lists.booleans).toEqual(["TRUE", "FALSE"]);
  });
});

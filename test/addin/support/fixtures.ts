/** Remittances and plans made by the real pure core from the shipped fixtures. */
import { readFileSync } from "node:fs";
import type { Mappings } from "../../../worker/domain/mapping/model";
import { mappingsToGrids, readMappingWorkbook } from "../../../worker/domain/mapping/workbook";
import { type OrgSnapshot, parseOrgSnapshot } from "../../../worker/domain/org/model";
import { planSettlement } from "../../../worker/domain/plan/planner";
import { planToJson } from "../../../worker/domain/plan/report";
import type { Cell } from "../../../worker/domain/remittance/grid";
import { type IngestInput, ingest } from "../../../worker/domain/remittance/ingest";
import { remittanceToJson } from "../../../worker/domain/remittance/json";
import type { Remittance } from "../../../worker/domain/remittance/model";

export const FIXTURES = new URL("../../fixtures/", import.meta.url);
export const fixtureBytes = (path: string) => new Uint8Array(readFileSync(new URL(path, FIXTURES)));

export function demoMappings(): Mappings {
  const r = readMappingWorkbook(fixtureBytes("mappings/demo-mappings.xlsx"));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.mappings;
}

export function demoMappingGrids(): Record<string, string[][]> {
  return mappingsToGrids(demoMappings());
}

export function demoOrgJson(): unknown {
  return JSON.parse(readFileSync(new URL("org/demo-org.json", FIXTURES), "utf8"));
}

export function demoOrg(): OrgSnapshot {
  const r = parseOrgSnapshot(demoOrgJson());
  if (!r.ok) throw new Error(r.errors.join("; "));
  return r.org;
}

export function ingestFixture(input: IngestInput, org = demoOrg()): Remittance {
  return ingest(input, { knownInvoiceNumbers: org.invoices.map((i) => i.number) });
}

export function planJsonFor(remittance: Remittance, mappings = demoMappings(), org = demoOrg()) {
  return planToJson(planSettlement(remittance, mappings, org));
}

/** The worked example (us-40311877.csv) as the Worker would return it. */
export function workedExample() {
  const r = ingestFixture({
    kind: "bytes",
    fileName: "us-40311877.csv",
    bytes: fixtureBytes("remittances/us-40311877.csv"),
  });
  return { remittance: remittanceToJson(r), plan: planJsonFor(r) };
}

/** The CSV fixture as a grid of strings (what a user sees after opening it in Excel, minus typing). */
export function csvGrid(path: string): Cell[][] {
  const text = readFileSync(new URL(path, FIXTURES), "utf8");
  const rows: Cell[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === "") continue;
    const cells: string[] = [];
    let cur = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ",") {
        cells.push(cur);
        cur = "";
      } else cur += ch;
    }
    cells.push(cur);
    rows.push(cells);
  }
  return rows;
}

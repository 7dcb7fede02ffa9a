/** The shipped fixtures, read the way a user's files are: remittance CSV, mapping workbook, org snapshot. */
import { readFileSync } from "node:fs";
import { readMappingWorkbook } from "../../../worker/domain/mapping/workbook";
import { parseOrgSnapshot } from "../../../worker/domain/org/model";
import { planSettlement } from "../../../worker/domain/plan/planner";
import { ingest } from "../../../worker/domain/remittance/ingest";

const FIXTURES = new URL("../../fixtures/", import.meta.url);
const bytes = (path: string) => new Uint8Array(readFileSync(new URL(path, FIXTURES)));

export function fixtureSettlement() {
  const mappings = readMappingWorkbook(bytes("mappings/demo-mappings.xlsx"));
  if (!mappings.ok) throw new Error("demo mappings do not read");
  const org = parseOrgSnapshot(JSON.parse(new TextDecoder().decode(bytes("org/demo-org.json"))));
  if (!org.ok) throw new Error("demo org does not read");
  const remittance = ingest(
    { kind: "bytes", fileName: "us-40311877.csv", bytes: bytes("remittances/us-40311877.csv") },
    { marketplace: "US", knownInvoiceNumbers: org.org.invoices.map((i) => i.number) },
  );
  if (remittance.problems.some((p) => p.severity === "error"))
    throw new Error("fixture remittance has errors");
  const plan = planSettlement(remittance, mappings.mappings, org.org);
  return { mappings: mappings.mappings, org: org.org, remittance, plan };
}

/** accounting-model.md: the trial balance movements of the worked example, in cents, debit positive. */
export const EXPECTED_MOVEMENTS: Record<string, number> = {
  "6160": 20000,
  "6120": 15000,
  "6110": 100000,
  "6130": 30000,
  "6140": 8000,
  "1220": 50000,
  "1210": 0,
};

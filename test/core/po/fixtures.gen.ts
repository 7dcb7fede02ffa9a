/**
 * Writes test/fixtures/po/po-mappings.xlsx and po-org.json from the builders (the SKU map and org for
 * Amazon's example POs). Run: npx tsx test/core/po/fixtures.gen.ts — cli.test.ts checks they stay in step.
 */
import { writeFileSync } from "node:fs";
import { writeMappingWorkbook } from "../../../worker/domain/mapping/workbook";
import { PO_FIXTURES, poMappings, poOrgInput } from "./builders";

writeFileSync(new URL("po-mappings.xlsx", PO_FIXTURES), writeMappingWorkbook(poMappings()));
writeFileSync(new URL("po-org.json", PO_FIXTURES), `${JSON.stringify(poOrgInput(), null, 2)}\n`);

/**
 * Extract the Accounting API component schemas the sandbox's contract tests need from the Xero OpenAPI
 * spec (shared/specs/xero/xero_accounting.yaml) into test/sandbox/fixtures/xero-accounting-schemas.json,
 * because workerd tests have no file system. Re-run after updating the spec:
 *   npx tsx scripts/sandbox-extract-schemas.ts [path/to/xero_accounting.yaml]
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const specPath = resolve(process.argv[2] ?? resolve(here, "../../shared/specs/xero/xero_accounting.yaml"));
const out = resolve(here, "../test/sandbox/fixtures/xero-accounting-schemas.json");

const ROOTS = [
  "Organisations",
  "Accounts",
  "TaxRates",
  "Items",
  "Contacts",
  "Invoices",
  "CreditNotes",
  "Allocations",
  "Payments",
  "ManualJournals",
  "BankTransactions",
  "Error",
];

const spec = parse(readFileSync(specPath, "utf8")) as {
  info: { version: string };
  components: { schemas: Record<string, unknown> };
};
const all = spec.components.schemas;
const picked: Record<string, unknown> = {};

function visit(node: unknown): void {
  if (Array.isArray(node)) node.forEach(visit);
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") {
        const name = v.replace("#/components/schemas/", "");
        if (!(name in picked)) {
          picked[name] = all[name];
          visit(all[name]);
        }
      } else visit(v);
    }
  }
}

for (const root of ROOTS) {
  picked[root] = all[root];
  visit(all[root]);
}

const json = JSON.stringify(picked, null, 2).replaceAll(
  "#/components/schemas/",
  "xero-accounting#/definitions/",
);
writeFileSync(
  out,
  `${JSON.stringify({ source: "shared/specs/xero/xero_accounting.yaml", version: spec.info.version, roots: ROOTS }, null, 2).slice(0, -2)},\n  "definitions": ${json.replace(/\n/g, "\n  ")}\n}\n`,
);
// Leave the file as Biome formats it, so `npm run lint` stays clean.
execFileSync("npx", ["biome", "format", "--write", out], { stdio: "ignore" });
console.log(`wrote ${Object.keys(picked).length} schemas to ${out}`);

/**
 * Writes test/fixtures/mappings/demo-mappings.xlsx: the mapping workbook for the demo organisation of
 * shared/reference/accounting-model.md (vendor ACME1, invoice_level design), in the documented sheet layout
 * — the same workbook the add-in manages. Run: npx tsx scripts/make-demo-mappings.ts
 */
import { writeFileSync } from "node:fs";
import { type MappingsInput, mappingsSchema } from "../worker/domain/mapping/model";
import { writeMappingWorkbook } from "../worker/domain/mapping/workbook";

export const DEMO_MAPPINGS: MappingsInput = {
  deductions: [
    {
      kind: "shortage_claim",
      accountCode: "6130",
      treatment: "credit_note",
      disputeWindowDays: 30,
      label: "shortage claim",
    },
    { kind: "shortage_claim_revised", accountCode: "6130", treatment: "credit_note", disputeWindowDays: 30 },
    {
      kind: "price_claim",
      accountCode: "6140",
      treatment: "credit_note",
      disputeWindowDays: 30,
      label: "price claim",
    },
    {
      kind: "chargeback",
      accountCode: "6120",
      treatment: "journal",
      disputeWindowDays: 30,
      label: "chargeback",
    },
    {
      kind: "coop",
      matchOn: "description",
      pattern: "*service agreement*",
      accountCode: "6110",
      treatment: "journal",
      label: "co-op service agreement",
      tracking: [{ name: "Channel", option: "Amazon 1P" }],
    },
    {
      kind: "coop",
      accountCode: "6110",
      treatment: "journal",
      label: "co-op",
      tracking: [{ name: "Channel", option: "Amazon 1P" }],
    },
    { kind: "provision", accountCode: "1220", treatment: "journal", label: "provision for receivables" },
    { kind: "price_protection", accountCode: "6140", treatment: "journal", label: "price protection" },
    { kind: "returns", accountCode: "6130", treatment: "hold", label: "returns" },
    { kind: "any", accountCode: "6190", treatment: "journal", label: "unclassified deduction" },
  ],
  skus: [
    {
      asin: "B07DFVDRAB",
      vendorSku: "8806098286500",
      itemCode: "WIDGET-01",
      unitsPerCase: 12,
      agreedCostPerEach: 123456,
      currency: "USD",
    },
    {
      vendorSku: "ACME-GADGET",
      itemCode: "GADGET-02",
      unitsPerCase: 1,
      agreedCostPerEach: 949700,
      currency: "USD",
      taxType: "NONE",
    },
  ],
  settings: [
    {
      vendorCode: "ACME1",
      marketplace: "US",
      amazonContact: "Amazon.com Services LLC",
      clearingAccount: "1210",
      bankAccount: "090",
      suspenseAccount: "1290",
      roundingAccount: "860",
      termsDiscountAccount: "6160",
      withholdingAccount: "1230",
      provisionsAccount: "1220",
      salesAccount: "200",
      design: "invoice_level",
      createBankTransaction: true,
      tolerance: 5,
    },
  ],
};

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const mappings = mappingsSchema.parse(DEMO_MAPPINGS);
  const target = new URL("../test/fixtures/mappings/demo-mappings.xlsx", import.meta.url);
  writeFileSync(target, writeMappingWorkbook(mappings));
  console.log(`wrote ${target.pathname}`);
}

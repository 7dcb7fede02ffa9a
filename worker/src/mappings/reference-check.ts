/**
 * Mapping cells checked against the organisation's reference data: every account, tax type, item and
 * contact a sheet names must exist in Xero and be usable. One error per cell, with row, column and cell.
 */
import { MAPPING_SHEETS } from "../../domain/mapping/sheets";
import type { Grid, MappingError } from "../../domain/mapping/workbook";
import type { ReferenceData } from "../xero/reference";

type CellRule = (value: string, ref: Indexes) => string | undefined;

interface Indexes {
  accounts: Map<string, ReferenceData["accounts"][number]>;
  taxRates: Map<string, ReferenceData["taxRates"][number]>;
  items: Set<string>;
  contactNames: Set<string>;
  contactIds: Set<string>;
}

const account =
  (extra?: (a: ReferenceData["accounts"][number]) => string | undefined): CellRule =>
  (code, ref) => {
    const a = ref.accounts.get(code);
    if (!a) return `account ${code} does not exist in Xero`;
    if (a.status !== "ACTIVE") return `account ${code} is ${a.status.toLowerCase()} in Xero`;
    return extra?.(a);
  };
const taxType: CellRule = (t, ref) => {
  const r = ref.taxRates.get(t);
  if (!r) return `tax type ${t} does not exist in Xero`;
  return r.status === "ACTIVE" ? undefined : `tax type ${t} is ${r.status.toLowerCase()} in Xero`;
};
const item: CellRule = (code, ref) =>
  ref.items.has(code) ? undefined : `item ${code} does not exist in Xero`;
const contactName: CellRule = (name, ref) =>
  ref.contactNames.has(name.toLowerCase())
    ? undefined
    : `contact "${name}" does not exist in Xero (or is archived)`;
const contactId: CellRule = (id, ref) =>
  ref.contactIds.has(id) ? undefined : `contact id ${id} does not exist in Xero`;

const RULES: Record<string, Record<string, CellRule>> = {
  Deductions: { "Account Code": account(), "Tax Type": taxType },
  SKUs: { "Item Code": item, "Tax Type": taxType },
  Settings: {
    "Amazon Contact": contactName,
    "Amazon Contact ID": contactId,
    "Clearing Account": account((a) =>
      a.type === "BANK" || a.enablePaymentsToAccount
        ? undefined
        : `account ${a.code} does not have "enable payments to this account" switched on`,
    ),
    "Bank Account": account((a) =>
      a.type === "BANK" ? undefined : `account ${a.code} is not a bank account`,
    ),
    "Suspense Account": account(),
    "Rounding Account": account(),
    "Terms Discount Account": account(),
    "Withholding Account": account(),
    "Provisions Account": account(),
    "Sales Account": account(),
  },
};

function columnLetters(index: number): string {
  let s = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function checkAgainstReference(sheet: string, grid: Grid, ref: ReferenceData): MappingError[] {
  const spec = MAPPING_SHEETS.find((s) => s.name.toLowerCase() === sheet.trim().toLowerCase());
  const rules = spec ? RULES[spec.name] : undefined;
  if (!spec || !rules) return [];
  const idx: Indexes = {
    accounts: new Map(ref.accounts.map((a) => [a.code, a])),
    taxRates: new Map(ref.taxRates.map((t) => [t.taxType, t])),
    items: new Set(ref.items.map((i) => i.code)),
    contactNames: new Set(
      ref.contacts.filter((c) => c.status !== "ARCHIVED").map((c) => c.name.toLowerCase()),
    ),
    contactIds: new Set(ref.contacts.map((c) => c.id)),
  };
  const headerIndex = grid.findIndex((r) => r.some((c) => c.trim() !== ""));
  if (headerIndex < 0) return [];
  const header = grid[headerIndex] ?? [];
  const columns = Object.entries(rules).flatMap(([name, rule]) => {
    const at = header.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase());
    return at < 0 ? [] : [{ name, rule, at }];
  });
  const errors: MappingError[] = [];
  for (let r = headerIndex + 1; r < grid.length; r++) {
    const cells = grid[r] ?? [];
    for (const { name, rule, at } of columns) {
      const value = (cells[at] ?? "").trim();
      if (value === "") continue;
      const message = rule(value, idx);
      if (message)
        errors.push({
          sheet: spec.name,
          row: r + 1,
          column: name,
          cell: `${columnLetters(at)}${r + 1}`,
          message,
        });
    }
  }
  return errors;
}

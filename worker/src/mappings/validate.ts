/** Mapping sheets validated by the core's schema (mappingsFromGrids) and against Xero reference data. */
import { type Grid, type MappingError, mappingsFromGrids } from "../../domain/mapping/workbook";
import type { ReferenceData } from "../xero/reference";
import { checkAgainstReference } from "./reference-check";
import { canonicalSheet, type Grids } from "./store";

/**
 * Errors of the given sheets. Sheets not given are taken from `stored` so cross-sheet rules can run, but
 * only errors located in the given sheets are reported (a first upload of one sheet is not blocked by the
 * others being absent).
 */
export function validateSheets(
  given: Readonly<Record<string, Grid>>,
  stored: Grids,
  ref: ReferenceData,
): MappingError[] {
  const names = new Set<string>();
  const combined: Record<string, Grid> = { ...stored };
  const errors: MappingError[] = [];
  for (const [name, grid] of Object.entries(given)) {
    const sheet = canonicalSheet(name);
    if (!sheet) {
      errors.push({ sheet: name, message: `unknown sheet (expected Deductions, SKUs or Settings)` });
      continue;
    }
    names.add(sheet);
    combined[sheet] = grid;
  }
  const schema = mappingsFromGrids(combined);
  if (!schema.ok) {
    errors.push(...schema.errors.filter((e) => names.has(e.sheet) && e.message !== "missing sheet"));
  }
  for (const sheet of names) errors.push(...checkAgainstReference(sheet, combined[sheet] ?? [], ref));
  return errors;
}

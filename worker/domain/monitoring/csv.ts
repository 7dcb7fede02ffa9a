/** CSV through papaparse for every monitoring export: CRLF rows, formula injection neutralised. */
import Papa from "papaparse";

/**
 * Cells starting with = + @ tab or CR, or with "-" but not a plain negative number, are prefixed with a
 * quote so a spreadsheet never runs text that came from Amazon as a formula; "-12.30" stays a number.
 */
const FORMULA = /^[=+@\t\r]|^-(?!\d+(?:\.\d+)?$)/;

export function toCsv(fields: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return Papa.unparse(
    { fields: [...fields], data: rows.map((r) => [...r]) },
    { newline: "\r\n", escapeFormulae: FORMULA },
  );
}

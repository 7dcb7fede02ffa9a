import * as XLSX from "@e965/xlsx";
import Papa from "papaparse";
import type { Cell, RowSink } from "./grid";

/**
 * File → grid adapters. CSV through papaparse (quoting, embedded newlines, delimiter detection), XLSX/XLS
 * through SheetJS. Both push rows into a sink; the Excel add-in pushes `range.values` rows the same way.
 */

/** Push every CSV record; returns papaparse's structural errors (unterminated quotes and the like). */
export function readCsv(text: string, sink: RowSink): { row: number; message: string }[] {
  const errors: { row: number; message: string }[] = [];
  let row = 0;
  // Chunk mode: papaparse hands over rows in batches, without a result object per row.
  // chunk/chunkSize apply to string input too, though @types/papaparse only types them for streams.
  const config = {
    skipEmptyLines: false,
    delimiter: guessDelimiter(text),
    chunkSize: 1 << 20,
    chunk: (result: Papa.ParseResult<string[]>) => {
      const first = row;
      for (const cells of result.data) sink.push(cells, ++row, 0);
      for (const e of result.errors) {
        if (e.code !== "UndetectableDelimiter")
          errors.push({ row: first + (e.row ?? 0) + 1, message: e.message });
      }
    },
  };
  Papa.parse(text, config as Papa.ParseConfig<string[]>);
  return errors;
}

/**
 * The export's delimiter, read off its first "Payment Number" header line: that line lists at least four
 * column names, so the candidate splitting it into the most fields wins. Papaparse's own guess looks at
 * the first rows, which in a German export ("2.358,40 €" under a ";" header) can mislead it.
 */
export function guessDelimiter(text: string): string {
  const at = text.search(/payment number/i);
  if (at < 0) return "";
  const start = text.lastIndexOf("\n", at) + 1;
  const end = text.indexOf("\n", at);
  const line = text.slice(start, end < 0 ? undefined : end);
  let best = "";
  let bestCount = 0;
  for (const d of [",", ";", "\t", "|"]) {
    const count = line.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Push every sheet of a workbook. Dates stay Excel serial numbers (cellDates off): turning them into JS
 * Dates would bring the machine's timezone in; the date reader converts serials exactly.
 */
export function readWorkbook(
  bytes: Uint8Array,
  sink: RowSink & { startSheet(name: string): void },
): string[] {
  const wb = XLSX.read(bytes, {
    type: "array",
    dense: true,
    cellDates: false,
    cellFormula: false,
    cellHTML: false,
  });
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    if (!ws) continue;
    sink.startSheet(name);
    const data = (ws as unknown as { "!data"?: (XLSX.CellObject | undefined)[][] })["!data"] ?? [];
    for (let r = 0; r < data.length; r++) {
      const src = data[r];
      if (!src) continue;
      const cells: Cell[] = new Array(src.length);
      for (let c = 0; c < src.length; c++) cells[c] = cellValue(src[c]);
      sink.push(cells, r + 1, 0);
    }
  }
  return wb.SheetNames;
}

function cellValue(cell: XLSX.CellObject | undefined): Cell {
  if (!cell) return null;
  switch (cell.t) {
    case "n":
    case "s":
    case "b":
      return cell.v as Cell;
    case "d":
      return cell.v as Date;
    case "e":
      return cell.w ?? "#ERROR";
    default:
      return null;
  }
}

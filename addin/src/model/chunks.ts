/**
 * Splitting bulk writes into requests Excel on the web accepts (5 MB per request): rows are packed greedily
 * into chunks under a byte budget, one `sync` per chunk. The estimate is the JSON the request carries for
 * the values plus the number formats of text columns.
 */
import type { SheetDef } from "./sheets";
import type { Row } from "./types";

/** Budget per request: under Excel on the web's 5 MB limit with room for the batch's other commands. */
export const REQUEST_BUDGET_BYTES = 4 * 1024 * 1024;

export interface Chunk {
  /** 0-based index of the first data row in the chunk. */
  start: number;
  count: number;
  bytes: number;
}

const encoder = new TextEncoder();

/**
 * Bytes one row adds to a request: its values as JSON, plus `["@"],` for each text-formatted cell (number
 * formats go per column as n×1 arrays, queued before the values).
 */
export function rowBytes(row: Row, textColumns = 0): number {
  let n = 2; // [ ]
  for (const v of row) {
    n += 1; // ,
    if (typeof v === "string") n += encoder.encode(JSON.stringify(v)).length;
    else n += String(v).length;
  }
  return n + textColumns * 6;
}

export function textColumnCount(def: SheetDef): number {
  return def.columns.filter((c) => c.format === "text" || c.format === "link").length;
}

/** Greedy packing: each chunk as large as fits in `budget` bytes (always at least one row). */
export function chunkRows(rows: readonly Row[], textColumns: number, budget = REQUEST_BUDGET_BYTES): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    const b = rowBytes(rows[i] ?? [], textColumns);
    if (i > start && bytes + b > budget) {
      chunks.push({ start, count: i - start, bytes });
      start = i;
      bytes = 0;
    }
    bytes += b;
  }
  if (rows.length > start) chunks.push({ start, count: rows.length - start, bytes });
  return chunks;
}

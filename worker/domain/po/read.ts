/**
 * One entry point for uploaded or fetched purchase-order files: SP-API JSON (orders, order, status) or X12
 * (850, 855), told apart by content, then merged into one PO list. Never throws.
 */
import { assemblePurchaseOrders } from "./assemble";
import { readPoJson } from "./json";
import type { PoProblem, PoReadResult, PurchaseOrder } from "./model";
import { readPoX12, type X12PoOptions } from "./x12";

export function readPoFile(
  fileName: string,
  content: string | Uint8Array,
  options: X12PoOptions = {},
): PoReadResult {
  const text = typeof content === "string" ? content : new TextDecoder("utf-8").decode(content);
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("ISA")) return readPoX12(fileName, start, options);
  if (start.startsWith("{") || start.startsWith("[")) return readPoJson(fileName, start);
  return {
    fileName,
    format: "unknown",
    orders: [],
    problems: [
      {
        severity: "error",
        code: "unknown_format",
        file: fileName,
        message: "not SP-API JSON (starts with {) nor an X12 interchange (starts with ISA)",
      },
    ],
  };
}

export function readPoFiles(
  files: readonly { name: string; content: string | Uint8Array }[],
  options: X12PoOptions = {},
): { orders: PurchaseOrder[]; problems: PoProblem[]; results: PoReadResult[] } {
  const results = files.map((f) => readPoFile(f.name, f.content, options));
  return { ...assemblePurchaseOrders(results), results };
}

/**
 * Mapping workbook ⇄ validated Mappings. XLSX bytes → one text grid per sheet → rows parsed by the column
 * specs in ./sheets.ts → zod. Every error names the sheet, the 1-based row, the column header and the
 * cell address, because a finance user fixes it in Excel, not in JSON.
 */
import * as XLSX from "@e965/xlsx";
import type { z } from "zod";
import {
  deductionRuleSchema,
  type Mappings,
  mappingsSchema,
  settingsSchema,
  skuMappingSchema,
} from "./model";
import { type ColumnSpec, formatCell, MAPPING_SHEETS, parseCell, type SheetSpec } from "./sheets";

export type Grid = readonly (readonly string[])[];

export interface MappingError {
  sheet: string;
  /** 1-based row in the sheet. */
  row?: number;
  column?: string;
  /** A1-style cell address. */
  cell?: string;
  message: string;
}

export type MappingsResult = { ok: true; mappings: Mappings } | { ok: false; errors: MappingError[] };

const ROW_SCHEMAS: Record<SheetSpec["table"], z.ZodType> = {
  deductions: deductionRuleSchema,
  skus: skuMappingSchema,
  settings: settingsSchema,
};

const cellAddress = (rowIndex: number, colIndex: number) =>
  XLSX.utils.encode_cell({ r: rowIndex, c: colIndex });

function setPath(target: Record<string, unknown>, field: string, value: unknown): void {
  const parts = field.split(".");
  let node: Record<string, unknown> | unknown[] = target;
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    const key: string | number = /^\d+$/.test(part) ? Number(part) : part;
    if (last) {
      (node as Record<string | number, unknown>)[key] = value;
    } else {
      const next = (node as Record<string | number, unknown>)[key];
      if (next === undefined) {
        const created = /^\d+$/.test(parts[i + 1] ?? "") ? [] : {};
        (node as Record<string | number, unknown>)[key] = created;
        node = created;
      } else {
        node = next as Record<string, unknown>;
      }
    }
  }
}

/** Drop holes left by partially filled tracking columns so zod sees a dense array. */
function compactArrays(obj: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(obj)) if (Array.isArray(v)) obj[k] = v.filter((x) => x !== undefined);
}

function readSheet(spec: SheetSpec, grid: Grid, errors: MappingError[]): unknown[] {
  const headerIndex = grid.findIndex((r) => r.some((c) => c.trim() !== ""));
  if (headerIndex < 0) return [];
  const header = grid[headerIndex] ?? [];
  const positions = new Map<ColumnSpec, number>();
  for (const column of spec.columns) {
    const at = header.findIndex((h) => h.trim().toLowerCase() === column.header.toLowerCase());
    if (at >= 0) positions.set(column, at);
    else if (column.required) {
      errors.push({
        sheet: spec.name,
        row: headerIndex + 1,
        column: column.header,
        message: "missing column",
      });
    }
  }
  if (spec.columns.some((c) => c.required && !positions.has(c))) return [];

  const rows: unknown[] = [];
  for (let r = headerIndex + 1; r < grid.length; r++) {
    const cells = grid[r] ?? [];
    if (!cells.some((c) => c.trim() !== "")) continue;
    const obj: Record<string, unknown> = { row: r + 1 };
    let rowOk = true;
    for (const [column, at] of positions) {
      const text = (cells[at] ?? "").trim();
      if (text === "") continue;
      const parsed = parseCell(text, column.type);
      if (typeof parsed === "string") {
        errors.push({
          sheet: spec.name,
          row: r + 1,
          column: column.header,
          cell: cellAddress(r, at),
          message: parsed,
        });
        rowOk = false;
      } else {
        setPath(obj, column.field, parsed.value);
      }
    }
    if (!rowOk) continue;
    compactArrays(obj);
    const result = ROW_SCHEMAS[spec.table].safeParse(obj);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = issue.path.map(String).join(".");
        const column =
          spec.columns.find((c) => c.field === path) ?? spec.columns.find((c) => c.field.startsWith(path));
        const at = column ? positions.get(column) : undefined;
        errors.push({
          sheet: spec.name,
          row: r + 1,
          ...(column ? { column: column.header } : {}),
          ...(at !== undefined ? { cell: cellAddress(r, at) } : {}),
          message: column && (cells[at ?? -1] ?? "").trim() === "" ? "required" : issue.message,
        });
      }
      continue;
    }
    rows.push(result.data);
  }
  return rows;
}

/** Validate the three sheets' grids (sheet names matched case-insensitively). */
export function mappingsFromGrids(sheets: Readonly<Record<string, Grid>>): MappingsResult {
  const errors: MappingError[] = [];
  const tables: Record<string, unknown[]> = {};
  for (const spec of MAPPING_SHEETS) {
    const name = Object.keys(sheets).find((n) => n.trim().toLowerCase() === spec.name.toLowerCase());
    const grid = name === undefined ? undefined : sheets[name];
    if (grid === undefined) {
      // The SKU table only matters to purchase orders; an absent sheet is an empty table.
      if (spec.table !== "skus") errors.push({ sheet: spec.name, message: "missing sheet" });
      tables[spec.table] = [];
      continue;
    }
    tables[spec.table] = readSheet(spec, grid, errors);
  }
  if (errors.length > 0) return { ok: false, errors };

  const whole = mappingsSchema.safeParse(tables);
  if (!whole.success) {
    for (const issue of whole.error.issues) {
      const [table, index] = issue.path;
      const spec = MAPPING_SHEETS.find((s) => s.table === table) ?? MAPPING_SHEETS[0]!;
      const row =
        typeof index === "number"
          ? (tables[spec.table]?.[index] as { row?: number } | undefined)?.row
          : undefined;
      errors.push({ sheet: spec.name, ...(row !== undefined ? { row } : {}), message: issue.message });
    }
    return { ok: false, errors };
  }
  return { ok: true, mappings: whole.data };
}

/** Cell → text: strings as typed; numbers by their shortest exact decimal; booleans TRUE/FALSE. */
function cellToText(cell: XLSX.CellObject | undefined): string {
  if (!cell || cell.v === undefined || cell.v === null) return "";
  if (cell.t === "b") return cell.v ? "TRUE" : "FALSE";
  if (cell.t === "d" && cell.v instanceof Date) return cell.v.toISOString().slice(0, 10);
  return String(cell.v);
}

export function workbookToGrids(bytes: Uint8Array): Record<string, string[][]> {
  const wb = XLSX.read(bytes, { type: "array" });
  const grids: Record<string, string[][]> = {};
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    if (!ws?.["!ref"]) {
      grids[name] = [];
      continue;
    }
    const range = XLSX.utils.decode_range(ws["!ref"]);
    const grid: string[][] = [];
    for (let r = 0; r <= range.e.r; r++) {
      const row: string[] = [];
      for (let c = 0; c <= range.e.c; c++)
        row.push(cellToText(ws[cellAddress(r, c)] as XLSX.CellObject | undefined));
      grid.push(row);
    }
    grids[name] = grid;
  }
  return grids;
}

/** XLSX bytes → validated mappings, or errors naming sheet, row and column. */
export function readMappingWorkbook(bytes: Uint8Array): MappingsResult {
  let grids: Record<string, string[][]>;
  try {
    grids = workbookToGrids(bytes);
  } catch (e) {
    return { ok: false, errors: [{ sheet: "(workbook)", message: `not a readable workbook: ${String(e)}` }] };
  }
  return mappingsFromGrids(grids);
}

/** Mappings → one text grid per sheet with the documented headers (what the add-in writes). */
export function mappingsToGrids(m: Mappings): Record<string, string[][]> {
  const grids: Record<string, string[][]> = {};
  for (const spec of MAPPING_SHEETS) {
    const rows = m[spec.table] as readonly object[];
    grids[spec.name] = [
      spec.columns.map((c) => c.header),
      ...rows.map((row) =>
        spec.columns.map((c) => {
          const value = c.field
            .split(".")
            .reduce<unknown>(
              (v, k) => (v === undefined || v === null ? undefined : (v as Record<string, unknown>)[k]),
              row,
            );
          return formatCell(value, c.type);
        }),
      ),
    ];
  }
  return grids;
}

/** Mappings → XLSX bytes; every cell is text so codes such as "090" keep their leading zeros. */
export function writeMappingWorkbook(m: Mappings): Uint8Array {
  const wb = XLSX.utils.book_new();
  for (const [name, grid] of Object.entries(mappingsToGrids(m))) {
    const ws = XLSX.utils.aoa_to_sheet(grid);
    for (const key of Object.keys(ws)) {
      const cell = ws[key] as XLSX.CellObject | undefined;
      if (!key.startsWith("!") && cell) cell.z = "@";
    }
    XLSX.utils.book_append_sheet(wb, ws, name);
  }
  return new Uint8Array(XLSX.write(wb, { type: "array", bookType: "xlsx" }) as ArrayBuffer);
}

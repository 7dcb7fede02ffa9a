import { applyOrder, readDate, resolveDateOrder } from "./dates";
import type { Cell } from "./grid";
import type { DateOrder } from "./model";
import type { Problems } from "./problems";

/** Where a column is, shared by every row under one header row (so reading a row allocates nothing). */
export interface ColumnAt {
  header: string;
  columnIndex?: number;
  sheet?: string;
}

/**
 * Reads the date cells of one file. A date that needs the file's date order (numeric day/month text) is
 * written into its target only when `resolve` has fixed the order from the whole file — decided once,
 * never per cell. Pending dates are kept in flat arrays: a 100k-line file has 100k of them.
 */
export class DateReader {
  private readonly targets: Record<string, unknown>[] = [];
  private readonly keys: string[] = [];
  /** first * 1e6 + second * 1e4 + year */
  private readonly packed: number[] = [];
  private readonly rows: number[] = [];
  private readonly columns: ColumnAt[] = [];
  private readonly cells: Cell[] = [];

  constructor(
    private readonly problems: Problems,
    private readonly explicit: DateOrder | undefined,
  ) {}

  /** Read `cell` into `target[key]` (now, or at `resolve`). */
  read(cell: Cell, row: number, column: ColumnAt, required: boolean, target: object, key: string): void {
    const r = typeof cell === "string" ? this.cached(cell) : readDate(cell ?? null);
    switch (r.kind) {
      case "date":
        (target as Record<string, unknown>)[key] = r.iso;
        return;
      case "empty":
        if (required)
          this.problems.cell("error", "missing_date", { row, ...column }, cell, "expected a date");
        return;
      case "invalid":
        this.problems.cell("error", "bad_date", { row, ...column }, cell, `which ${r.reason}`);
        return;
      case "numeric":
        this.targets.push(target as Record<string, unknown>);
        this.keys.push(key);
        this.packed.push(r.first * 1e6 + r.second * 1e4 + r.year);
        this.rows.push(row);
        this.columns.push(column);
        this.cells.push(cell);
    }
  }

  /** A file repeats a few hundred distinct dates over 100k lines: read each text once. */
  private readonly cache = new Map<string, ReturnType<typeof readDate>>();
  private cached(text: string): ReturnType<typeof readDate> {
    let r = this.cache.get(text);
    if (r === undefined) {
      r = readDate(text);
      if (this.cache.size < 50_000) this.cache.set(text, r);
    }
    return r;
  }

  /** Decide the order and finish every pending date; reports ambiguity instead of guessing. */
  resolve(): DateOrder | undefined {
    const parts = (i: number) => {
      const p = this.packed[i] ?? 0;
      return { first: Math.floor(p / 1e6), second: Math.floor(p / 1e4) % 100, year: p % 1e4 };
    };
    const distinct = new Set(this.packed);
    const decision = resolveDateOrder(
      [...distinct].map((p) => ({
        first: Math.floor(p / 1e6),
        second: Math.floor(p / 1e4) % 100,
        year: p % 1e4,
      })),
      this.explicit,
    );
    if (!decision.ok) {
      this.problems.add({
        severity: "error",
        code: decision.reason === "ambiguous" ? "ambiguous_dates" : "conflicting_dates",
        message:
          decision.reason === "ambiguous"
            ? `The dates in this file are ambiguous: '${decision.example}' could be month/day or day/month. ` +
              "Choose the marketplace, or pass --locale us (MM/DD/YYYY) or --locale eu (DD/MM/YYYY)."
            : `The dates in this file mix MM/DD/YYYY and DD/MM/YYYY (for example ${decision.example}); ` +
              "fix the file or choose the marketplace.",
      });
      return undefined;
    }
    const order = decision.order;
    const done = new Map<number, string | undefined>(); // one string per distinct date, shared by its lines
    for (let i = 0; i < this.packed.length; i++) {
      const key = this.packed[i] ?? 0;
      let iso = done.get(key);
      if (iso === undefined && !done.has(key)) {
        iso = applyOrder(parts(i), order ?? "MDY");
        done.set(key, iso);
      }
      if (iso) (this.targets[i] as Record<string, unknown>)[this.keys[i] ?? ""] = iso;
      else {
        const fmt = order === "DMY" ? "DD/MM/YYYY" : "MM/DD/YYYY";
        const at = { row: this.rows[i] ?? 0, ...(this.columns[i] ?? { header: "" }) };
        this.problems.cell("error", "bad_date", at, this.cells[i], `which is not a valid ${fmt} date`);
      }
    }
    return order;
  }
}

import { applyOrder, readDate, resolveDateOrder } from "./dates";
import type { Cell } from "./grid";
import type { DateOrder } from "./model";
import type { Problems } from "./problems";

interface Pending {
  parts: { first: number; second: number; year: number };
  at: { row: number; header: string; columnIndex?: number; sheet?: string };
  cell: Cell;
  iso?: string;
}

type At = Pending["at"];

/**
 * Reads the date cells of one file. Each `read` returns a getter that yields the date once `resolve` has
 * fixed the file's date order, so the order is decided once, from the whole file, never per cell.
 */
export class DateReader {
  private readonly pending: Pending[] = [];

  constructor(
    private readonly problems: Problems,
    private readonly explicit: DateOrder | undefined,
  ) {}

  read(cell: Cell, at: At, required: boolean): () => string | undefined {
    const r = readDate(cell ?? null);
    switch (r.kind) {
      case "date":
        return () => r.iso;
      case "empty":
        if (required) this.problems.cell("error", "missing_date", at, cell, "expected a date");
        return () => undefined;
      case "invalid":
        this.problems.cell("error", "bad_date", at, cell, `which ${r.reason}`);
        return () => undefined;
      case "numeric": {
        const p: Pending = { parts: r, at, cell };
        this.pending.push(p);
        return () => p.iso;
      }
    }
  }

  /** Decide the order and finish every pending date; reports ambiguity instead of guessing. */
  resolve(): DateOrder | undefined {
    const decision = resolveDateOrder(
      this.pending.map((p) => p.parts),
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
    for (const p of this.pending) {
      const iso = applyOrder(p.parts, order ?? "MDY");
      if (iso) p.iso = iso;
      else {
        const fmt = order === "DMY" ? "DD/MM/YYYY" : "MM/DD/YYYY";
        this.problems.cell("error", "bad_date", p.at, p.cell, `which is not a valid ${fmt} date`);
      }
    }
    return order;
  }
}

/**
 * The Disputes sheet (issue 9): the Worker's dispute register (`GET …/disputes`) → one row per deduction,
 * and the rows a person edited (Status, Note) → the `PATCH …/disputes/:key` bodies to send. Pure.
 */
import { a1, headerIndex, toRow } from "./grid";
import { DISPUTE_STATUS_OPTIONS, DISPUTES_SHEET } from "./sheets";
import type { Row } from "./types";
import type { CellMark } from "./validation";

export type DisputeStatus = (typeof DISPUTE_STATUS_OPTIONS)[number];

/** One record of `GET …/disputes` (docs/api-contract.md "Monitoring"); only what the sheet uses is typed. */
export interface ApiDispute {
  id: string;
  paymentNumber: string;
  paymentDate: string | null;
  documentNumber: string;
  kind: string;
  amount: string;
  outstanding: string;
  currency: string;
  deadline?: string;
  daysLeft?: number;
  status: DisputeStatus;
  note?: string;
}

export interface DisputePatch {
  key: string;
  /** 0-based body row of the sheet's table the change came from. */
  index: number;
  body: { status: DisputeStatus; note?: string };
}

export interface DisputeChanges {
  patches: DisputePatch[];
  /** Edits refused before anything is sent (unknown status, note without a status change, unknown key). */
  problems: { index: number; column: "Status" | "Note" | "Key"; message: string }[];
}

export function disputeRows(disputes: readonly ApiDispute[]): Row[] {
  return disputes.map((d) =>
    toRow(DISPUTES_SHEET, [
      d.id,
      d.paymentNumber,
      d.documentNumber,
      d.kind.replace(/_/g, " "),
      d.amount,
      d.currency,
      d.deadline ?? "",
      d.daysLeft ?? "",
      d.status,
      d.note ?? "",
    ]),
  );
}

const text = (v: unknown) => (v === null || v === undefined ? "" : String(v)).trim();

const isStatus = (s: string): s is DisputeStatus => (DISPUTE_STATUS_OPTIONS as readonly string[]).includes(s);

/**
 * Compare the sheet (header + body as read back, columns possibly reordered) with what was loaded: one
 * PATCH per row whose status or note changed. The Worker moves a dispute only to a new status (the same
 * status is refused), so a note edited without a status change is reported instead of sent.
 */
export function disputeChanges(
  values: readonly (readonly unknown[])[],
  loaded: readonly ApiDispute[],
): DisputeChanges {
  const [header = [], ...body] = values;
  const idx = headerIndex(header.map(text));
  const col = (h: string) => idx.get(h.toLowerCase());
  const keyCol = col("Key");
  const statusCol = col("Status");
  const noteCol = col("Note");
  const byKey = new Map(loaded.map((d) => [d.id, d]));
  const out: DisputeChanges = { patches: [], problems: [] };
  if (keyCol === undefined || statusCol === undefined) return out;
  body.forEach((row, index) => {
    const key = text(row[keyCol]);
    if (!key) return;
    const was = byKey.get(key);
    if (!was) {
      out.problems.push({
        index,
        column: "Key",
        message: `${key} is not in the loaded register: load disputes again.`,
      });
      return;
    }
    const status = text(row[statusCol]).toLowerCase();
    const note = noteCol === undefined ? (was.note ?? "") : text(row[noteCol]);
    const noteChanged = note !== (was.note ?? "");
    if (status === was.status) {
      if (noteChanged)
        out.problems.push({
          index,
          column: "Note",
          message: "A note is saved with a status change: choose the new status too.",
        });
      return;
    }
    if (!isStatus(status)) {
      out.problems.push({
        index,
        column: "Status",
        message: `Status must be one of ${DISPUTE_STATUS_OPTIONS.join(", ")}.`,
      });
      return;
    }
    out.patches.push({ key, index, body: { status, ...(noteChanged ? { note } : {}) } });
  });
  return out;
}

/** A mark on the Status (or Note/Key) cell of body row `index`, the table at A1 (header in row 0). */
export function disputeMark(
  header: readonly unknown[],
  index: number,
  column: "Status" | "Note" | "Key",
  message: string,
): CellMark {
  const at = headerIndex(header.map(text)).get(column.toLowerCase());
  const c = at ?? DISPUTES_SHEET.columns.findIndex((x) => x.header === column);
  return { sheet: DISPUTES_SHEET.name, row: index + 1, column: c, address: a1(index + 1, c), message };
}

/**
 * The "Month-end report" sheet from `GET …/reports/month/:period` (JSON): the figures table (each tied to the
 * ledger where the Worker could), the cells to flag where VCX and the ledger differ, and net deductions by
 * kind for the chart. Pure.
 */
import type { monthEndToJson } from "../../../worker/domain/monitoring/month-end";
import { a1, toRow } from "./grid";
import { MONTH_END_BY_KIND_SHEET, MONTH_END_SHEET } from "./sheets";
import type { Row } from "./types";
import type { CellMark } from "./validation";

export type MonthEndJson = ReturnType<typeof monthEndToJson>;

export interface MonthEndSheet {
  rows: Row[];
  byKindRows: Row[];
  /** Difference and Status cells of every figure that does not tie (0-based sheet coordinates, table at A1). */
  marks: CellMark[];
  differences: number;
  flags: string[];
}

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isPeriod(text: string): boolean {
  return PERIOD.test(text.trim());
}

/** The month before `now` (month-end is run after the month closes), as YYYY-MM. */
export function previousPeriod(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

export function monthEndSheet(r: MonthEndJson): MonthEndSheet {
  const base = r.organisation.baseCurrency;
  const rows: Row[] = [];
  const add = (
    section: string,
    figure: string,
    o: {
      account?: string;
      currency?: string;
      vcx?: string | number;
      ledger?: string | number;
      diff?: string | number;
      status?: string;
    } = {},
  ) =>
    rows.push(
      toRow(MONTH_END_SHEET, [
        section,
        figure,
        o.account ?? "",
        o.currency ?? "",
        o.vcx ?? "",
        o.ledger ?? "",
        o.diff ?? "",
        o.status ?? "",
      ]),
    );
  add("Report", `Month-end control ${r.period} (${r.from} – ${r.to}), basis ${r.basis}`, { currency: base });
  for (const [cur, total] of Object.entries(r.poInvoices.totalsByCurrency))
    add("PO invoices", `${r.poInvoices.count} invoice(s) raised from purchase orders`, {
      currency: cur,
      vcx: total,
    });
  if (r.poInvoices.count === 0) add("PO invoices", "No invoices raised from purchase orders", { vcx: 0 });
  add("Remittances", `${r.remittances.received} received, ${r.remittances.posted} posted`);
  for (const [cur, total] of Object.entries(r.remittances.totalsByCurrency))
    add("Remittances", "Amount received", { currency: cur, vcx: total });
  for (const d of r.deductions)
    add("Deductions", `${d.kind.replace(/_/g, " ")} (net of reversals)`, {
      account: d.accountCode,
      currency: d.currency,
      vcx: d.net,
    });
  for (const c of r.creditNotes)
    add("Credit notes", `${c.reference} (${c.date})${c.posted ? "" : " — not posted"}`, {
      account: c.accountCodes.join(" "),
      currency: c.currency,
      vcx: c.amount,
    });
  for (const p of r.provisions)
    add("Provisions", "Outstanding", { currency: p.currency, vcx: p.outstanding });
  add("Clearing", r.clearing.zero ? "Movement (zero, as it should be)" : "Movement — should be zero", {
    account: r.clearing.accountCode,
    currency: base,
    vcx: r.clearing.movement,
    ...(r.clearing.balance !== undefined ? { ledger: r.clearing.balance } : {}),
    status: r.clearing.zero ? "ok" : "difference",
  });
  for (const [bucket, amount] of Object.entries(r.receivables.byBucket))
    add("Receivables", `Open Amazon receivables ${bucket} days`, { currency: base, vcx: amount });
  add("Exceptions", "Open exceptions and alerts", { vcx: r.exceptions.total });
  for (const t of r.ties)
    add("Ledger tie", t.figure, {
      account: [t.accountCode, t.accountName].filter(Boolean).join(" "),
      currency: base,
      vcx: t.vcx,
      ...(t.ledger !== undefined ? { ledger: t.ledger } : {}),
      ...(t.difference !== undefined ? { diff: t.difference } : {}),
      status: t.status.replace(/_/g, " "),
    });
  for (const f of r.flags) add("Flag", f, { status: "check" });

  const diffCol = MONTH_END_SHEET.columns.findIndex((c) => c.header === "Difference");
  const statusCol = MONTH_END_SHEET.columns.findIndex((c) => c.header === "Status");
  const marks: CellMark[] = [];
  rows.forEach((row, i) => {
    if (row[statusCol] !== "difference") return;
    const why = `${row[1]}: VCX ${row[4]} vs ledger ${row[5] === "" ? "n/a" : row[5]}`;
    for (const column of [diffCol, statusCol])
      marks.push({
        sheet: MONTH_END_SHEET.name,
        row: i + 1,
        column,
        address: a1(i + 1, column),
        message: why,
      });
  });

  const byKind = new Map<string, number>();
  for (const d of r.deductions) {
    const k = d.kind.replace(/_/g, " ");
    byKind.set(k, (byKind.get(k) ?? 0) + Number(d.net));
  }
  const byKindRows = [...byKind.entries()].map(([k, v]) =>
    toRow(MONTH_END_BY_KIND_SHEET, [k, Math.round(v * 100) / 100]),
  );
  return {
    rows,
    byKindRows,
    marks,
    differences: rows.filter((r) => r[statusCol] === "difference").length,
    flags: r.flags,
  };
}

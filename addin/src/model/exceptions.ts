/** The Exceptions sheet: open exceptions from the plan and the Worker, with reason, fix and age. */
import { toRow } from "./grid";
import { EXCEPTIONS_SHEET } from "./sheets";
import type { PlanJson, Row } from "./types";

export interface ApiException {
  id: string;
  remittanceId: string;
  row: number | null;
  code: string;
  reason: string;
  fix: string;
  status: "open" | "resolved";
  createdAt: string;
  paymentNumber?: string;
  documentNumber?: string;
  severity?: "blocking" | "warning";
}

const DAY = 86_400_000;

export function ageInDays(createdAt: string, now: Date): number {
  const t = Date.parse(createdAt);
  return Number.isFinite(t) ? Math.max(0, Math.floor((now.getTime() - t) / DAY)) : 0;
}

/**
 * Plan exceptions first (they block this remittance), then stored open exceptions the plan does not
 * repeat (same row and code). Resolved ones are left out.
 */
export function exceptionRows(plan: PlanJson | undefined, stored: readonly ApiException[], now: Date): Row[] {
  const rows: Row[] = [];
  const seen = new Set<string>();
  for (const e of plan?.exceptions ?? []) {
    const match = stored.find((s) => s.code === e.code && (s.row ?? undefined) === e.row);
    seen.add(`${e.code}:${e.row ?? ""}`);
    rows.push(
      toRow(EXCEPTIONS_SHEET, [
        e.paymentNumber,
        e.row ?? "",
        e.documentNumber ?? "",
        e.code,
        e.severity,
        e.reason,
        e.fix,
        match ? ageInDays(match.createdAt, now) : 0,
        "open",
        match?.id ?? "",
      ]),
    );
  }
  for (const s of stored) {
    if (s.status !== "open" || seen.has(`${s.code}:${s.row ?? ""}`)) continue;
    rows.push(
      toRow(EXCEPTIONS_SHEET, [
        s.paymentNumber ?? "",
        s.row ?? "",
        s.documentNumber ?? "",
        s.code,
        s.severity ?? "",
        s.reason,
        s.fix,
        ageInDays(s.createdAt, now),
        s.status,
        s.id,
      ]),
    );
  }
  return rows;
}

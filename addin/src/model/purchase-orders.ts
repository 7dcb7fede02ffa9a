/**
 * The Purchase Orders sheet from a PO preview (`POST …/purchase-orders/preview`): one row per PO line with
 * its eaches, the unit cost and invoice it is planned on, and its exceptions. Pure.
 */
import type { PoPlan } from "../../../worker/domain/po/plan";
import { toRow } from "./grid";
import { PURCHASE_ORDERS_SHEET } from "./sheets";
import type { Row } from "./types";

export type PoPlanJson = PoPlan;
export interface PoPreviewJson {
  plan: PoPlanJson;
  previewedAt: string;
}

/** `POST …/purchase-orders` → 201/200. */
export interface PoImportJson {
  import: { id: string; fileName: string; format: string; vendorCode: string | null; orders: number };
  replayed: boolean;
  created: { orders: unknown[]; changed: unknown[]; pieces: number };
  problems: { severity: string; message: string }[];
}

export interface PoSummary {
  rows: Row[];
  invoices: number;
  blocking: number;
  warnings: number;
  orders: number;
}

export function poRows(plan: PoPlanJson): PoSummary {
  const links = new Map<string, { unit: number; invoice: string }>();
  for (const inv of plan.invoices)
    for (const l of inv.links)
      links.set(`${l.purchaseOrderNumber}\u0000${l.sequence}`, {
        unit: l.unitAmount4 / 10_000,
        invoice: inv.body.InvoiceNumber,
      });
  const rows = plan.lines.map((l) => {
    const key = `${l.purchaseOrderNumber}\u0000${l.sequence}`;
    const link = links.get(key);
    const exceptions = plan.exceptions.filter(
      (e) =>
        e.purchaseOrderNumber === l.purchaseOrderNumber &&
        (e.sequence === undefined || e.sequence === l.sequence),
    );
    return toRow(PURCHASE_ORDERS_SHEET, [
      l.purchaseOrderNumber,
      l.sequence,
      l.asin ?? "",
      l.vendorSku ?? "",
      l.itemCode ?? "",
      l.orderedEaches,
      l.acceptedEaches ?? "",
      l.receivedEaches ?? "",
      l.invoicedBefore,
      l.invoicedNow,
      link ? link.unit : "",
      l.status.replace(/_/g, " "),
      link?.invoice ?? "",
      exceptions
        .map((e) => `${e.severity === "blocking" ? "BLOCKING " : ""}${e.code}: ${e.reason}`)
        .join("\n"),
    ]);
  });
  // Exceptions on a PO with no line outcome (e.g. an unknown vendor code) still get a row.
  const covered = new Set(plan.lines.map((l) => l.purchaseOrderNumber));
  for (const e of plan.exceptions)
    if (!covered.has(e.purchaseOrderNumber))
      rows.push(
        toRow(PURCHASE_ORDERS_SHEET, [
          e.purchaseOrderNumber,
          e.sequence ?? "",
          "",
          e.product ?? "",
          "",
          "",
          "",
          "",
          "",
          "",
          "",
          "held",
          "",
          `${e.severity === "blocking" ? "BLOCKING " : ""}${e.code}: ${e.reason}`,
        ]),
      );
  return {
    rows,
    invoices: plan.invoices.filter((i) => !plan.alreadyPosted.includes(i.key)).length,
    blocking: plan.exceptions.filter((e) => e.severity === "blocking").length,
    warnings: plan.exceptions.filter((e) => e.severity === "warning").length,
    orders: plan.orders.length,
  };
}

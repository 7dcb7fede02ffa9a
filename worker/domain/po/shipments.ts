/**
 * Shipment confirmations (ASN; SP-API vendorShipments submitShipmentConfirmations bodies) → the shipments the
 * planner invoices one by one. Shipped quantities may be in Cases without a unitSize (Amazon's own example)
 * — the case size then comes from the PO line — and weight-priced lines carry `totalWeight`, which must be in
 * the unit the PO's netCost is priced in. Item sequence numbers here look like "001"; they match PO line 1.
 */
import { z } from "zod";
import { parseScaled } from "./decimal";
import { showPath } from "./json";
import type { PoProblem, PurchaseOrder, StatedQuantity, WeightUnit } from "./model";
import type { PoShipment } from "./plan";
import { dateTimeSchema, itemQuantitySchema, orderPartySchema, sequenceSchema, WEIGHT_UNITS } from "./sp-api";

const weightSchema = z.object({
  amount: z.union([z.string(), z.number()]).transform((v, ctx) => {
    const n = parseScaled(String(v), 4);
    if (n === undefined || n < 0) {
      ctx.addIssue({ code: "custom", message: `"${String(v)}" is not a weight with at most 4 decimals` });
      return z.NEVER;
    }
    return n;
  }),
  unitOfMeasure: z.string().transform((s, ctx): WeightUnit => {
    const hit = WEIGHT_UNITS.find((u) => u === s.trim().toUpperCase());
    if (!hit) {
      ctx.addIssue({ code: "custom", message: `"${s}" is not one of ${WEIGHT_UNITS.join(", ")}` });
      return z.NEVER;
    }
    return hit;
  }),
});

const shippedItemSchema = z.object({
  itemSequenceNumber: sequenceSchema,
  amazonProductIdentifier: z.string().optional(),
  vendorProductIdentifier: z.string().optional(),
  shippedQuantity: z.object({ totalWeight: weightSchema.optional() }).passthrough(),
  itemDetails: z
    .object({ purchaseOrderNumber: z.string().trim().min(1).optional() })
    .passthrough()
    .optional(),
});

const confirmationSchema = z.object({
  shipmentIdentifier: z.string().trim().min(1),
  shipmentConfirmationType: z.string().optional(),
  shipmentConfirmationDate: dateTimeSchema,
  shippedDate: dateTimeSchema.optional(),
  sellingParty: orderPartySchema.optional(),
  shippedItems: z.array(z.unknown()),
});

export interface ShippedLine {
  purchaseOrderNumber: string;
  sequence: number;
  quantity: StatedQuantity;
  totalWeight?: { amount4: number; unit: WeightUnit };
  source: string;
}

export interface ShipmentConfirmation {
  shipmentId: string;
  type?: string;
  /** YYYY-MM-DD: shippedDate, else the confirmation date. */
  date: string;
  vendorCode?: string;
  lines: ShippedLine[];
}

export function readShipmentConfirmations(
  fileName: string,
  text: string,
): { shipments: ShipmentConfirmation[]; problems: PoProblem[] } {
  const problems: PoProblem[] = [];
  const add = (path: PropertyKey[], code: string, message: string) =>
    problems.push({
      severity: "error",
      code,
      file: fileName,
      path: showPath(path),
      message: `${showPath(path)}: ${message}`,
    });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    add([], "bad_json", `not JSON (${e instanceof Error ? e.message : String(e)})`);
    return { shipments: [], problems };
  }
  const list = (json as { shipmentConfirmations?: unknown })?.shipmentConfirmations;
  if (!Array.isArray(list)) {
    add([], "not_a_shipment", "no shipmentConfirmations array: not a submitShipmentConfirmations body");
    return { shipments: [], problems };
  }
  const byId = new Map<string, ShipmentConfirmation>();
  for (const [i, raw] of list.entries()) {
    const base = ["shipmentConfirmations", i];
    const head = confirmationSchema.safeParse(raw);
    if (!head.success) {
      for (const issue of head.error.issues) add([...base, ...issue.path], "invalid_field", issue.message);
      continue;
    }
    const s = head.data;
    const shipment: ShipmentConfirmation = {
      shipmentId: s.shipmentIdentifier,
      ...(s.shipmentConfirmationType ? { type: s.shipmentConfirmationType } : {}),
      date: s.shippedDate ?? s.shipmentConfirmationDate,
      ...(s.sellingParty ? { vendorCode: s.sellingParty.partyId } : {}),
      lines: [],
    };
    for (const [j, rawItem] of s.shippedItems.entries()) {
      const path = [...base, "shippedItems", j];
      const item = shippedItemSchema.safeParse(rawItem);
      const qty = item.success ? itemQuantitySchema.safeParse(item.data.shippedQuantity) : undefined;
      if (!item.success || !qty?.success) {
        for (const issue of (item.success ? qty?.error?.issues : item.error.issues) ?? [])
          add(
            [...path, ...(item.success ? ["shippedQuantity"] : []), ...issue.path],
            "invalid_field",
            issue.message,
          );
        continue;
      }
      const po = item.data.itemDetails?.purchaseOrderNumber;
      if (!po) {
        add(
          [...path, "itemDetails", "purchaseOrderNumber"],
          "no_purchase_order",
          "the shipped item names no purchase order",
        );
        continue;
      }
      const w = item.data.shippedQuantity.totalWeight;
      shipment.lines.push({
        purchaseOrderNumber: po,
        sequence: item.data.itemSequenceNumber.sequence,
        quantity: qty.data,
        ...(w ? { totalWeight: { amount4: w.amount, unit: w.unitOfMeasure } } : {}),
        source: `${fileName}#${showPath(path)}`,
      });
    }
    // A "Replace" confirmation supersedes the earlier one with the same identifier.
    byId.set(shipment.shipmentId, shipment);
  }
  return { shipments: [...byId.values()], problems };
}

/**
 * Shipments in eaches per PO, for `planPoInvoices({ shipments })`: Cases × unitSize, or × the PO line's case
 * size when the ASN gives none; the weight must be in the netCost's unit.
 */
export function shipmentsForPlanning(
  confirmations: readonly ShipmentConfirmation[],
  orders: readonly PurchaseOrder[],
): { shipments: PoShipment[]; problems: PoProblem[] } {
  const problems: PoProblem[] = [];
  const out: PoShipment[] = [];
  for (const c of confirmations) {
    const byPo = new Map<string, PoShipment>();
    for (const l of c.lines) {
      const problem = (code: string, message: string) =>
        problems.push({
          severity: "error",
          code,
          file: l.source.split("#")[0] ?? "",
          path: l.source.split("#")[1] ?? "",
          message,
        });
      const po = orders.find((o) => o.purchaseOrderNumber === l.purchaseOrderNumber);
      const poLine = po?.lines.find((x) => x.sequence === l.sequence);
      if (!poLine) {
        problem(
          "unknown_po_line",
          `shipment ${c.shipmentId}: PO ${l.purchaseOrderNumber} line ${l.sequence} is not among the purchase orders read`,
        );
        continue;
      }
      let eaches: number;
      if (l.quantity.unit === "Eaches") eaches = l.quantity.amount;
      else {
        const size = l.quantity.unitSize ?? poLine.ordered.unitSize;
        if (size === undefined) {
          problem(
            "case_without_size",
            `shipment ${c.shipmentId}: PO ${l.purchaseOrderNumber} line ${l.sequence} shipped in Cases and neither the ASN nor the PO gives the case size`,
          );
          continue;
        }
        eaches = l.quantity.amount * size;
      }
      const priced = poLine.netCost?.weightUnit;
      if (priced && l.totalWeight && l.totalWeight.unit !== priced) {
        problem(
          "weight_unit_mismatch",
          `shipment ${c.shipmentId}: PO ${l.purchaseOrderNumber} line ${l.sequence} is priced per ${priced} but the weight is in ${l.totalWeight.unit}`,
        );
        continue;
      }
      const s = byPo.get(l.purchaseOrderNumber) ?? {
        purchaseOrderNumber: l.purchaseOrderNumber,
        shipmentId: c.shipmentId,
        date: c.date,
        lines: [],
      };
      byPo.set(l.purchaseOrderNumber, s);
      s.lines.push({
        sequence: l.sequence,
        eaches,
        ...(l.totalWeight ? { totalWeight4: l.totalWeight.amount4 } : {}),
      });
    }
    out.push(...byPo.values());
  }
  return { shipments: out, problems };
}

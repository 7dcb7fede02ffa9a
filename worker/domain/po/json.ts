/**
 * SP-API JSON → normalised purchase orders. Accepts a getPurchaseOrders page (`payload.orders`), a
 * getPurchaseOrder response (`payload` is the order), a getPurchaseOrdersStatus page
 * (`payload.ordersStatus`), the same without the `payload` wrapper, and Amazon's `{errors:[…]}`. Each order
 * and each item is validated on its own so one bad line is reported with its JSON path and the rest still
 * reads. Never throws.
 */
import type { z } from "zod";
import type { PoLine, PoProblem, PoReadResult, PoSourceFormat, PurchaseOrder } from "./model";
import {
  errorListSchema,
  orderDetailsSchema,
  orderItemSchema,
  orderSchema,
  orderStatusSchema,
  statusItemSchema,
  toEaches,
} from "./sp-api";

type Path = PropertyKey[];

export function showPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out || "(root)";
}

class Collector {
  readonly list: PoProblem[] = [];
  constructor(readonly file: string) {}
  add(severity: PoProblem["severity"], code: string, path: Path, message: string): void {
    const where = showPath(path);
    this.list.push({ severity, code, file: this.file, path: where, message: `${where}: ${message}` });
  }
  zod(error: z.ZodError, base: Path, severity: PoProblem["severity"] = "error"): void {
    for (const i of error.issues) this.add(severity, "invalid_field", [...base, ...i.path], i.message);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function readPoJson(fileName: string, text: string): PoReadResult {
  const c = new Collector(fileName);
  const result: PoReadResult = { fileName, format: "unknown", orders: [], problems: c.list };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    c.add("error", "bad_json", [], `not JSON (${e instanceof Error ? e.message : String(e)})`);
    return result;
  }
  return readPoValue(fileName, json);
}

/** Same as readPoJson for an already parsed value (the connector's responses). */
export function readPoValue(fileName: string, json: unknown): PoReadResult {
  const c = new Collector(fileName);
  const result: PoReadResult = { fileName, format: "unknown", orders: [], problems: c.list };
  const errors = errorListSchema.safeParse(json);
  if (errors.success) {
    for (const [i, e] of errors.data.errors.entries())
      c.add("error", "amazon_error", ["errors", i], `Amazon returned ${e.code}: ${e.message}`);
    return result;
  }
  if (!isRecord(json)) {
    c.add("error", "not_a_purchase_order", [], "expected a JSON object from the SP-API vendor orders API");
    return result;
  }
  const hasPayload = isRecord(json["payload"]);
  const body = hasPayload ? (json["payload"] as Record<string, unknown>) : json;
  const base: Path = hasPayload ? ["payload"] : [];
  const pagination = body["pagination"];
  if (isRecord(pagination) && typeof pagination["nextToken"] === "string")
    result.nextToken = pagination["nextToken"];

  if (Array.isArray(body["orders"])) {
    result.format = "sp-api-orders";
    for (const [i, o] of body["orders"].entries()) {
      const po = readOrder(o, [...base, "orders", i], c, result.format);
      if (po) result.orders.push(po);
    }
  } else if (Array.isArray(body["ordersStatus"])) {
    result.format = "sp-api-status";
    for (const [i, o] of body["ordersStatus"].entries()) {
      const po = readStatus(o, [...base, "ordersStatus", i], c);
      if (po) result.orders.push(po);
    }
  } else if (typeof body["purchaseOrderNumber"] === "string") {
    result.format = "sp-api-order";
    const po = readOrder(body, base, c, result.format);
    if (po) result.orders.push(po);
  } else {
    c.add(
      "error",
      "not_a_purchase_order",
      base,
      "no orders, ordersStatus or purchaseOrderNumber: not a getPurchaseOrders, getPurchaseOrder or getPurchaseOrdersStatus response",
    );
  }
  return result;
}

function src(c: Collector, path: Path): string {
  return `${c.file}#${showPath(path)}`;
}

function readOrder(
  value: unknown,
  path: Path,
  c: Collector,
  format: PoSourceFormat,
): PurchaseOrder | undefined {
  const head = orderSchema.safeParse(value);
  if (!head.success) {
    c.zod(head.error, path);
    return undefined;
  }
  const po: PurchaseOrder = {
    purchaseOrderNumber: head.data.purchaseOrderNumber,
    ...(head.data.purchaseOrderState ? { state: head.data.purchaseOrderState } : {}),
    lines: [],
    formats: [format],
  };
  if (head.data.orderDetails === undefined) return po; // includeDetails=false: number and state only
  const detailsPath = [...path, "orderDetails"];
  const details = orderDetailsSchema.safeParse(head.data.orderDetails);
  if (!details.success) {
    c.zod(details.error, detailsPath);
    return undefined;
  }
  const d = details.data;
  po.orderDate = d.purchaseOrderDate;
  if (d.purchaseOrderChangedDate) po.changedDate = d.purchaseOrderChangedDate;
  if (d.sellingParty) po.vendorCode = d.sellingParty.partyId;
  if (d.buyingParty) po.buyingParty = d.buyingParty.partyId;
  if (d.shipToParty) po.shipToParty = d.shipToParty.partyId;
  if (d.shipWindow) po.shipWindow = d.shipWindow;
  if (d.purchaseOrderType) po.purchaseOrderType = d.purchaseOrderType;
  if (d.paymentMethod) po.paymentMethod = d.paymentMethod;
  for (const [j, raw] of d.items.entries()) {
    const itemPath = [...detailsPath, "items", j];
    const it = orderItemSchema.safeParse(raw);
    if (!it.success) {
      c.zod(it.error, itemPath);
      continue;
    }
    const i = it.data;
    const eaches = toEaches(i.orderedQuantity);
    if (eaches === undefined) {
      c.add(
        "error",
        "case_without_size",
        [...itemPath, "orderedQuantity"],
        "ordered in Cases without unitSize",
      );
      continue;
    }
    const line: PoLine = {
      ...i.itemSequenceNumber,
      ...(i.amazonProductIdentifier ? { asin: i.amazonProductIdentifier } : {}),
      ...(i.vendorProductIdentifier ? { vendorSku: i.vendorProductIdentifier } : {}),
      otherIds: [],
      orderedEaches: eaches,
      ordered: i.orderedQuantity,
      cancelled: eaches === 0,
      ...(i.netCost ? { netCost: i.netCost } : {}),
      ...(i.listPrice ? { listPrice: i.listPrice } : {}),
      ...(i.isBackOrderAllowed !== undefined ? { backOrderAllowed: i.isBackOrderAllowed } : {}),
      sources: [src(c, itemPath)],
    };
    if (po.lines.some((l) => l.sequence === line.sequence)) {
      c.add(
        "error",
        "duplicate_line",
        [...itemPath, "itemSequenceNumber"],
        `line ${line.sequence} appears twice`,
      );
      continue;
    }
    po.lines.push(line);
  }
  po.currency = po.lines.find((l) => l.netCost)?.netCost?.currency;
  if (po.currency === undefined) delete po.currency;
  return po;
}

function readStatus(value: unknown, path: Path, c: Collector): PurchaseOrder | undefined {
  const head = orderStatusSchema.safeParse(value);
  if (!head.success) {
    c.zod(head.error, path);
    return undefined;
  }
  const s = head.data;
  const po: PurchaseOrder = {
    purchaseOrderNumber: s.purchaseOrderNumber,
    ...(s.purchaseOrderStatus === "CLOSED" ? { state: "Closed" as const } : {}),
    ...(s.sellingParty ? { vendorCode: s.sellingParty.partyId } : {}),
    ...(s.shipToParty ? { shipToParty: s.shipToParty.partyId } : {}),
    ...(s.purchaseOrderDate ? { orderDate: s.purchaseOrderDate } : {}),
    lines: [],
    formats: ["sp-api-status"],
  };
  for (const [j, raw] of s.itemStatus.entries()) {
    const itemPath = [...path, "itemStatus", j];
    const it = statusItemSchema.safeParse(raw);
    if (!it.success) {
      c.zod(it.error, itemPath);
      continue;
    }
    const i = it.data;
    const eachesOf = (q: Parameters<typeof toEaches>[0] | undefined, field: Path): number | undefined => {
      if (!q) return undefined;
      const n = toEaches(q);
      if (n === undefined)
        c.add("error", "case_without_size", [...itemPath, ...field], "in Cases without unitSize");
      return n;
    };
    const ordered = i.orderedQuantity?.orderedQuantity;
    const orderedEaches = eachesOf(ordered, ["orderedQuantity", "orderedQuantity"]);
    const ack = i.acknowledgementStatus;
    const rec = i.receivingStatus;
    const accepted = eachesOf(ack?.acceptedQuantity, ["acknowledgementStatus", "acceptedQuantity"]);
    const rejected = eachesOf(ack?.rejectedQuantity, ["acknowledgementStatus", "rejectedQuantity"]);
    const received = eachesOf(rec?.receivedQuantity, ["receivingStatus", "receivedQuantity"]);
    const line: PoLine = {
      ...i.itemSequenceNumber,
      ...(i.buyerProductIdentifier ? { asin: i.buyerProductIdentifier } : {}),
      ...(i.vendorProductIdentifier ? { vendorSku: i.vendorProductIdentifier } : {}),
      otherIds: [],
      orderedEaches: orderedEaches ?? 0,
      ordered: ordered ?? { amount: 0, unit: "Eaches" },
      cancelled: orderedEaches === 0,
      ...(i.netCost ? { netCost: i.netCost } : {}),
      ...(i.listPrice ? { listPrice: i.listPrice } : {}),
      ...(ack?.confirmationStatus ? { confirmationStatus: ack.confirmationStatus } : {}),
      ...(accepted !== undefined ? { acceptedEaches: accepted } : {}),
      ...(rejected !== undefined ? { rejectedEaches: rejected } : {}),
      ...(rec?.receiveStatus ? { receiveStatus: rec.receiveStatus } : {}),
      ...(received !== undefined ? { receivedEaches: received } : {}),
      ...(rec?.receivedQuantity ? { receivedAs: rec.receivedQuantity } : {}),
      ...(rec?.lastReceiveDate ? { lastReceiveDate: rec.lastReceiveDate } : {}),
      sources: [src(c, itemPath)],
    };
    if (ordered === undefined)
      c.add("warning", "no_ordered_quantity", itemPath, `line ${line.sequence} has no ordered quantity`);
    po.lines.push(line);
  }
  po.currency = po.lines.find((l) => l.netCost)?.netCost?.currency;
  if (po.currency === undefined) delete po.currency;
  return po;
}

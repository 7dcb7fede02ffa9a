/**
 * Merge what several files (or API calls) say about the same purchase orders: the order (lines, costs,
 * parties), its status (accepted, received) and any 855 acknowledgement. POs match by number, lines by the
 * numeric sequence. Where two sources disagree on a fact both carry (ordered eaches, net cost, product) the
 * later source wins for status facts and the order wins for order facts, and a warning says so.
 */
import type { PoLine, PoProblem, PoReadResult, PurchaseOrder } from "./model";

const STATUS_FIELDS = [
  "confirmationStatus",
  "acceptedEaches",
  "rejectedEaches",
  "receiveStatus",
  "receivedEaches",
  "receivedAs",
  "lastReceiveDate",
] as const;

function clone(po: PurchaseOrder): PurchaseOrder {
  return {
    ...po,
    formats: [...po.formats],
    lines: po.lines.map((l) => ({ ...l, otherIds: [...l.otherIds], sources: [...l.sources] })),
  };
}

function mergeLine(
  into: PoLine,
  from: PoLine,
  po: string,
  problems: PoProblem[],
  file: string,
  fromOrder: boolean,
): void {
  const warn = (what: string) =>
    problems.push({
      severity: "warning",
      code: "sources_disagree",
      file,
      message: `PO ${po} line ${into.sequence}: ${what}`,
    });
  if (into.orderedEaches !== from.orderedEaches && from.ordered.amount !== 0 && into.ordered.amount !== 0)
    warn(
      `ordered ${into.orderedEaches} eaches in one source, ${from.orderedEaches} in another; keeping ${into.orderedEaches}`,
    );
  if (into.netCost && from.netCost && into.netCost.amount4 !== from.netCost.amount4)
    warn("the net cost differs between sources; keeping the order's");
  if (into.asin && from.asin && into.asin !== from.asin) warn(`ASIN ${into.asin} vs ${from.asin}`);
  if (fromOrder) {
    // The order itself is the authority for products, costs and ordered quantities.
    into.asin = from.asin ?? into.asin;
    into.vendorSku = from.vendorSku ?? into.vendorSku;
    into.netCost = from.netCost ?? into.netCost;
    into.listPrice = from.listPrice ?? into.listPrice;
    if (from.ordered.amount !== 0 || from.cancelled) {
      into.ordered = from.ordered;
      into.orderedEaches = from.orderedEaches;
    }
  }
  into.asin ??= from.asin;
  into.vendorSku ??= from.vendorSku;
  into.netCost ??= from.netCost;
  into.listPrice ??= from.listPrice;
  into.backOrderAllowed ??= from.backOrderAllowed;
  for (const id of from.otherIds) if (!into.otherIds.includes(id)) into.otherIds.push(id);
  for (const f of STATUS_FIELDS) {
    if (from[f] !== undefined) (into as unknown as Record<string, unknown>)[f] = from[f];
  }
  if (from.cancelled && !into.cancelled) {
    into.cancelled = true;
    into.orderedEaches = 0;
    into.ordered = from.ordered;
  }
  into.sources.push(...from.sources);
}

export function assemblePurchaseOrders(results: readonly PoReadResult[]): {
  orders: PurchaseOrder[];
  problems: PoProblem[];
} {
  const problems: PoProblem[] = results.flatMap((r) => r.problems);
  const byNumber = new Map<string, PurchaseOrder>();
  for (const r of results) {
    for (const incoming of r.orders) {
      const existing = byNumber.get(incoming.purchaseOrderNumber);
      if (!existing) {
        byNumber.set(incoming.purchaseOrderNumber, clone(incoming));
        continue;
      }
      const po = existing;
      const orderFirst = incoming.formats.some((f) => f !== "sp-api-status" && f !== "x12-855");
      for (const k of [
        "vendorCode",
        "buyingParty",
        "shipToParty",
        "orderDate",
        "changedDate",
        "shipWindow",
        "purchaseOrderType",
        "paymentMethod",
        "currency",
        "paymentTerms",
      ] as const) {
        if (incoming[k] !== undefined && (po[k] === undefined || orderFirst))
          (po as unknown as Record<string, unknown>)[k] = incoming[k];
      }
      if (incoming.state === "Closed" || (incoming.state && !po.state)) po.state = incoming.state;
      for (const f of incoming.formats) if (!po.formats.includes(f)) po.formats.push(f);
      for (const line of incoming.lines) {
        const into = po.lines.find((l) => l.sequence === line.sequence);
        if (into)
          mergeLine(
            into,
            { ...line, sources: [...line.sources] },
            po.purchaseOrderNumber,
            problems,
            r.fileName,
            orderFirst,
          );
        else po.lines.push({ ...line, otherIds: [...line.otherIds], sources: [...line.sources] });
      }
      po.lines.sort((a, b) => a.sequence - b.sequence);
    }
  }
  return { orders: [...byNumber.values()], problems };
}

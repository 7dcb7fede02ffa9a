/**
 * The normalised purchase-order model: whatever the source (SP-API getPurchaseOrders / getPurchaseOrder /
 * getPurchaseOrdersStatus JSON, X12 850 or 855), a PO becomes one `PurchaseOrder` whose line quantities
 * are in eaches and whose unit costs are exact integers at 4 dp. Sources are merged by PO number and by the
 * numeric value of the line's sequence number ("1", 1 and "001" are the same line).
 */

export type PoSourceFormat = "sp-api-orders" | "sp-api-order" | "sp-api-status" | "x12-850" | "x12-855";

export type WeightUnit = "POUNDS" | "OUNCES" | "GRAMS" | "KILOGRAMS";

/** A problem reading a file: never thrown, always located (JSON path or X12 segment number). */
export interface PoProblem {
  severity: "error" | "warning";
  code: string;
  file: string;
  /** JSON path ("payload.orders[1].orderDetails.items[0].netCost.amount"). */
  path?: string;
  /** 1-based X12 segment number in the interchange. */
  row?: number;
  /** X12 element ("PO102"). */
  column?: string;
  message: string;
}

/** How Amazon stated a quantity, kept for messages and the case-pack check. */
export interface StatedQuantity {
  amount: number;
  unit: "Cases" | "Eaches";
  /** Eaches per case as Amazon (or the 850's PO4) states it; absent when not given. */
  unitSize?: number;
}

/** A unit cost: integer at 4 dp, per each — or per weight unit when `weightUnit` is set. */
export interface UnitCost {
  amount4: number;
  currency: string;
  weightUnit?: WeightUnit;
}

export type ConfirmationStatus = "ACCEPTED" | "PARTIALLY_ACCEPTED" | "REJECTED" | "UNCONFIRMED";
export type ReceiveStatus = "NOT_RECEIVED" | "PARTIALLY_RECEIVED" | "RECEIVED";

export interface PoLine {
  /** Numeric value of itemSequenceNumber / PO101. */
  sequence: number;
  /** The sequence as the source wrote it ("001"). */
  sequenceText: string;
  asin?: string;
  vendorSku?: string;
  /** Other product ids (X12 EN/UP/IB …), tried against the SKU map after ASIN and vendor SKU. */
  otherIds: string[];
  /** Ordered quantity in eaches (after Amazon's latest change). 0 = cancelled. */
  orderedEaches: number;
  ordered: StatedQuantity;
  cancelled: boolean;
  netCost?: UnitCost;
  listPrice?: UnitCost;
  backOrderAllowed?: boolean;
  /** From getPurchaseOrdersStatus or an 855. */
  confirmationStatus?: ConfirmationStatus;
  acceptedEaches?: number;
  rejectedEaches?: number;
  receiveStatus?: ReceiveStatus;
  receivedEaches?: number;
  /** The receipt as Amazon stated it (it may be in Cases for a line ordered in Eaches). */
  receivedAs?: StatedQuantity;
  lastReceiveDate?: string;
  /** Where each fact came from ("file#path"), for messages and the PO → invoice → remittance link. */
  sources: string[];
}

export interface PaymentTerms {
  netDays?: number;
  discountPercent?: string;
  discountDays?: number;
}

export interface PurchaseOrder {
  purchaseOrderNumber: string;
  /** New | Acknowledged | Closed (SP-API); OPEN/CLOSED from the status API map to New/Closed. */
  state?: "New" | "Acknowledged" | "Closed";
  /** sellingParty.partyId — the vendor code the Settings row and contact are chosen by. */
  vendorCode?: string;
  buyingParty?: string;
  shipToParty?: string;
  /** YYYY-MM-DD */
  orderDate?: string;
  changedDate?: string;
  shipWindow?: { start: string; end: string };
  purchaseOrderType?: string;
  paymentMethod?: string;
  currency?: string;
  paymentTerms?: PaymentTerms;
  lines: PoLine[];
  formats: PoSourceFormat[];
}

/** What a reader yields for one file. */
export interface PoReadResult {
  fileName: string;
  format: PoSourceFormat | "unknown";
  orders: PurchaseOrder[];
  /** Next page token when the payload was one page of a list. */
  nextToken?: string;
  problems: PoProblem[];
}

export function problemsHaveErrors(problems: readonly PoProblem[]): boolean {
  return problems.some((p) => p.severity === "error");
}

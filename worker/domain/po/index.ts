/**
 * Purchase orders → Xero sales invoices (issue 7): the public surface for the Worker, the CLI and the add-in.
 *
 *   read:    readPoFile / readPoFiles (SP-API JSON, X12 850/855) → PurchaseOrder[] + PoProblem[]
 *            readPoValue (an already parsed SP-API response, as the connector gets it)
 *            readShipmentConfirmations + shipmentsForPlanning (ASN → per-shipment invoicing)
 *   plan:    planPoInvoices(orders, mappings, org, options) → PoPlan (PlannedInvoice[] with keys, exceptions,
 *            per-line outcomes for the Purchase Orders sheet, checks)
 *   record:  after posting, store PlannedInvoice.record and pass it back as options.invoiced
 */
export { assemblePurchaseOrders } from "./assemble";
export { readPoJson, readPoValue } from "./json";
export type * from "./model";
export {
  type ExpectedClaim,
  findSku,
  type InvoicedRecord,
  invoicedRecordSchema,
  type PlannedInvoice,
  type PoException,
  type PoExceptionCode,
  type PoInvoiceLink,
  type PoLineOutcome,
  type PoOutcome,
  type PoPlan,
  type PoPlanCheck,
  type PoPlanOptions,
  type PoShipment,
  planPoInvoices,
  poInvoiceKey,
} from "./plan";
export { readPoFile, readPoFiles } from "./read";
export { readShipmentConfirmations, type ShipmentConfirmation, shipmentsForPlanning } from "./shipments";
export { readPoX12, type X12PoOptions } from "./x12";

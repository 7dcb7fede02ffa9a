/**
 * PO preview = exactly what would be posted: the stored POs, the organisation's mappings (SKU map and
 * Settings), the records of invoices already posted and the live Xero snapshot (reference data refreshed,
 * Organisation read now, the planned invoice numbers looked up in Xero) through the pure planner.
 */

import type { PurchaseOrder } from "../../domain/po/model";
import type { PoPlan, PoPlanOptions } from "../../domain/po/plan";
import { planPoInvoices } from "../../domain/po/plan";
import { loadMappings } from "../remittances/preview";
import type { XeroClient } from "../xero/client";
import { refreshReference } from "../xero/reference";
import { lookUpInvoices, readOrganisation, snapshotInput, toSnapshot } from "../xero/snapshot";
import { invoicedRecords, listOrders, savePreview } from "./store";

export interface PoPreviewOptions {
  purchaseOrderNumbers?: string[] | undefined;
  basis?: "received" | "accepted" | undefined;
  invoiceNumberPattern?: string | undefined;
  paymentTermsDays?: number | undefined;
  invoiceDate?: string | undefined;
  draft?: boolean | undefined;
  priceSource?: "po" | "agreed" | undefined;
  defaultTaxType?: string | undefined;
}

export async function previewPurchaseOrders(
  db: D1Database,
  orgId: string,
  userId: string | null,
  x: XeroClient,
  opts: PoPreviewOptions,
): Promise<{ plan: PoPlan; previewedAt: string }> {
  const mappings = await loadMappings(db, orgId);
  const rows = await listOrders(
    db,
    orgId,
    opts.purchaseOrderNumbers ? { numbers: opts.purchaseOrderNumbers } : {},
  );
  const orders = rows.map((r) => JSON.parse(r.order_json) as PurchaseOrder);
  const invoiced = await invoicedRecords(db, orgId);
  const options: PoPlanOptions = {
    invoiced,
    alreadyPosted: invoiced.map((r) => r.key),
    ...(opts.basis ? { basis: opts.basis } : {}),
    ...(opts.invoiceNumberPattern ? { invoiceNumberPattern: opts.invoiceNumberPattern } : {}),
    ...(opts.paymentTermsDays !== undefined ? { paymentTermsDays: opts.paymentTermsDays } : {}),
    ...(opts.invoiceDate ? { invoiceDate: opts.invoiceDate } : {}),
    ...(opts.draft ? { status: "DRAFT" as const } : {}),
    ...(opts.priceSource ? { priceSource: opts.priceSource } : {}),
    ...(opts.defaultTaxType ? { defaultTaxType: opts.defaultTaxType } : {}),
  };
  const [ref, info] = await Promise.all([refreshReference(db, orgId, x), readOrganisation(x)]);
  // First pass names the invoices; those numbers are then looked up in Xero, and the plan is made again
  // knowing which already exist (invoice_number_exists holds a PO rather than risk a duplicate).
  let plan = planPoInvoices(orders, mappings, toSnapshot(snapshotInput(info, ref, [])), options);
  const numbers = plan.invoices.map((i) => i.body.InvoiceNumber).filter((n): n is string => !!n);
  if (numbers.length > 0) {
    const existing = await lookUpInvoices(x, numbers);
    if (existing.length > 0)
      plan = planPoInvoices(orders, mappings, toSnapshot(snapshotInput(info, ref, existing)), options);
  }
  const previewedAt = await savePreview(
    db,
    orgId,
    userId,
    plan,
    new Set(invoiced.map((r) => r.purchaseOrderNumber)),
  );
  return { plan, previewedAt };
}

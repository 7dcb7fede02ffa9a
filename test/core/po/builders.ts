/** Mappings, org snapshots and file loaders for the purchase-order tests. */
import { readFileSync } from "node:fs";
import { type Mappings, type MappingsInput, mappingsSchema } from "../../../worker/domain/mapping/model";
import { type OrgSnapshot, type OrgSnapshotInput, orgSnapshotSchema } from "../../../worker/domain/org/model";
import type { PurchaseOrder } from "../../../worker/domain/po/model";
import { readPoFiles } from "../../../worker/domain/po/read";

export const SHARED = new URL("../../../../shared/specs/", import.meta.url);
export const EXAMPLES = new URL("amazon-sp-api/examples/", SHARED);
export const X12 = new URL("../../fixtures/x12/", import.meta.url);
export const PO_FIXTURES = new URL("../../fixtures/po/", import.meta.url);

export function example(name: string): string {
  return readFileSync(new URL(name, EXAMPLES), "utf8");
}

export function x12(name: string): string {
  return readFileSync(new URL(name, X12), "utf8");
}

export function fixture(name: string): string {
  return readFileSync(new URL(name, PO_FIXTURES), "utf8");
}

export function vendorOrdersModel(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL("amazon-sp-api/vendorOrders.json", SHARED), "utf8"));
}

function settingsRow(vendorCode: string) {
  return {
    vendorCode,
    amazonContact: "Amazon.com Services LLC",
    clearingAccount: "1210",
    bankAccount: "090",
    suspenseAccount: "1290",
    roundingAccount: "860",
    termsDiscountAccount: "6160",
    withholdingAccount: "1230",
    provisionsAccount: "1220",
    salesAccount: "200",
    design: "invoice_level" as const,
    createBankTransaction: false,
    tolerance: 5,
  };
}

/** SKU rows for the products in Amazon's example payloads (agreed cost = Amazon's cost unless noted). */
export function poMappingsInput(): MappingsInput {
  return {
    deductions: [{ kind: "any", accountCode: "6190", treatment: "journal" }],
    skus: [
      {
        asin: "B07DFVDRAB",
        vendorSku: "8806098286500",
        itemCode: "TV-55",
        unitsPerCase: 1,
        agreedCostPerEach: 3462700,
        currency: "USD",
      },
      {
        asin: "B07DFYF5AB",
        itemCode: "TV-43",
        unitsPerCase: 1,
        agreedCostPerEach: 2294700,
        currency: "USD",
        taxType: "OUTPUT",
      },
      {
        vendorSku: "8806098095123",
        itemCode: "TV-65",
        unitsPerCase: 1,
        agreedCostPerEach: 4127100,
        currency: "USD",
      },
      { asin: "B07DFYF5XY", itemCode: "REMOTE", unitsPerCase: 1, agreedCostPerEach: 200000, currency: "USD" },
      {
        asin: "B01LNRIIAB",
        itemCode: "COFFEE-LB",
        unitsPerCase: 10,
        agreedCostPerEach: 949700,
        currency: "USD",
      },
      { asin: "B01XYZ3Z02", itemCode: "KETTLE", unitsPerCase: 1, agreedCostPerEach: 500000, currency: "USD" },
      // The 850 sample's vendor part numbers (VN) and case packs (PO401).
      {
        vendorSku: "AB3542",
        itemCode: "W-SMALL",
        unitsPerCase: 4,
        agreedCostPerEach: 92500,
        currency: "USD",
      },
      {
        vendorSku: "RD5322",
        itemCode: "W-MEDIUM",
        unitsPerCase: 2,
        agreedCostPerEach: 137900,
        currency: "USD",
      },
      {
        vendorSku: "XY5266",
        itemCode: "W-LARGE",
        unitsPerCase: 6,
        agreedCostPerEach: 109900,
        currency: "USD",
      },
      { vendorSku: "VX2332", itemCode: "W-NANO", unitsPerCase: 4, agreedCostPerEach: 43500, currency: "USD" },
      { vendorSku: "RV0524", itemCode: "W-BLUE", unitsPerCase: 4, agreedCostPerEach: 75000, currency: "USD" },
      {
        vendorSku: "DX1875",
        itemCode: "W-ORANGE",
        unitsPerCase: 6,
        agreedCostPerEach: 95500,
        currency: "USD",
      },
      // The 855 sample's EANs.
      {
        vendorSku: "9780446360265",
        itemCode: "BOOK-DICT",
        unitsPerCase: 1,
        agreedCostPerEach: 45000,
        currency: "USD",
      },
      {
        vendorSku: "9780767928427",
        itemCode: "BOOK-BIO",
        unitsPerCase: 1,
        agreedCostPerEach: 159900,
        currency: "USD",
      },
      {
        vendorSku: "9780099599531",
        itemCode: "BOOK-3",
        unitsPerCase: 1,
        agreedCostPerEach: 0,
        currency: "USD",
      },
      {
        vendorSku: "9780446360272",
        itemCode: "BOOK-THES",
        unitsPerCase: 1,
        agreedCostPerEach: 45000,
        currency: "USD",
      },
    ],
    settings: ["999US", "998US", "API01", "ACME850"].map(settingsRow),
  };
}

export function poMappings(edit?: (m: MappingsInput) => void): Mappings {
  const m = poMappingsInput();
  edit?.(m);
  return mappingsSchema.parse(m);
}

export function poOrgInput(): OrgSnapshotInput {
  const items = [
    "TV-55",
    "TV-43",
    "TV-65",
    "REMOTE",
    "COFFEE-LB",
    "KETTLE",
    "W-SMALL",
    "W-MEDIUM",
    "W-LARGE",
    "W-NANO",
    "W-BLUE",
    "W-ORANGE",
    "BOOK-DICT",
    "BOOK-BIO",
    "BOOK-3",
    "BOOK-THES",
  ].map((code) => ({ code }));
  return {
    baseCurrency: "USD",
    periodLockDate: "2019-12-31",
    accounts: [{ code: "200", name: "Sales", type: "REVENUE", status: "ACTIVE" }],
    taxRates: [
      { taxType: "NONE", status: "ACTIVE", canApplyToRevenue: true },
      { taxType: "OUTPUT", status: "ACTIVE", canApplyToRevenue: true },
      { taxType: "INPUT", status: "ACTIVE", canApplyToRevenue: false },
    ],
    items,
    contacts: [{ contactId: "6f1e3c52-8b0a-4d6e-9c2f-1a2b3c4d5e6f", name: "Amazon.com Services LLC" }],
    invoices: [],
  };
}

export function poOrg(edit?: (o: OrgSnapshotInput) => void): OrgSnapshot {
  const o = poOrgInput();
  edit?.(o);
  return orgSnapshotSchema.parse(o);
}

export function readAll(...files: { name: string; content: string }[]): PurchaseOrder[] {
  const r = readPoFiles(files);
  const errors = r.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join("\n"));
  return r.orders;
}

export function exampleFile(name: string): { name: string; content: string } {
  return { name, content: example(name) };
}

/** A small SP-API order JSON built in code. */
export interface LineSpec {
  seq?: string | number;
  asin?: string;
  sku?: string;
  amount: number;
  unit?: string;
  unitSize?: number;
  cost: string;
  currency?: string;
  weight?: string;
}

export function orderJson(
  po: string,
  vendor: string,
  lines: LineSpec[],
  date = "2026-03-02T10:00:00Z",
): string {
  return JSON.stringify({
    payload: {
      orders: [
        {
          purchaseOrderNumber: po,
          purchaseOrderState: "Acknowledged",
          orderDetails: {
            purchaseOrderDate: date,
            purchaseOrderStateChangedDate: date,
            sellingParty: { partyId: vendor },
            items: lines.map((l, i) => ({
              itemSequenceNumber: l.seq ?? String(i + 1),
              ...(l.asin ? { amazonProductIdentifier: l.asin } : {}),
              ...(l.sku ? { vendorProductIdentifier: l.sku } : {}),
              orderedQuantity: {
                amount: l.amount,
                unitOfMeasure: l.unit ?? "Eaches",
                unitSize: l.unitSize ?? 1,
              },
              isBackOrderAllowed: false,
              netCost: {
                amount: l.cost,
                currencyCode: l.currency ?? "USD",
                ...(l.weight ? { unitOfMeasure: l.weight } : {}),
              },
            })),
          },
        },
      ],
    },
  });
}

export interface StatusSpec {
  seq: string | number;
  asin?: string;
  ordered: number;
  accepted?: number;
  received?: number;
  receivedUnit?: string;
  receivedSize?: number;
  receiveStatus?: string;
  cost?: string;
  lastReceiveDate?: string;
}

export function statusJson(po: string, vendor: string, items: StatusSpec[]): string {
  return JSON.stringify({
    payload: {
      ordersStatus: [
        {
          purchaseOrderNumber: po,
          purchaseOrderStatus: "OPEN",
          purchaseOrderDate: "2026-03-02T10:00:00Z",
          sellingParty: { partyId: vendor },
          itemStatus: items.map((s) => ({
            itemSequenceNumber: s.seq,
            ...(s.asin ? { buyerProductIdentifier: s.asin } : {}),
            ...(s.cost ? { netCost: { amount: s.cost, currencyCode: "USD" } } : {}),
            orderedQuantity: { orderedQuantity: { amount: s.ordered, unitOfMeasure: "Eaches", unitSize: 1 } },
            ...(s.accepted !== undefined
              ? {
                  acknowledgementStatus: {
                    confirmationStatus:
                      s.accepted === 0
                        ? "REJECTED"
                        : s.accepted < s.ordered
                          ? "PARTIALLY_ACCEPTED"
                          : "ACCEPTED",
                    acceptedQuantity: { amount: s.accepted, unitOfMeasure: "Eaches", unitSize: 1 },
                  },
                }
              : {}),
            ...(s.received !== undefined
              ? {
                  receivingStatus: {
                    receiveStatus: s.receiveStatus ?? "PARTIALLY_RECEIVED",
                    receivedQuantity: {
                      amount: s.received,
                      unitOfMeasure: s.receivedUnit ?? "Eaches",
                      unitSize: s.receivedSize ?? 1,
                    },
                    lastReceiveDate: s.lastReceiveDate ?? "2026-03-10T12:00:00Z",
                  },
                }
              : {}),
          })),
        },
      ],
    },
  });
}

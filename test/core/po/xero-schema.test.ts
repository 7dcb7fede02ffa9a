/**
 * Every planned PO invoice validates against the Xero OpenAPI Invoices schema, with every object schema
 * closed (additionalProperties: false) so an invented field fails instead of being ignored by Xero.
 */
import { describe, expect, it } from "vitest";
import { planPoInvoices } from "../../../worker/domain/po/plan";
import { readPoFiles } from "../../../worker/domain/po/read";
import { xeroBodyValidator } from "../../support/xero-schema";
import { exampleFile, poMappings, poOrg, readAll, x12 } from "./builders";

const validateBody = xeroBodyValidator();
const validate = (body: unknown) => validateBody("Invoices", body);

describe("planned PO invoices against xero_accounting.yaml", () => {
  it("status, orders (with a weighed shipment), 850 and 855 invoices all validate", () => {
    const orders = [
      ...readAll(exampleFile("vendorOrders.getPurchaseOrdersStatus.200.json")),
      ...readAll(exampleFile("vendorOrders.getPurchaseOrders.200.json")),
      ...readAll(exampleFile("vendorOrders.getPurchaseOrder.200.json")),
      ...readPoFiles([{ name: "850.edi", content: x12("x12-850-vics-retail-po-casepack.edi") }], {
        vendorCode: "ACME850",
      }).orders,
    ];
    const plan = planPoInvoices(orders, poMappings(), poOrg(), {
      basis: "accepted",
      status: "DRAFT",
      shipments: [
        {
          purchaseOrderNumber: "3TRD2IAB",
          shipmentId: "ASN1",
          date: "2020-03-01",
          lines: [{ sequence: 1, eaches: 50, totalWeight4: 1_250_000 }],
        },
      ],
    });
    expect(plan.invoices.length).toBe(5);
    for (const inv of plan.invoices) {
      const r = validate(inv.body);
      expect(r.errors, inv.key).toEqual([]);
      expect(r.ok).toBe(true);
    }
  });

  it("the check can fail: a string amount, an invented field and a bad type are rejected", () => {
    const plan = planPoInvoices(
      readAll(exampleFile("vendorOrders.getPurchaseOrdersStatus.200.json")),
      poMappings(),
      poOrg(),
    );
    const body = plan.invoices[0]?.body;
    expect(validate({ ...body, Type: "ACCRECC" }).ok).toBe(false);
    expect(validate({ ...body, PurchaseOrder: "2JK3S9VB" }).ok).toBe(false);
    expect(validate({ ...body, LineItems: [{ ...body?.LineItems[0], Quantity: "1" }] }).ok).toBe(false);
  });
});

/**
 * Every planned PO invoice validates against the Xero OpenAPI Invoices schema, with every object schema
 * closed (additionalProperties: false) so an invented field fails instead of being ignored by Xero.
 */
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { planPoInvoices } from "../../../worker/domain/po/plan";
import { readPoFiles } from "../../../worker/domain/po/read";
import { exampleFile, poMappings, poOrg, readAll, x12 } from "./builders";

const SPEC = new URL("../../../../shared/specs/xero/xero_accounting.yaml", import.meta.url);

function closeObjects(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) closeObjects(n);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const o = node as Record<string, unknown>;
  if (o["properties"] !== undefined && o["additionalProperties"] === undefined)
    o["additionalProperties"] = false;
  for (const v of Object.values(o)) closeObjects(v);
}

function invoicesValidator() {
  const spec = parse(readFileSync(SPEC, "utf8")) as { components: { schemas: Record<string, unknown> } };
  closeObjects(spec.components.schemas);
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const f of ["double", "int32", "int64", "binary", "byte"]) ajv.addFormat(f, true);
  ajv.addSchema({ $id: "xero", components: spec.components });
  const validate = ajv.getSchema("xero#/components/schemas/Invoices");
  if (!validate) throw new Error("no Invoices schema");
  return (body: unknown) => ({ ok: validate({ Invoices: [body] }), errors: validate.errors ?? [] });
}

const validate = invoicesValidator();

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

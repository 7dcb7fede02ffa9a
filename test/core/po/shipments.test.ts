/** Amazon's ASN example (submitShipmentConfirmations): "001" sequences, Cases without unitSize, weight. */
import { describe, expect, it } from "vitest";
import { planPoInvoices } from "../../../worker/domain/po/plan";
import { readShipmentConfirmations, shipmentsForPlanning } from "../../../worker/domain/po/shipments";
import { example, orderJson, poMappings, poOrg, readAll } from "./builders";

const ASN = "vendorShipments.SubmitShipmentConfirmations.request.json";

const testOrder202 = () =>
  readAll({
    name: "TestOrder202.json",
    content: orderJson(
      "TestOrder202",
      "API01",
      [
        { asin: "B07DFVDRAB", amount: 100, cost: "346.27" },
        { asin: "B01LNRIIAB", amount: 100, unit: "Cases", unitSize: 10, cost: "94.97", weight: "POUNDS" },
      ],
      "2021-03-01T10:00:00Z",
    ),
  });

describe("shipment confirmations", () => {
  it("reads Amazon's example: shipment id, date, '001' → line 1, Cases with a total weight", () => {
    const r = readShipmentConfirmations(ASN, example(ASN));
    expect(r.problems).toEqual([]);
    const s = r.shipments[0];
    expect(s).toMatchObject({
      shipmentId: "TestShipmentConfirmation202",
      type: "Original",
      date: "2021-03-11",
      vendorCode: "ABCD1",
    });
    expect(s?.lines.map((l) => [l.purchaseOrderNumber, l.sequence, l.quantity, l.totalWeight])).toEqual([
      ["TestOrder202", 1, { amount: 100, unit: "Eaches" }, undefined],
      ["TestOrder202", 2, { amount: 100, unit: "Cases" }, { amount4: 3_328_000, unit: "POUNDS" }],
    ]);
  });

  it("becomes one invoice: the case size comes from the PO, the weighed line is valued weight × cost per pound", () => {
    const orders = testOrder202();
    const asn = readShipmentConfirmations(ASN, example(ASN));
    const { shipments, problems } = shipmentsForPlanning(asn.shipments, orders);
    expect(problems).toEqual([]);
    expect(shipments[0]?.lines).toEqual([
      { sequence: 1, eaches: 100 },
      { sequence: 2, eaches: 1000, totalWeight4: 3_328_000 },
    ]);
    const plan = planPoInvoices(orders, poMappings(), poOrg(), { shipments });
    const inv = plan.invoices[0];
    expect(inv?.key).toBe("vcx1:API01:TestOrder202:inv:TestShipmentConfirmation202");
    expect(inv?.body.Date).toBe("2021-03-11");
    expect(inv?.body.LineItems.map((l) => [l.ItemCode, l.Quantity, l.UnitAmount, l.LineAmount])).toEqual([
      ["TV-55", 100, 346.27, 34627],
      ["COFFEE-LB", 332.8, 94.97, 31606.02],
    ]);
    expect(plan.checks.every((c) => c.ok)).toBe(true);
  });

  it("an ASN line for an unknown PO line, or without any case size, is a problem with its path", () => {
    const asn = readShipmentConfirmations(ASN, example(ASN));
    const noCases = readAll({
      name: "o.json",
      content: orderJson("TestOrder202", "API01", [{ asin: "B07DFVDRAB", amount: 100, cost: "1" }]),
    });
    const r = shipmentsForPlanning(asn.shipments, noCases);
    expect(r.problems.map((p) => [p.code, p.path])).toEqual([
      ["unknown_po_line", "shipmentConfirmations[0].shippedItems[1]"],
    ]);
    expect(readShipmentConfirmations("x.json", '{"foo":1}').problems[0]?.code).toBe("not_a_shipment");
    const bad = JSON.parse(example(ASN));
    bad.shipmentConfirmations[0].shippedItems[0].shippedQuantity.unitOfMeasure = "Pallets";
    expect(readShipmentConfirmations("b.json", JSON.stringify(bad)).problems[0]?.path).toBe(
      "shipmentConfirmations[0].shippedItems[0].shippedQuantity.unitOfMeasure",
    );
  });
});

/** Invoice planning from purchase orders: mapping, checks, exceptions, keys, partial shipments. */
import { describe, expect, it } from "vitest";
import type { PurchaseOrder } from "../../../worker/domain/po/model";
import { type InvoicedRecord, planPoInvoices, poInvoiceKey } from "../../../worker/domain/po/plan";
import { readPoFiles } from "../../../worker/domain/po/read";
import { exampleFile, orderJson, poMappings, poOrg, readAll, statusJson, x12 } from "./builders";

const statusExample = () => readAll(exampleFile("vendorOrders.getPurchaseOrdersStatus.200.json"));
const ordersExample = () => readAll(exampleFile("vendorOrders.getPurchaseOrders.200.json"));

function only<T>(xs: readonly T[]): T {
  expect(xs).toHaveLength(1);
  return xs[0] as T;
}

describe("the status example 2JK3S9VB → one invoice for what Amazon received", () => {
  const plan = planPoInvoices(statusExample(), poMappings(), poOrg());

  it("plans one ACCREC invoice with ItemCode lines in eaches and 4 dp unit amounts", () => {
    const inv = only(plan.invoices);
    expect(inv.key).toBe("vcx1:999US:2JK3S9VB:inv:1");
    expect(inv.key).toBe(poInvoiceKey("999US", "2JK3S9VB", "1"));
    expect(inv.body).toMatchObject({
      Type: "ACCREC",
      Contact: { ContactID: "6f1e3c52-8b0a-4d6e-9c2f-1a2b3c4d5e6f" },
      InvoiceNumber: "2JK3S9VB-1",
      Reference: "2JK3S9VB",
      Date: "2020-08-30",
      DueDate: "2020-10-29",
      Status: "AUTHORISED",
      LineAmountTypes: "Exclusive",
      CurrencyCode: "USD",
    });
    expect(
      inv.body.LineItems.map((l) => [
        l.ItemCode,
        l.Quantity,
        l.UnitAmount,
        l.LineAmount,
        l.TaxType,
        l.AccountCode,
      ]),
    ).toEqual([
      ["TV-55", 1, 346.27, 346.27, undefined, "200"],
      ["TV-43", 10, 229.47, 2294.7, "OUTPUT", "200"],
    ]);
    expect(inv.subtotal).toBe(264097);
    expect(plan.checks.every((c) => c.ok)).toBe(true);
  });

  it("keeps the PO → invoice line link with receipt data and the source path", () => {
    const inv = only(plan.invoices);
    expect(inv.links[1]).toMatchObject({
      purchaseOrderNumber: "2JK3S9VB",
      sequence: 2,
      lineItem: 1,
      asin: "B07DFYF5AB",
      itemCode: "TV-43",
      eaches: 10,
      fromEach: 0,
      toEach: 10,
      acceptedEaches: 15,
      receivedEaches: 10,
    });
    expect(inv.links[1]?.sources[0]).toMatch(/payload\.ordersStatus\[0\]\.itemStatus\[1\]$/);
    expect(inv.record).toEqual({
      key: inv.key,
      purchaseOrderNumber: "2JK3S9VB",
      shipmentId: "1",
      invoiceNumber: "2JK3S9VB-1",
      lines: [
        { sequence: 1, eaches: 1 },
        { sequence: 2, eaches: 10 },
      ],
    });
  });

  it("reports each line's outcome: the rejected line is not invoiced", () => {
    expect(plan.lines.map((l) => [l.sequence, l.status, l.invoicedNow])).toEqual([
      [1, "invoiced", 1],
      [2, "invoiced", 10],
      [3, "rejected", 0],
    ]);
    expect(plan.exceptions).toEqual([]);
  });

  it("re-planning with the posted record invoices nothing; a later receipt invoices only the new eaches", () => {
    const record = only(plan.invoices).record;
    const again = planPoInvoices(statusExample(), poMappings(), poOrg(), { invoiced: [record] });
    expect(again.invoices).toEqual([]);
    expect(again.lines.map((l) => l.status)).toEqual(["fully_invoiced", "nothing_new", "rejected"]);

    const later = readAll({
      name: "later.json",
      content: statusJson("2JK3S9VB", "999US", [
        { seq: "1", asin: "B07DFVDRAB", ordered: 1, accepted: 1, received: 1, cost: "346.27" },
        {
          seq: "2",
          asin: "B07DFYF5AB",
          ordered: 20,
          accepted: 15,
          received: 15,
          cost: "229.47",
          lastReceiveDate: "2020-09-04T00:00:00Z",
        },
      ]),
    });
    const second = planPoInvoices(later, poMappings(), poOrg(), { invoiced: [record] });
    const inv = only(second.invoices);
    expect(inv.key).toBe("vcx1:999US:2JK3S9VB:inv:2");
    expect(inv.body.InvoiceNumber).toBe("2JK3S9VB-2");
    expect(inv.body.LineItems.map((l) => [l.ItemCode, l.Quantity])).toEqual([["TV-43", 5]]);
    expect(inv.links[0]).toMatchObject({ fromEach: 10, toEach: 15 });
  });

  it("replaying the same import with the key already posted creates nothing new", () => {
    const key = only(plan.invoices).key;
    const replay = planPoInvoices(statusExample(), poMappings(), poOrg(), { alreadyPosted: [key] });
    expect(replay.invoices).toEqual([]);
    expect(replay.alreadyPosted).toEqual([key]);
  });

  it("basis accepted invoices the accepted eaches and flags the expected shortage claim on the unreceived 5", () => {
    const p = planPoInvoices(statusExample(), poMappings(), poOrg(), { basis: "accepted" });
    const inv = only(p.invoices);
    expect(inv.body.LineItems.map((l) => [l.ItemCode, l.Quantity])).toEqual([
      ["TV-55", 1],
      ["TV-43", 15],
    ]);
    const qv = only(p.exceptions.filter((e) => e.code === "quantity_variance"));
    expect(qv).toMatchObject({ severity: "warning", sequence: 2 });
    expect(qv.expectedClaim).toEqual({ kind: "shortage_claim", amount: 114735, currency: "USD" });
  });
});

describe("held before anything is created", () => {
  it("an unmapped product holds its whole PO with an exception naming it; other POs still plan", () => {
    const mappings = poMappings((m) => {
      m.skus = m.skus.filter((s) => s.asin !== "B07DFYF5AB");
    });
    const orders = [...statusExample(), ...readAll(exampleFile("vendorOrders.getPurchaseOrder.200.json"))];
    const p = planPoInvoices(orders, mappings, poOrg(), { basis: "accepted" });
    const e = only(p.exceptions);
    expect(e).toMatchObject({
      code: "unmapped_product",
      severity: "blocking",
      purchaseOrderNumber: "2JK3S9VB",
      sequence: 2,
      product: "ASIN B07DFYF5AB, vendor SKU 8806098286123",
    });
    expect(e.reason).toContain("B07DFYF5AB");
    expect(p.invoices.map((i) => i.purchaseOrderNumber)).toEqual(["TestPO3"]);
    expect(p.orders.find((o) => o.purchaseOrderNumber === "2JK3S9VB")?.status).toBe("held");
    expect(p.lines.filter((l) => l.purchaseOrderNumber === "2JK3S9VB").map((l) => l.status)).toEqual([
      "held",
      "held",
      "held",
    ]);
  });

  it("a case pack that disagrees with Amazon's unitSize holds the PO (3TRD2IAB: 10 per case, map says 12)", () => {
    const mappings = poMappings((m) => {
      const row = m.skus.find((s) => s.asin === "B01LNRIIAB");
      if (row) row.unitsPerCase = 12;
    });
    const p = planPoInvoices(ordersExample(), mappings, poOrg(), { basis: "accepted" });
    const e = p.exceptions.find((x) => x.code === "case_pack_mismatch");
    expect(e).toMatchObject({
      severity: "blocking",
      purchaseOrderNumber: "3TRD2IAB",
      product: "ASIN B01LNRIIAB, vendor SKU B01LNRIIAB",
    });
    expect(e?.reason).toMatch(/10 eaches but the SKU map says 12/);
    expect(p.invoices.some((i) => i.purchaseOrderNumber === "3TRD2IAB")).toBe(false);
  });

  it("a weight-priced line (netCost per POUND) is held until the shipped weight is known, then valued weight × cost", () => {
    const held = planPoInvoices(ordersExample(), poMappings(), poOrg(), { basis: "accepted" });
    expect(held.exceptions.find((e) => e.purchaseOrderNumber === "3TRD2IAB")?.code).toBe(
      "weight_priced_without_weight",
    );
    expect(held.invoices.map((i) => i.purchaseOrderNumber)).toEqual(["2JK3S9VC"]);

    const shipped = planPoInvoices(ordersExample(), poMappings(), poOrg(), {
      shipments: [
        {
          purchaseOrderNumber: "3TRD2IAB",
          shipmentId: "ASN1",
          date: "2020-03-01",
          lines: [{ sequence: 1, eaches: 50, totalWeight4: 1_250_000 }],
        },
      ],
    });
    const inv = only(shipped.invoices.filter((i) => i.purchaseOrderNumber === "3TRD2IAB"));
    expect(inv.body.LineItems[0]).toMatchObject({
      ItemCode: "COFFEE-LB",
      Quantity: 125,
      UnitAmount: 94.97,
      LineAmount: 11871.25,
    });
    expect(inv.body.LineItems[0]?.Description).toContain("50 eaches (5 × 10)");
    expect(inv.key).toBe("vcx1:998US:3TRD2IAB:inv:ASN1");
  });

  it("an unknown vendor code, an item missing in Xero and a tax type not for revenue each hold the PO", () => {
    const orders = readAll(exampleFile("vendorOrders.getPurchaseOrder.200.json"));
    const noVendor = planPoInvoices(
      orders,
      poMappings((m) => {
        m.settings = m.settings.filter((s) => s.vendorCode !== "API01");
      }),
      poOrg(),
      { basis: "accepted" },
    );
    expect(noVendor.exceptions.map((e) => e.code)).toEqual(["vendor_not_configured"]);
    const noItem = planPoInvoices(
      orders,
      poMappings(),
      poOrg((o) => {
        o.items = [{ code: "OTHER" }];
      }),
      { basis: "accepted" },
    );
    expect(noItem.exceptions.map((e) => e.code)).toEqual(["item_not_in_xero"]);
    const badTax = planPoInvoices(orders, poMappings(), poOrg(), {
      basis: "accepted",
      defaultTaxType: "INPUT",
    });
    expect(badTax.exceptions.map((e) => e.code)).toEqual(["tax_type_invalid"]);
    for (const p of [noVendor, noItem, badTax]) expect(p.invoices).toEqual([]);
  });

  it("an invoice number already in Xero that VCX never recorded is not created again", () => {
    const org = poOrg((o) => {
      o.invoices = [
        {
          number: "2JK3S9VB-1",
          status: "AUTHORISED",
          total: 1,
          amountDue: 1,
          date: "2020-09-01",
          currency: "USD",
        },
      ];
    });
    const p = planPoInvoices(statusExample(), poMappings(), org);
    expect(p.invoices).toEqual([]);
    expect(p.exceptions.map((e) => e.code)).toEqual(["invoice_number_exists"]);
  });
});

describe("price and quantity checks", () => {
  it("Amazon's cost beyond tolerance from the agreed cost is a price variance with the expected claim", () => {
    const mappings = poMappings((m) => {
      const row = m.skus.find((s) => s.asin === "B07DFYF5AB");
      if (row) row.agreedCostPerEach = 2200000; // 220.00 agreed, Amazon pays 229.47
    });
    const p = planPoInvoices(statusExample(), mappings, poOrg());
    const e = only(p.exceptions);
    expect(e).toMatchObject({ code: "price_variance", severity: "warning", sequence: 2 });
    expect(e.expectedClaim).toEqual({ kind: "price_claim", amount: 14205, currency: "USD" }); // 9.47 × 15 accepted
    expect(only(p.invoices).body.LineItems[1]?.UnitAmount).toBe(229.47);
    const agreed = planPoInvoices(statusExample(), mappings, poOrg(), { priceSource: "agreed" });
    expect(only(agreed.invoices).body.LineItems[1]?.UnitAmount).toBe(220);
    const tolerant = planPoInvoices(statusExample(), mappings, poOrg(), { priceTolerance4: 94700 });
    expect(tolerant.exceptions).toEqual([]);
  });

  it("a receipt above the accepted quantity is flagged and not invoiced beyond accepted", () => {
    const orders = readAll({
      name: "s.json",
      content: statusJson("P2", "999US", [
        { seq: 1, asin: "B07DFVDRAB", ordered: 5, accepted: 4, received: 6, cost: "346.27" },
      ]),
    });
    const p = planPoInvoices(orders, poMappings(), poOrg());
    expect(p.exceptions.map((e) => e.code)).toEqual(["over_receipt"]);
    expect(only(p.invoices).body.LineItems[0]?.Quantity).toBe(4);
  });

  it("eaches already invoiced beyond what was received forecast a shortage claim", () => {
    const orders = readAll({
      name: "s.json",
      content: statusJson("P3", "999US", [
        { seq: 1, asin: "B07DFVDRAB", ordered: 5, accepted: 5, received: 3, cost: "346.27" },
      ]),
    });
    const invoiced: InvoicedRecord[] = [
      {
        key: "vcx1:999US:P3:inv:1",
        purchaseOrderNumber: "P3",
        shipmentId: "1",
        invoiceNumber: "P3-1",
        lines: [{ sequence: 1, eaches: 5 }],
      },
    ];
    const p = planPoInvoices(orders, poMappings(), poOrg(), { invoiced });
    expect(p.invoices).toEqual([]);
    const e = only(p.exceptions);
    expect(e.code).toBe("already_over_invoiced");
    expect(e.expectedClaim).toEqual({ kind: "shortage_claim", amount: 69254, currency: "USD" });
  });
});

describe("partial shipments, cancelled lines, invoice numbers and dates", () => {
  const order = (): PurchaseOrder[] =>
    readAll({
      name: "o.json",
      content: orderJson("P5", "999US", [
        { asin: "B07DFVDRAB", amount: 10, cost: "346.27" },
        { asin: "B07DFYF5AB", amount: 0, cost: "229.47" },
        { asin: "B01LNRIIAB", amount: 2, unit: "Cases", unitSize: 10, cost: "9.4975" },
      ]),
    });

  const mappings = () =>
    poMappings((m) => {
      const row = m.skus.find((s) => s.asin === "B01LNRIIAB");
      if (row) row.agreedCostPerEach = 94975;
    });

  it("each shipment is its own invoice; shipments already invoiced are skipped; cancelled lines never appear", () => {
    const shipments = [
      {
        purchaseOrderNumber: "P5",
        shipmentId: "S1",
        date: "2026-03-05",
        vendorInvoiceNumber: "INV-9001",
        lines: [
          { sequence: 1, eaches: 6 },
          { sequence: 2, eaches: 3 },
        ],
      },
      {
        purchaseOrderNumber: "P5",
        shipmentId: "S2",
        date: "2026-03-09",
        vendorInvoiceNumber: "INV-9002",
        lines: [
          { sequence: 1, eaches: 4 },
          { sequence: 3, eaches: 20 },
        ],
      },
    ];
    const p = planPoInvoices(order(), mappings(), poOrg(), {
      shipments,
      invoiceNumberPattern: "{vendorInvoice}",
    });
    expect(
      p.invoices.map((i) => [
        i.key,
        i.body.InvoiceNumber,
        i.body.Date,
        i.body.LineItems.map((l) => [l.ItemCode, l.Quantity, l.UnitAmount, l.LineAmount]),
      ]),
    ).toEqual([
      ["vcx1:999US:P5:inv:S1", "INV-9001", "2026-03-05", [["TV-55", 6, 346.27, 2077.62]]],
      [
        "vcx1:999US:P5:inv:S2",
        "INV-9002",
        "2026-03-09",
        [
          ["TV-55", 4, 346.27, 1385.08],
          ["COFFEE-LB", 20, 9.4975, 189.95],
        ],
      ],
    ]);
    expect(p.invoices[1]?.links[0]).toMatchObject({ fromEach: 6, toEach: 10 });
    const rest = planPoInvoices(order(), mappings(), poOrg(), {
      shipments,
      invoiceNumberPattern: "{vendorInvoice}",
      invoiced: [p.invoices[0]?.record as InvoicedRecord],
    });
    expect(rest.invoices.map((i) => i.key)).toEqual(["vcx1:999US:P5:inv:S2"]);
    expect(rest.lines.find((l) => l.sequence === 2)?.status).toBe("cancelled");
  });

  it("a pattern token without a value holds the PO instead of inventing a number", () => {
    const p = planPoInvoices(order(), mappings(), poOrg(), {
      basis: "accepted",
      invoiceNumberPattern: "{vendorInvoice}",
    });
    expect(p.invoices).toEqual([]);
    expect(p.exceptions.map((e) => e.code)).toEqual(["invoice_number_invalid"]);
  });

  it("the 850's ITD net days set the due date; a date in a locked period moves to the first open day", () => {
    const r = readPoFiles([{ name: "850.edi", content: x12("x12-850-vics-retail-po-casepack.edi") }], {
      vendorCode: "ACME850",
    });
    const p = planPoInvoices(r.orders, poMappings(), poOrg(), { basis: "accepted" });
    const inv = only(p.invoices);
    expect(inv.body.Date).toBe("2020-01-01");
    expect(inv.body.DueDate).toBe("2020-02-16"); // 46 days (ITD07)
    expect(p.exceptions.map((e) => e.code)).toEqual(["period_locked"]);
    expect(inv.subtotal).toBe(1304594); // AMT*1*13045.94
    expect(inv.body.LineItems.map((l) => l.ItemCode)).toEqual([
      "W-SMALL",
      "W-MEDIUM",
      "W-LARGE",
      "W-NANO",
      "W-BLUE",
      "W-ORANGE",
    ]);
  });

  it("DRAFT status and the payment-terms option are honoured", () => {
    const p = planPoInvoices(statusExample(), poMappings(), poOrg(), {
      status: "DRAFT",
      paymentTermsDays: 90,
    });
    expect(only(p.invoices).body.Status).toBe("DRAFT");
    expect(only(p.invoices).body.DueDate).toBe("2020-11-28");
  });
});

describe("merging sources", () => {
  it("the order's cost wins over the status's when the status is read first; a receipt in cases of the wrong size holds the PO", () => {
    const status = statusJson("P6", "999US", [
      {
        seq: 1,
        asin: "B07DFVDRAB",
        ordered: 24,
        accepted: 24,
        received: 2,
        receivedUnit: "Cases",
        receivedSize: 12,
        cost: "300.00",
      },
    ]);
    const order = orderJson("P6", "999US", [{ asin: "B07DFVDRAB", amount: 24, cost: "346.27" }]);
    const r = readPoFiles([
      { name: "s.json", content: status },
      { name: "o.json", content: order },
    ]);
    const line = r.orders[0]?.lines[0];
    expect(line?.netCost?.amount4).toBe(3462700);
    expect(line?.receivedEaches).toBe(24);
    expect(r.problems.map((p) => p.code)).toEqual(["sources_disagree"]);
    const p = planPoInvoices(r.orders, poMappings(), poOrg());
    expect(p.invoices).toEqual([]);
    expect(p.exceptions.map((e) => e.code)).toEqual(["case_pack_mismatch"]);
    expect(p.exceptions[0]?.reason).toContain("received ASIN B07DFVDRAB in cases of 12");
  });
});

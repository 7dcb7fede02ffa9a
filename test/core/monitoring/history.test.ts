/** Linking deductions across remittances, and one invoice's history in order. */
import { describe, expect, it } from "vitest";
import {
  invoiceHistory,
  linkHistory,
  orphanReversals,
  referencesIn,
} from "../../../worker/domain/monitoring/history";
import { line, payment, remittance } from "../plan/builders";
import { fixtureSettlement } from "./fixtures";

const jan = remittance(
  payment("P1", "2026-01-20", [line({ doc: "INV-B", kind: "invoice_payment", amount: 200000 })]),
);
const feb = remittance(
  payment("P2", "2026-02-10", [
    line({ doc: "INV-B", kind: "invoice_payment", amount: 270000 }),
    line({ doc: "INV-BSC", kind: "shortage_claim", amount: -30000, original: "INV-B" }),
    line({
      doc: "44VCBSINV",
      kind: "chargeback",
      amount: -15000,
      reference: "ASN accuracy chargeback PO 3TRD2IAB ASN 7781-22",
    }),
    line({ doc: "260201_PROVISION_FOR_RECEIVABLES", kind: "provision", amount: -50000 }),
  ]),
);
const mar = remittance(
  payment("P3", "2026-03-12", [
    // SCR as Vendor Central gives it: original = the SC, invoice = INV-B.
    {
      ...line({ doc: "INV-BSCR", kind: "shortage_claim_reversal", amount: 30000, original: "INV-BSC" }),
      invoiceNumber: "INV-B",
    },
    line({ doc: "INV-BSCRSC", kind: "shortage_claim_revised", amount: -12000, original: "INV-B" }),
    line({ doc: "260201 PROVISION FOR RECEIVABLESR", kind: "provision_reversal", amount: 50000 }),
    line({ doc: "INV-XSCR", kind: "shortage_claim_reversal", amount: 500, original: "INV-XSC" }),
  ]),
);
const po = [
  {
    invoiceNumber: "INV-B",
    purchaseOrderNumber: "3TRD2IAB",
    shipmentId: "S1",
    lines: [{ sequence: 1 }, { sequence: 2 }],
    date: "2026-01-12",
    total: 500000,
  },
];
const history = linkHistory([jan, feb, mar, feb /* uploaded twice */], po);
const byDoc = (doc: string) => history.lines.find((l) => l.line.documentNumber === doc);

describe("linking", () => {
  it("ignores a remittance uploaded twice", () => {
    expect(history.lines).toHaveLength(9);
  });

  it("SC → invoice → PO lines", () => {
    expect(byDoc("INV-BSC")).toMatchObject({
      invoiceNumber: "INV-B",
      purchaseOrders: [
        { purchaseOrderNumber: "3TRD2IAB", shipmentId: "S1", via: "po_invoice", lineSequences: [1, 2] },
      ],
      reversedBy: ["P3/INV-BSCR/1"],
      netAmount: 0,
      status: "linked",
    });
  });

  it("SCR → SC, and the revised claim stays on the invoice", () => {
    expect(byDoc("INV-BSCR")).toMatchObject({
      reverses: "P2/INV-BSC/1",
      invoiceNumber: "INV-B",
      status: "linked",
    });
    expect(byDoc("INV-BSCRSC")).toMatchObject({ invoiceNumber: "INV-B", netAmount: -12000, reversedBy: [] });
  });

  it("chargeback → PO and shipment from the reference details", () => {
    expect(byDoc("44VCBSINV")).toMatchObject({
      purchaseOrders: [{ purchaseOrderNumber: "3TRD2IAB", shipmentId: "7781-22", via: "reference_details" }],
      status: "linked",
    });
    expect(referencesIn("PO# 2JK3S9VC, po: 3trd2iab; shipment id FBA15ABC")).toEqual({
      purchaseOrders: ["2JK3S9VC", "3TRD2IAB"],
      shipments: ["FBA15ABC"],
    });
  });

  it("provision → its reversal, spaces or underscores", () => {
    expect(byDoc("260201_PROVISION_FOR_RECEIVABLES")).toMatchObject({
      reversedBy: ["P3/260201 PROVISION FOR RECEIVABLESR/1"],
      netAmount: 0,
    });
  });

  it("a reversal whose original never came is an orphan", () => {
    expect(orphanReversals(history).map((l) => l.line.id)).toEqual(["P3/INV-XSCR/1"]);
  });

  it("a second reversal of the same claim does not reverse it twice", () => {
    const twice = linkHistory([
      feb,
      remittance(
        payment("P4", "2026-03-01", [
          line({ doc: "INV-BSCR", kind: "shortage_claim_reversal", amount: 30000, original: "INV-BSC" }),
        ]),
      ),
      remittance(
        payment("P5", "2026-03-08", [
          line({ doc: "INV-BSCR", kind: "shortage_claim_reversal", amount: 30000, original: "INV-BSC" }),
        ]),
      ),
    ]);
    expect(twice.lines.filter((l) => l.status === "original_not_seen").map((l) => l.line.id)).toEqual([
      "P5/INV-BSCR/1",
    ]);
  });
});

describe("one invoice's history", () => {
  it("lists raised, paid, claimed, reversed in order", () => {
    expect(
      invoiceHistory(history, "INV-B", po).map((e) => [e.date, e.type, e.documentNumber, e.amount]),
    ).toEqual([
      ["2026-01-12", "invoiced", "INV-B", 500000],
      ["2026-01-20", "paid", "INV-B", 200000],
      ["2026-02-10", "paid", "INV-B", 270000],
      ["2026-02-10", "claimed", "INV-BSC", -30000],
      ["2026-03-12", "reversed", "INV-BSCR", 30000],
      ["2026-03-12", "claimed", "INV-BSCRSC", -12000],
    ]);
  });

  it("on the fixture: INV-B paid and claimed, INV-C claimed after it was paid", () => {
    const fx = fixtureSettlement();
    const h = linkHistory([fx.remittance]);
    expect(invoiceHistory(h, "INV-B").map((e) => [e.type, e.documentNumber, e.amount])).toEqual([
      ["paid", "INV-B", 500000],
      ["claimed", "INV-BSC", -30000],
    ]);
    expect(invoiceHistory(h, "INV-C").map((e) => [e.type, e.kind])).toEqual([["claimed", "price_claim"]]);
    expect(invoiceHistory(h, "INV-A")[0]).toMatchObject({ type: "paid", termsDiscount: 20000 });
  });
});

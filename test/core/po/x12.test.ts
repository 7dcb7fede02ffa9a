/** X12 850 (PO1 + PO4 pack) and 855 (ACK) into the same PO model, with located problems for bad input. */
import { describe, expect, it } from "vitest";
import { planPoInvoices } from "../../../worker/domain/po/plan";
import { readPoFiles } from "../../../worker/domain/po/read";
import { readPoX12 } from "../../../worker/domain/po/x12";
import { poMappings, poOrg, x12 } from "./builders";

const SAMPLE_850 = () => x12("x12-850-vics-retail-po-casepack.edi");
const SAMPLE_855 = () => fixtureText("x12-855-po-ack.edi");

import { readFileSync } from "node:fs";

function fixtureText(name: string): string {
  return readFileSync(new URL(`../../fixtures/po/${name}`, import.meta.url), "utf8");
}

/** A small Amazon-shaped 850 with one case line (CA × PO4 pack). */
function amazon850(
  opts: {
    pack?: string;
    amt?: string;
    qty?: string;
    unit?: string;
    price?: string;
    ctt?: string;
    noPo4?: boolean;
  } = {},
): string {
  const body = [
    "ST*850*0001",
    "BEG*00*SA*7QX2PL9A**20260301",
    "REF*IA*999US",
    "CUR*BY*USD",
    "DTM*064*20260305",
    "DTM*063*20260312",
    "N1*ST**92*PHX7",
    `PO1*1*${opts.qty ?? "3"}*${opts.unit ?? "CA"}*${opts.price ?? "346.27"}*PE*BP*B07DFVDRAB*VN*8806098286500`,
    ...(opts.noPo4 ? [] : [`PO4*${opts.pack ?? "1"}`]),
    "PO1*2*5*EA*229.47*PE*BP*B07DFYF5AB",
    `CTT*${opts.ctt ?? "2"}`,
    `AMT*1*${opts.amt ?? "2186.16"}`,
  ];
  const segs = [
    "ISA*00*          *00*          *ZZ*AMAZON         *ZZ*ACMEVENDOR     *260301*1200*U*00401*000000101*0*P*>",
    "GS*PO*AMAZON*ACMEVENDOR*20260301*1200*101*X*004010",
    ...body,
    `SE*${body.length + 1}*0001`,
    "GE*1*101",
    "IEA*1*000000101",
  ];
  return `${segs.join("~\n")}~\n`;
}

describe("X12 850", () => {
  it("the VICS sample: 6 PO1 lines in eaches with their PO4 packs, ITD terms, AMT total checked", () => {
    const r = readPoX12("850.edi", SAMPLE_850());
    expect(r.format).toBe("x12-850");
    expect(r.problems.filter((p) => p.severity === "error")).toEqual([]);
    const po = r.orders[0];
    expect(po?.purchaseOrderNumber).toBe("08292233294");
    expect(po?.orderDate).toBe("2010-11-27");
    expect(po?.shipToParty).toBe("0003947268292");
    expect(po?.paymentTerms).toEqual({ netDays: 46, discountPercent: "2", discountDays: 45 });
    expect(
      po?.lines.map((l) => [
        l.sequence,
        l.vendorSku,
        l.orderedEaches,
        l.ordered.unitSize,
        l.netCost?.amount4,
      ]),
    ).toEqual([
      [1, "AB3542", 120, 4, 92500],
      [2, "RD5322", 220, 2, 137900],
      [3, "XY5266", 126, 6, 109900],
      [4, "VX2332", 76, 4, 43500],
      [5, "RV0524", 72, 4, 75000],
      [6, "DX1875", 696, 6, 95500],
    ]);
  });

  it("an Amazon-shaped 850: REF*IA vendor code, BP = ASIN, cases × PO4 pack = eaches", () => {
    const r = readPoX12("a850.edi", amazon850({ pack: "1" }));
    expect(r.problems).toEqual([]);
    const po = r.orders[0];
    expect(po?.vendorCode).toBe("999US");
    expect(po?.lines[0]).toMatchObject({
      asin: "B07DFVDRAB",
      vendorSku: "8806098286500",
      orderedEaches: 3,
      ordered: { amount: 3, unit: "Cases", unitSize: 1 },
    });
  });

  it("PO4 pack against the SKU map: a different pack holds the PO naming the product", () => {
    const r = readPoX12("a850.edi", amazon850({ pack: "6", amt: "7380.21" }));
    expect(r.problems).toEqual([]);
    expect(r.orders[0]?.lines[0]?.orderedEaches).toBe(18);
    const p = planPoInvoices(r.orders, poMappings(), poOrg(), { basis: "accepted" });
    expect(p.invoices).toEqual([]);
    expect(p.exceptions.map((e) => [e.code, e.product])).toEqual([
      ["case_pack_mismatch", "ASIN B07DFVDRAB, vendor SKU 8806098286500"],
    ]);
  });

  it("the 850 sample's packs agree with the SKU map, so nothing is held", () => {
    const r = readPoFiles([{ name: "850.edi", content: SAMPLE_850() }], { vendorCode: "ACME850" });
    const p = planPoInvoices(r.orders, poMappings(), poOrg(), { basis: "accepted" });
    expect(p.exceptions.filter((e) => e.severity === "blocking")).toEqual([]);
    const wrong = poMappings((m) => {
      const row = m.skus.find((s) => s.vendorSku === "XY5266");
      if (row) row.unitsPerCase = 12;
    });
    const held = planPoInvoices(r.orders, wrong, poOrg(), { basis: "accepted" });
    expect(held.exceptions.map((e) => [e.code, e.sequence, e.product])).toEqual([
      ["case_pack_mismatch", 3, "vendor SKU XY5266"],
    ]);
  });

  it("bad quantities, units, prices, totals and line counts are problems with segment and element", () => {
    const r = readPoX12("bad.edi", amazon850({ qty: "2.5" }));
    expect(r.problems[0]).toMatchObject({ code: "bad_quantity", row: 10, column: "PO102" });
    expect(readPoX12("b.edi", amazon850({ unit: "PL" })).problems[0]).toMatchObject({
      code: "bad_unit",
      column: "PO102",
    });
    expect(readPoX12("c.edi", amazon850({ price: "1,5" })).problems[0]).toMatchObject({
      code: "bad_price",
      column: "PO104",
    });
    expect(readPoX12("d.edi", amazon850({ amt: "1.00" })).problems.map((p) => p.code)).toEqual([
      "total_mismatch",
    ]);
    expect(readPoX12("e.edi", amazon850({ ctt: "3" })).problems.map((p) => p.code)).toEqual([
      "line_count_mismatch",
    ]);
    expect(readPoX12("f.edi", amazon850({ noPo4: true })).problems.map((p) => p.code)).toEqual([
      "case_without_size",
      "total_mismatch",
    ]);
  });

  it("not X12, or an X12 that is not a PO, is reported, not thrown", () => {
    expect(readPoX12("g.edi", "ISA*garbage").problems[0]?.code).toBe("bad_x12");
    const r820 = readPoX12("820.edi", x12("x12-820-retail-remittance-with-adx.edi"));
    expect(r820.problems[0]?.code).toBe("not_a_purchase_order");
    expect(r820.orders).toEqual([]);
  });
});

describe("X12 855", () => {
  it("ACK*IA accepts, ACK*IR rejects; quantities in UN are eaches", () => {
    const r = readPoX12("855.edi", SAMPLE_855());
    expect(r.format).toBe("x12-855");
    expect(r.problems.filter((p) => p.severity === "error")).toEqual([]);
    const po = r.orders[0];
    expect(po?.purchaseOrderNumber).toBe("POTEST1112");
    expect(po?.currency).toBe("USD");
    expect(
      po?.lines.map((l) => [
        l.sequence,
        l.otherIds[0],
        l.orderedEaches,
        l.confirmationStatus,
        l.acceptedEaches,
        l.rejectedEaches,
      ]),
    ).toEqual([
      [1, "9780446360265", 3, "ACCEPTED", 3, 0],
      [2, "9780767928427", 2, "REJECTED", 0, 2],
      [3, "9780099599531", 1, "REJECTED", 0, 1],
      [4, "9780446360272", 2, "ACCEPTED", 2, 0],
    ]);
  });

  it("an 855 merged with its 850 sets accepted eaches; basis accepted invoices only the accepted lines", () => {
    const r = readPoFiles([{ name: "855.edi", content: SAMPLE_855() }], { vendorCode: "ACME850" });
    const p = planPoInvoices(r.orders, poMappings(), poOrg(), {
      basis: "accepted",
      invoiceDate: "2026-03-01",
    });
    const inv = p.invoices[0];
    expect(inv?.body.LineItems.map((l) => [l.ItemCode, l.Quantity, l.LineAmount])).toEqual([
      ["BOOK-DICT", 3, 13.5],
      ["BOOK-THES", 2, 9],
    ]);
    expect(p.lines.map((l) => l.status)).toEqual(["invoiced", "rejected", "rejected", "invoiced"]);
  });
});

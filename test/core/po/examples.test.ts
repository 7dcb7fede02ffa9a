/**
 * Amazon's own example payloads are the external truth: every vendorOrders example file and every static
 * sandbox response in vendorOrders.json reads, and each documented quirk (§2.5) is accepted and normalised.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readPoJson } from "../../../worker/domain/po/json";
import { readPoFiles } from "../../../worker/domain/po/read";
import {
  EXAMPLES,
  example,
  exampleFile,
  orderJson,
  readAll,
  statusJson,
  vendorOrdersModel,
} from "./builders";

interface SandboxCase {
  op: string;
  code: string;
  request: unknown;
  response: unknown;
}

function sandboxCases(): SandboxCase[] {
  const model = vendorOrdersModel() as {
    paths: Record<
      string,
      Record<string, { operationId?: string; responses?: Record<string, Record<string, unknown>> }>
    >;
  };
  const out: SandboxCase[] = [];
  for (const ops of Object.values(model.paths))
    for (const op of Object.values(ops)) {
      if (typeof op !== "object" || !op.operationId?.startsWith("get")) continue;
      for (const [code, r] of Object.entries(op.responses ?? {})) {
        const sb = r["x-amzn-api-sandbox"] as
          | { static?: { request: unknown; response: unknown }[] }
          | undefined;
        for (const ex of sb?.static ?? []) out.push({ op: op.operationId, code, ...ex });
      }
    }
  return out;
}

describe("Amazon's example files", () => {
  const files = readdirSync(fileURLToPath(EXAMPLES)).filter((f) =>
    /^vendorOrders\.get.*\.200\.json$/.test(f),
  );

  it("finds the three vendorOrders GET examples", () => {
    expect(files.sort()).toEqual([
      "vendorOrders.getPurchaseOrder.200.json",
      "vendorOrders.getPurchaseOrders.200.json",
      "vendorOrders.getPurchaseOrdersStatus.200.json",
    ]);
  });

  it.each(files)("%s parses with no error", (name) => {
    const r = readPoJson(name, example(name));
    expect(r.problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(r.orders.length).toBeGreaterThan(0);
    for (const po of r.orders)
      for (const l of po.lines) expect(Number.isSafeInteger(l.orderedEaches)).toBe(true);
  });

  it("getPurchaseOrders: 2JK3S9VC in eaches with exact 4 dp costs, and the page's nextToken", () => {
    const r = readPoJson("orders.json", example("vendorOrders.getPurchaseOrders.200.json"));
    expect(r.format).toBe("sp-api-orders");
    expect(r.nextToken).toBe("MDAwMDAwMDAwMQ==");
    const po = r.orders.find((o) => o.purchaseOrderNumber === "2JK3S9VC");
    expect(po?.vendorCode).toBe("999US");
    expect(po?.orderDate).toBe("2019-08-20");
    expect(po?.changedDate).toBe("2019-08-22");
    expect(po?.shipWindow).toEqual({ start: "2019-08-21T07:00:00Z", end: "2019-08-27T07:00:00Z" });
    expect(
      po?.lines.map((l) => [l.sequence, l.asin, l.vendorSku, l.orderedEaches, l.netCost?.amount4]),
    ).toEqual([
      [1, "B07DFVDRAB", "8806098286500", 1, 3462700],
      [2, "B07DFYF5AB", "8806098286123", 2, 2294700],
      [3, "B07MC84QAB", "8806098095123", 13, 4127100],
    ]);
  });

  it('quirk: "CASES" is read as Cases and normalised to eaches (5 × 10 = 50); netCost priced per POUND', () => {
    const [po] = readAll(exampleFile("vendorOrders.getPurchaseOrders.200.json")).filter(
      (o) => o.purchaseOrderNumber === "3TRD2IAB",
    );
    const line = po?.lines[0];
    expect(line?.ordered).toEqual({ amount: 5, unit: "Cases", unitSize: 10 });
    expect(line?.orderedEaches).toBe(50);
    expect(line?.netCost).toEqual({ amount4: 949700, currency: "USD", weightUnit: "POUNDS" });
  });

  it("getPurchaseOrder: TestPO3, 10 eaches at 50 USD (amount without decimals)", () => {
    const r = readPoJson("po.json", example("vendorOrders.getPurchaseOrder.200.json"));
    expect(r.format).toBe("sp-api-order");
    expect(r.orders[0]?.purchaseOrderNumber).toBe("TestPO3");
    expect(r.orders[0]?.lines[0]?.orderedEaches).toBe(10);
    expect(r.orders[0]?.lines[0]?.netCost?.amount4).toBe(500000);
  });

  it("quirk: the status example's receipt of {1, Cases, unitSize 1} for a line ordered in Eaches is 1 each", () => {
    const r = readPoJson("status.json", example("vendorOrders.getPurchaseOrdersStatus.200.json"));
    expect(r.format).toBe("sp-api-status");
    const po = r.orders[0];
    expect(po?.purchaseOrderNumber).toBe("2JK3S9VB");
    const [l1, l2, l3] = po?.lines ?? [];
    expect([l1?.orderedEaches, l1?.acceptedEaches, l1?.receivedEaches, l1?.receiveStatus]).toEqual([
      1,
      1,
      1,
      "RECEIVED",
    ]);
    expect([l2?.orderedEaches, l2?.acceptedEaches, l2?.rejectedEaches, l2?.receivedEaches]).toEqual([
      20, 15, 5, 10,
    ]);
    expect(l2?.confirmationStatus).toBe("PARTIALLY_ACCEPTED");
    expect(l2?.lastReceiveDate).toBe("2020-08-30");
    expect([l3?.confirmationStatus, l3?.acceptedEaches, l3?.receiveStatus]).toEqual([
      "REJECTED",
      0,
      "NOT_RECEIVED",
    ]);
  });

  it("quirk: the receipt in Cases counts unitSize eaches per case", () => {
    const [po] = readAll({
      name: "s.json",
      content: statusJson("P1", "999US", [
        { seq: "1", ordered: 24, accepted: 24, received: 2, receivedUnit: "CASES", receivedSize: 12 },
      ]),
    });
    expect(po?.lines[0]?.receivedEaches).toBe(24);
  });

  it("quirk: PARTIALLY_RECEIVE (the docs table) is accepted as PARTIALLY_RECEIVED", () => {
    const [po] = readAll({
      name: "s.json",
      content: statusJson("P1", "999US", [
        { seq: 1, ordered: 4, received: 2, receiveStatus: "PARTIALLY_RECEIVE" },
      ]),
    });
    expect(po?.lines[0]?.receiveStatus).toBe("PARTIALLY_RECEIVED");
  });

  it('quirk: itemSequenceNumber "1", 1 and "001" are the same line when order and status merge', () => {
    const order = orderJson("P7", "999US", [
      { seq: "001", asin: "B07DFVDRAB", amount: 3, cost: "346.27" },
      { seq: "2", asin: "B07DFYF5AB", amount: 4, cost: "229.47" },
    ]);
    const status = statusJson("P7", "999US", [
      { seq: 1, ordered: 3, accepted: 3, received: 3 },
      { seq: "02", ordered: 4, accepted: 4, received: 1 },
    ]);
    const [po] = readAll({ name: "o.json", content: order }, { name: "s.json", content: status });
    expect(po?.lines.map((l) => [l.sequence, l.sequenceText, l.receivedEaches])).toEqual([
      [1, "001", 3],
      [2, "2", 1],
    ]);
    expect(po?.formats).toEqual(["sp-api-orders", "sp-api-status"]);
  });

  it("quirk: an ordered amount of 0 is a cancelled line, and an exponent amount parses exactly", () => {
    const [po] = readAll({
      name: "o.json",
      content: orderJson("P8", "999US", [
        { asin: "B07DFVDRAB", amount: 0, cost: "346.27" },
        { asin: "B07DFYF5AB", amount: 2, cost: "2.2947E+2" },
      ]),
    });
    expect(po?.lines[0]?.cancelled).toBe(true);
    expect(po?.lines[1]?.netCost?.amount4).toBe(2294700);
  });
});

describe("the static sandbox responses in vendorOrders.json", () => {
  const cases = sandboxCases();

  it("covers the three GET operations", () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(
      new Set(["getPurchaseOrders", "getPurchaseOrder", "getPurchaseOrdersStatus"]),
    );
  });

  it.each(cases.map((c, i) => [`${c.op} ${c.code} #${i}`, c] as const))("%s reads", (_, c) => {
    const r = readPoJson(`${c.op}.json`, JSON.stringify(c.response));
    if (c.code === "200") {
      expect(r.problems.filter((p) => p.severity === "error")).toEqual([]);
      expect(r.orders.length).toBeGreaterThan(0);
    } else {
      expect(r.orders).toEqual([]);
      expect(r.problems.map((p) => p.code)).toContain("amazon_error");
    }
  });

  it("TestPO1 (poItemState=Cancelled) carries a zero quantity: read as a cancelled line", () => {
    const c = cases.find((x) => JSON.stringify(x.request).includes("Cancelled"));
    const r = readPoJson("cancelled.json", JSON.stringify(c?.response));
    const po = r.orders.find((o) => o.purchaseOrderNumber === "TestPO1");
    expect(po?.lines.some((l) => l.cancelled && l.orderedEaches === 0)).toBe(true);
  });
});

describe("bad input becomes located problems, never an exception", () => {
  it("a bad amount, a bad unit and a missing case size name their JSON paths", () => {
    const text = orderJson("P9", "999US", [
      { asin: "B07DFVDRAB", amount: 1, cost: "12,50" },
      { asin: "B07DFYF5AB", amount: 1, unit: "Pallets", cost: "1" },
      { asin: "B07DFYF5XY", amount: 1, cost: "1.123456" },
    ]);
    const r = readPoJson("bad.json", text);
    const paths = r.problems.map((p) => p.path);
    expect(paths).toContain("payload.orders[0].orderDetails.items[0].netCost.amount");
    expect(paths).toContain("payload.orders[0].orderDetails.items[1].orderedQuantity.unitOfMeasure");
    expect(paths).toContain("payload.orders[0].orderDetails.items[2].netCost.amount");
    expect(r.orders[0]?.lines).toEqual([]);
    const noSize = JSON.parse(
      orderJson("P10", "999US", [{ asin: "B07DFVDRAB", amount: 2, unit: "Cases", cost: "1" }]),
    );
    delete noSize.payload.orders[0].orderDetails.items[0].orderedQuantity.unitSize;
    expect(readPoJson("x.json", JSON.stringify(noSize)).problems.map((p) => p.code)).toContain(
      "case_without_size",
    );
  });

  it("non-JSON, a wrong shape and Amazon's error list are reported", () => {
    expect(readPoJson("a.json", "{nope").problems[0]?.code).toBe("bad_json");
    expect(readPoJson("b.json", '{"payload":{"foo":1}}').problems[0]?.code).toBe("not_a_purchase_order");
    expect(readPoJson("c.json", "[1,2]").problems[0]?.code).toBe("not_a_purchase_order");
    const r = readPoFiles([{ name: "d.txt", content: "hello" }]);
    expect(r.problems[0]?.code).toBe("unknown_format");
  });
});

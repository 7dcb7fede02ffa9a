/** `vcx po plan`: Amazon's example files through the CLI, text and JSON, exit codes. */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { poCommand } from "../../../worker/cli/commands/po";
import { readMappingWorkbook } from "../../../worker/domain/mapping/workbook";
import { fixture, poMappings, poOrgInput } from "./builders";

const root = new URL("../../../", import.meta.url);
const EX = "../shared/specs/amazon-sp-api/examples/";
const FIX = ["--mappings", "test/fixtures/po/po-mappings.xlsx", "--org", "test/fixtures/po/po-org.json"];

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await poCommand(args[0] === "--raw" ? args.slice(1) : ["plan", ...args], {
    readFile: async (p) => new Uint8Array(await readFile(new URL(p, root))),
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  return { code, out: out.join(""), err: err.join("") };
}

describe("vcx po plan", () => {
  it("the fixtures are in step with the builders", async () => {
    const wb = readMappingWorkbook(
      new Uint8Array(await readFile(new URL("test/fixtures/po/po-mappings.xlsx", root))),
    );
    expect(wb.ok && wb.mappings.skus.map((s) => [s.itemCode, s.unitsPerCase, s.agreedCostPerEach])).toEqual(
      poMappings().skus.map((s) => [s.itemCode, s.unitsPerCase, s.agreedCostPerEach]),
    );
    expect(JSON.parse(fixture("po-org.json"))).toEqual(JSON.parse(JSON.stringify(poOrgInput())));
  });

  it("prints the normalised POs, the invoices and no exceptions for the status example", async () => {
    const r = await run([`${EX}vendorOrders.getPurchaseOrdersStatus.200.json`, ...FIX]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("PO 2JK3S9VB vendor 999US");
    expect(r.out).toContain("1. B07DFVDRAB / 8806098286500: 1 eaches @ USD 346.27 — accepted 1, received 1");
    expect(r.out).toContain(
      "2JK3S9VB-1  2020-08-30 due 2020-10-29  USD 2640.97 + tax  [vcx1:999US:2JK3S9VB:inv:1]",
    );
    expect(r.out).toContain("TV-43 10 × 229.47 = 2294.7 (OUTPUT)");
    expect(r.out).toMatch(/Exceptions:\n {2}\(none\)/);
  });

  it("--json prints orders, problems and the plan; --posted skips the key", async () => {
    const r = await run([
      `${EX}vendorOrders.getPurchaseOrdersStatus.200.json`,
      ...FIX,
      "--json",
      "--posted",
      "vcx1:999US:2JK3S9VB:inv:1",
    ]);
    const j = JSON.parse(r.out);
    expect(j.orders[0].purchaseOrderNumber).toBe("2JK3S9VB");
    expect(j.plan.invoices).toEqual([]);
    expect(j.plan.alreadyPosted).toEqual(["vcx1:999US:2JK3S9VB:inv:1"]);
  });

  it("merges several files and holds a weight-priced PO (exit 1), showing cases and the per-pound cost", async () => {
    const r = await run([`${EX}vendorOrders.getPurchaseOrders.200.json`, ...FIX, "--basis", "accepted"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("1. B01LNRIIAB / B01LNRIIAB: 50 eaches (5 cases × 10) @ USD 94.97/pounds");
    expect(r.out).toContain("HELD weight_priced_without_weight");
    expect(r.out).toContain("3TRD2IAB: held");
    expect(r.out).toContain("2JK3S9VC: planned");
  });

  it("reads X12 850 with --vendor, and reports usage errors with exit 2", async () => {
    const r = await run([
      "test/fixtures/x12/x12-850-vics-retail-po-casepack.edi",
      ...FIX,
      "--vendor",
      "ACME850",
      "--basis",
      "accepted",
      "--terms",
      "30",
    ]);
    expect(r.out).toContain("08292233294-1  2020-01-01 due 2020-02-16  USD 13045.94 + tax");
    expect(r.err).toContain("warning: segment 4 (BEG), CUR02: no CUR segment");
    expect((await run(["--raw", "plan", ...FIX])).code).toBe(2);
    expect((await run(["--raw"])).code).toBe(2);
    expect(
      (await run([`${EX}vendorOrders.getPurchaseOrder.200.json`, ...FIX, "--basis", "shipped"])).code,
    ).toBe(2);
    const missing = await run(["nope.json", ...FIX]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("Cannot read nope.json");
  });

  it("invoices a shipment confirmation (ASN) against its PO, one invoice per shipment", async () => {
    const r = await run([
      "test/fixtures/po/TestOrder202.getPurchaseOrder.json",
      `${EX}vendorShipments.SubmitShipmentConfirmations.request.json`,
      ...FIX,
    ]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      "TestOrder202-TestShipmentConfirmation202  2021-03-11 due 2021-05-10  USD 66233.02 + tax  [vcx1:API01:TestOrder202:inv:TestShipmentConfirmation202]",
    );
    expect(r.out).toContain("COFFEE-LB 332.8 × 94.97 = 31606.02");
  });
});

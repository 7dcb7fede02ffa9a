import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { planCommand } from "../../../worker/cli/commands/plan";

const root = new URL("../../../", import.meta.url);

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    readFile: async (p: string) => new Uint8Array(await readFile(new URL(p, root))),
    write: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) },
  };
}

const FIXTURE_ARGS = [
  "test/fixtures/remittances/us-40311877.csv",
  "--mappings",
  "test/fixtures/mappings/demo-mappings.xlsx",
  "--org",
  "test/fixtures/org/demo-org.json",
];

async function run(args: string[]) {
  const x = io();
  const code = await planCommand(args, { readFile: x.readFile, ...x.write });
  return { code, out: x.out.join(""), err: x.err.join("") };
}

describe("vcx plan", () => {
  it("plans the worked example from the shipped fixtures", async () => {
    const r = await run(FIXTURE_ARGS);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("net (payment)");
    expect(r.out).toContain("USD 12,770.00");
    expect(r.out).toContain("Pay INV-B 4,700.00 from clearing 1210");
    expect(r.out).not.toContain("FAIL");
  });

  it("--json prints the wire documents and decimal amounts; --posted skips keys", async () => {
    const r = await run([...FIXTURE_ARGS, "--json", "--posted", "vcx1:ACME1:40311877:cn:INV-BSC"]);
    const plan = JSON.parse(r.out);
    expect(plan.documents).toHaveLength(7);
    expect(plan.alreadyPosted).toEqual(["vcx1:ACME1:40311877:cn:INV-BSC"]);
    expect(plan.payments[0].net).toBe("12770.00");
    expect(plan.documents[0].body).toEqual({
      Invoice: { InvoiceID: "0a1b2c3d-0000-4000-8000-00000000000b" },
      Amount: 300,
      Date: "2026-02-10",
    });
  });

  it("exit 1 with blocking exceptions (two-payment export with an invoice missing from Xero)", async () => {
    const r = await run(["test/fixtures/remittances/us-two-section.xlsx", ...FIXTURE_ARGS.slice(1)]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("BLOCKING invoice_not_found");
  });

  it("usage errors exit 2; unreadable inputs exit 1", async () => {
    expect((await run(["x.csv"])).code).toBe(2);
    expect((await run([...FIXTURE_ARGS, "--locale", "mars"])).code).toBe(2);
    const missing = await run([
      FIXTURE_ARGS[0]!,
      "--mappings",
      "nope.xlsx",
      "--org",
      "test/fixtures/org/demo-org.json",
    ]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("Cannot read nope.xlsx");
    const vendor = await run([...FIXTURE_ARGS, "--vendor", "NOPE"]);
    expect(vendor.code).toBe(1);
    expect(vendor.err).toContain("no Settings row for vendor code NOPE");
  });
});

/** `vcx report month` offline on the shipped fixtures. */
import { readFile } from "node:fs/promises";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { reportCommand } from "../../../worker/cli/commands/report";
import { main } from "../../../worker/cli/vcx";

const root = new URL("../../../", import.meta.url);
const extra: Record<string, string> = {
  "ledger-ok.json": JSON.stringify({
    "6160": "200.00",
    "6120": "150.00",
    "6110": "1000.00",
    "6130": "300.00",
    "6140": "80.00",
    "1220": "500.00",
    "1210": "0.00",
  }),
  "ledger-off.json": JSON.stringify({ movements: { "6130": "290.00" }, balances: { "1210": "10.00" } }),
  "ledger-bad.json": JSON.stringify({ "6130": "12.345" }),
};

async function run(args: string[], via: "command" | "main" = "command") {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    readFile: async (p: string) =>
      extra[p] !== undefined
        ? new TextEncoder().encode(extra[p])
        : new Uint8Array(await readFile(new URL(p, root))),
    out: (t: string) => out.push(t),
    err: (t: string) => err.push(t),
  };
  const code = via === "main" ? await main(["report", ...args], io) : await reportCommand(args, io);
  return { code, out: out.join(""), err: err.join("") };
}

const ARGS = [
  "month",
  "2026-02",
  "--remittances",
  "test/fixtures/remittances/us-40311877.csv",
  "--mappings",
  "test/fixtures/mappings/demo-mappings.xlsx",
  "--org",
  "test/fixtures/org/demo-org.json",
];

describe("vcx report month", () => {
  it("prints the report for the fixture month, clearing zero, nothing to review", async () => {
    const r = await run(ARGS, "main");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      "Month-end control report 2026-02 (2026-02-01 – 2026-02-28) — VCX Demo Company (US)",
    );
    expect(r.out).toContain("Clearing 1210: 0.00 (zero, as it should be)");
    expect(r.out).toMatch(/shortage_claim\s+6130\s+USD\s+300\.00/);
    expect(r.out).toContain("Nothing to review.");
  });

  it("--json: the figures of accounting-model.md, tied to a ledger that agrees", async () => {
    const r = await run([...ARGS, "--json", "--ledger", "ledger-ok.json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.accountMovements).toMatchObject({
      "6160": "200.00",
      "6120": "150.00",
      "6110": "1000.00",
      "6130": "300.00",
      "6140": "80.00",
      "1220": "500.00",
      "1210": "0.00",
    });
    const ties = Object.fromEntries(
      json.ties
        .filter((t: { figure: string }) => !t.figure.startsWith("Provisions outstanding"))
        .map((t: { accountCode: string; status: string }) => [t.accountCode, t.status]),
    );
    expect(ties).toMatchObject({
      "6160": "ok",
      "6120": "ok",
      "6110": "ok",
      "6130": "ok",
      "6140": "ok",
      "1220": "ok",
      "1210": "ok",
    });
  });

  it("--csv with a ledger that differs: flagged, exit 1", async () => {
    const r = await run([...ARGS, "--csv", "--ledger", "ledger-off.json"]);
    expect(r.code).toBe(1);
    const rows = Papa.parse<Record<string, string>>(r.out.trim(), { header: true }).data;
    expect(rows.find((x) => x.Section === "Ledger tie" && x.Account === "6130")).toMatchObject({
      Amount: "300.00",
      Ledger: "290.00",
      Difference: "-10.00",
      Status: "difference",
    });
    expect(rows.filter((x) => x.Section === "Flags").map((x) => x.Item)).toEqual([
      "Clearing account 1210 has a balance of 10.00 in the ledger at 2026-02-28",
      "Account 6130 Amazon Shortage Claims: VCX posted 300.00 in 2026-02 but the ledger shows 290.00 (difference -10.00)",
    ]);
  });

  it("takes several remittance files after one --remittances, counting a payment once", async () => {
    const r = await run([...ARGS, "test/fixtures/remittances/us-40311877.csv", "--json"]);
    // The same file twice is the same payment: counted once, and said so.
    const json = JSON.parse(r.out);
    expect(json.remittances.received).toBe(1);
    expect(json.accountMovements["6130"]).toBe("300.00");
    expect(json.flags).toEqual(["Payment 40311877 is in more than one remittance given; counted once"]);
    expect(r.code).toBe(1);
  });

  it("usage and input errors", async () => {
    expect((await run(["month"])).code).toBe(2);
    expect((await run(["week", "2026-02"])).code).toBe(2);
    expect((await run([...ARGS.slice(0, 1), "2026-2", ...ARGS.slice(2)])).err).toContain("YYYY-MM");
    expect((await run([...ARGS, "--json", "--csv"])).code).toBe(2);
    const bad = await run([...ARGS, "--ledger", "ledger-bad.json"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe(
      "ledger-bad.json: movements.6130 is '12.345', not an amount with at most 2 decimals\n",
    );
    const missing = await run(["month", "2026-02", "--remittances", "nope.csv", ...ARGS.slice(4)]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("Cannot read nope.csv: ENOENT");
  });
});

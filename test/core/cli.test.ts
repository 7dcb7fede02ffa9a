import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { main } from "../../worker/cli/vcx";
import { fixtureBytes } from "../support/fixtures";

function io(files: Record<string, Uint8Array> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      readFile: async (p: string) => {
        const f = files[p];
        if (!f) throw Object.assign(new Error("nope"), { code: "ENOENT" });
        return f;
      },
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
    },
  };
}

describe("vcx parse", () => {
  it("prints the documented JSON shape", async () => {
    const t = io({ "r.csv": fixtureBytes("remittances/us-40311877.csv") });
    expect(await main(["parse", "r.csv", "--json"], t.io)).toBe(0);
    const json = JSON.parse(t.out.join(""));
    expect(json.format).toBe("vc-export-csv");
    expect(json.problems).toEqual([]);
    const p = json.payments[0];
    expect(p).toMatchObject({
      paymentNumber: "40311877",
      paymentDate: "2026-02-10",
      currency: "USD",
      amount: "12770.00",
    });
    expect(p.lines[0]).toMatchObject({
      documentNumber: "INV-A",
      kind: "invoice_payment",
      amount: "9800.00",
      invoiceAmount: "10000.00",
      termsDiscount: "200.00",
      withholding: "0.00",
      remainingAmount: "0.00",
      originalDocumentNumber: null,
      adjustments: [],
    });
    expect(p.lines[2]).toMatchObject({
      kind: "shortage_claim",
      amount: "-300.00",
      originalDocumentNumber: "INV-B",
    });
    expect(p.checks[0]).toMatchObject({ name: "lines_sum_to_payment", ok: true });
  });

  it("prints a readable summary with kinds, totals and checks", async () => {
    const t = io({ "r.edi": fixtureBytes("x12/amazon-820-adx.edi") });
    expect(await main(["parse", "r.edi"], t.io)).toBe(0);
    const text = t.out.join("");
    expect(text).toContain("Payment 40311877  2026-02-10  USD 12,770.00  6 lines");
    expect(text).toMatch(/chargeback\s+1\s+-150\.00/);
    expect(text).toContain("[ok  ] x12_bpr_total");
  });

  it("exits non-zero with errors and reads --locale", async () => {
    const ambiguous = new TextEncoder().encode(
      "Payment Number,Payment Date,Invoice Currency,Amount\nP1,02/03/2026,USD,1.00\nInvoices\nPayment Number,Invoice Number,Amount Paid\nP1,I1,1.00\n",
    );
    const a = io({ "a.csv": ambiguous });
    expect(await main(["parse", "a.csv", "--json"], a.io)).toBe(1);
    expect(JSON.parse(a.out.join("")).problems[0]).toMatchObject({
      severity: "error",
      row: null,
      column: null,
    });
    const b = io({ "a.csv": ambiguous });
    expect(await main(["parse", "a.csv", "--locale", "eu", "--json"], b.io)).toBe(0);
    expect(JSON.parse(b.out.join("")).payments[0].paymentDate).toBe("2026-03-02");
  });

  it("rejects wrong usage with exit code 2", async () => {
    const t = io();
    expect(await main(["parse"], t.io)).toBe(2);
    expect(await main(["parse", "x", "--locale", "mars"], t.io)).toBe(2);
    expect(await main(["frobnicate"], t.io)).toBe(2);
    expect(await main(["parse", "missing.csv"], t.io)).toBe(1);
    expect(t.err.join("")).toContain("Cannot read missing.csv: ENOENT");
  });

  it("runs as `vcx` from the package bin", async () => {
    const run = promisify(execFile);
    const bin = new URL("../../bin/vcx.js", import.meta.url).pathname;
    const file = new URL("../fixtures/remittances/uk-description-column.xlsx", import.meta.url).pathname;
    const { stdout } = await run(process.execPath, [bin, "parse", file, "--json"]);
    expect(JSON.parse(stdout).payments[0].amount).toBe("4310.25");
  });
});

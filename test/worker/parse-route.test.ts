import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
// Fixtures are bundled into the test as text/bytes: workerd has no file system.
import usCsv from "../fixtures/remittances/us-40311877.csv?raw";
import adx from "../fixtures/x12/amazon-820-adx.edi?raw";
import { newTenant, signIn } from "./helpers";

let token = "";
beforeAll(async () => {
  token = (await signIn([(await newTenant()).tenantId])).token;
});

async function post(body: BodyInit, query = "") {
  return exports.default.fetch(`http://vcx.test/v1/remittances/parse${query}`, {
    method: "POST",
    body,
    headers: { authorization: `Bearer ${token}` },
  });
}

describe("POST /v1/remittances/parse inside workerd", () => {
  it("parses a US CSV export with papaparse and classifies every line", async () => {
    const res = await post(usCsv, "?fileName=us.csv");
    expect(res.status).toBe(200);
    const json = (await res.json()) as { payments: { amount: string; lines: { kind: string }[] }[] };
    expect(json.payments[0]?.amount).toBe("12770.00");
    expect(json.payments[0]?.lines.map((l) => l.kind)).toEqual([
      "invoice_payment",
      "invoice_payment",
      "shortage_claim",
      "chargeback",
      "coop",
      "provision",
      "price_claim",
    ]);
  });

  it("parses an X12 820 with node-x12", async () => {
    const res = await post(adx);
    expect(res.status).toBe(200);
    const json = (await res.json()) as {
      format: string;
      payments: { checks: { name: string; ok: boolean }[] }[];
    };
    expect(json.format).toBe("x12-820");
    expect(json.payments[0]?.checks.find((c) => c.name === "x12_bpr_total")?.ok).toBe(true);
  });

  it("parses an XLSX written by SheetJS", async () => {
    const XLSX = await import("@e965/xlsx");
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ["Payment Number", "Payment Date", "Invoice Currency", "Amount in Invoice Currency"],
        ["P1", "2026-03-01", "USD", 100],
        ["Invoices"],
        ["Payment Number", "Invoice Number", "Amount Paid"],
        ["P1", "INV-9", 100],
      ]),
      "Remittance",
    );
    const bytes = XLSX.write(wb, { type: "array", bookType: "xlsx" }) as ArrayBuffer;
    const res = await post(bytes);
    expect(res.status).toBe(200);
    const json = (await res.json()) as { format: string; payments: { paymentDate: string }[] };
    expect(json.format).toBe("vc-export-xlsx");
    expect(json.payments[0]?.paymentDate).toBe("2026-03-01");
  });

  it("answers a bad file with 422 and a located problem, not a 500", async () => {
    const bad = usCsv.replace('"$9,800.00"', "N/A");
    const res = await post(bad);
    expect(res.status).toBe(422);
    const json = (await res.json()) as { problems: { row: number; column: string; message: string }[] };
    expect(json.problems[0]).toMatchObject({ row: 8, column: "Amount Paid" });
    expect(json.problems[0]?.message).toBe("Amount Paid on row 8 is 'N/A', expected an amount");
  });

  it("answers garbage bytes with 422", async () => {
    const res = await post(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    expect(res.status).toBe(422);
  });
});

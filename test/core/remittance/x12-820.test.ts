import { describe, expect, it } from "vitest";
import { ingest } from "../../../worker/domain/remittance/ingest";
import { isPostable, type Remittance } from "../../../worker/domain/remittance/model";
import { fixtureText, ingestFixture } from "../../support/fixtures";

const check = (r: Remittance, name: string) => r.payments[0]?.checks.find((c) => c.name === name);
const x12 = (text: string) => ingest({ kind: "text", fileName: "t.edi", text });

describe("EDI X12 820", () => {
  it("reads the public retail 820 sample and enforces both identities", () => {
    const r = ingestFixture("x12/x12-820-retail-remittance-with-adx.edi");
    expect(r.problems).toEqual([]);
    expect(r.format).toBe("x12-820");
    const p = r.payments[0]!;
    expect(p).toMatchObject({
      paymentNumber: "4529952",
      paymentDate: "2019-10-29",
      currency: "USD",
      amount: 2129897,
    });
    expect(p.lines).toHaveLength(7);
    expect(p.lines[0]).toMatchObject({
      documentNumber: "26801",
      kind: "invoice_payment",
      amount: 440875,
      invoiceAmount: 465041,
      termsDiscount: 9790,
      invoiceDate: "2019-09-04",
      adjustments: [
        {
          amount: -14376,
          reasonCode: "59",
          reasonText: "Item not received",
          kind: "shortage_claim",
          referenceId: "26801",
        },
      ],
    });
    expect(p.lines[0]!.referenceDetails).toContain("PO 1016071221");
    expect(check(r, "x12_rmr_identity")?.ok).toBe(true);
    expect(check(r, "x12_bpr_total")).toMatchObject({ ok: true, message: "Σ RMR04 = BPR02 = 21,298.97 USD" });
    expect(isPostable(r)).toBe(true);
  });

  it("reads deductions carried as ADX under invoices and under the entity", () => {
    const r = ingestFixture("x12/amazon-820-adx.edi");
    const p = r.payments[0]!;
    expect(p).toMatchObject({ paymentNumber: "40311877", amount: 1277000 });
    expect(
      p.lines.map((l) => [l.documentNumber, l.kind, l.amount, l.adjustments.map((a) => a.kind)]),
    ).toEqual([
      ["INV-A", "invoice_payment", 980000, []],
      ["INV-B", "invoice_payment", 470000, ["shortage_claim"]],
      ["INV-C", "invoice_payment", -8000, ["price_claim"]],
      ["123VCBSINV", "chargeback", -15000, []],
      ["3210-00000001", "coop", -100000, []],
      ["260201_PROVISION_FOR_RECEIVABLES", "provision", -50000, []],
    ]);
    expect(p.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("reads deductions carried as their own negative RMR lines", () => {
    const r = ingestFixture("x12/amazon-820-rmr-lines.edi");
    const kinds = r.payments[0]!.lines.map((l) => l.kind);
    expect(kinds).toEqual([
      "invoice_payment",
      "invoice_payment",
      "shortage_claim",
      "chargeback",
      "coop",
      "provision",
      "unknown",
    ]);
    // INV-CPC is only a price claim once INV-C is known to be an invoice (e.g. from Xero).
    const withXero = ingestFixture("x12/amazon-820-rmr-lines.edi", { knownInvoiceNumbers: ["INV-C"] });
    expect(withXero.payments[0]!.lines[6]).toMatchObject({ kind: "price_claim", invoiceNumber: "INV-C" });
    expect(check(r, "x12_bpr_total")?.ok).toBe(true);
  });

  it("fails the RMR identity when an adjustment does not explain the difference", () => {
    const text = fixtureText("x12/x12-820-retail-remittance-with-adx.edi").replace(
      "ADX*-143.76*59",
      "ADX*-143.75*59",
    );
    const r = x12(text);
    expect(check(r, "x12_rmr_identity")).toMatchObject({ ok: false, severity: "error", rows: [11] });
    expect(check(r, "x12_rmr_identity")!.message).toContain(
      "RMR05 − RMR06 + ΣADX01 = 4,408.76 but RMR04 = 4,408.75",
    );
    expect(isPostable(r)).toBe(false);
  });

  it("fails the BPR total when the lines do not add up to the payment", () => {
    const r = x12(
      fixtureText("x12/x12-820-retail-remittance-with-adx.edi").replace("BPR*I*21298.97", "BPR*I*21298.98"),
    );
    expect(check(r, "x12_bpr_total")).toMatchObject({
      ok: false,
      message: "Σ RMR04 = 21,298.97 but BPR02 = 21,298.98 USD",
    });
  });

  it("locates a bad amount by segment and element", () => {
    const r = x12(
      fixtureText("x12/x12-820-retail-remittance-with-adx.edi").replace(
        "RMR*IV*26927*PO*4653.84",
        "RMR*IV*26927*PO*4653,8x",
      ),
    );
    expect(r.problems).toContainEqual(
      expect.objectContaining({
        code: "bad_amount",
        row: 22,
        column: "RMR04",
        message: "RMR04 in segment 22 (RMR) is '4653,8x', expected an amount in USD",
      }),
    );
  });

  it("refuses other X12 documents by name", () => {
    const r = ingestFixture("x12/x12-850-vics-retail-po-casepack.edi");
    expect(r.problems).toMatchObject([{ code: "not_a_remittance", column: "ST01" }]);
    expect(r.problems[0]!.message).toContain("X12 850 (a purchase order)");
  });

  it("reports a malformed interchange instead of throwing", () => {
    const r = x12("ISA*00*broken~");
    expect(r.payments).toEqual([]);
    expect(r.problems[0]).toMatchObject({ severity: "error", code: "bad_x12" });
  });
});

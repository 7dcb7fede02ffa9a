import { describe, expect, it } from "vitest";
import {
  type ClassificationRule,
  Classifier,
  DEFAULT_RULES,
} from "../../../worker/domain/remittance/classify";

const known = (...numbers: string[]) => {
  const set = new Set(numbers);
  return (n: string) => set.has(n);
};

describe("classification rules", () => {
  const c = new Classifier();

  it.each([
    [{ documentNumber: "INV-A", transactionType: "Invoice", description: "Payments" }, "invoice_payment"],
    [{ documentNumber: "X1", transactionType: "Invoice" }, "invoice_payment"],
    [
      {
        documentNumber: "X1SC",
        transactionType: "Financial Debit Note Invoice",
        description: "Quantity shortage",
      },
      "shortage_claim",
    ],
    [{ documentNumber: "X1SCR", description: "Quantity shortage reversal" }, "shortage_claim_reversal"],
    [{ documentNumber: "X1PC", description: "Price variance" }, "price_claim"],
    [{ documentNumber: "X1PC", description: "Price variance reversal" }, "price_claim_reversal"],
    [{ documentNumber: "4411-00000017", description: "COOP – Service agreement" }, "coop"],
    [{ documentNumber: "4411-00000018", description: "Allowance – Discounts received" }, "coop"],
    [{ documentNumber: "4411-00000019", description: "Co-op" }, "coop"],
    [{ documentNumber: "R-1", description: "Product returns" }, "returns"],
    [
      {
        documentNumber: "161017_PROVISION_FOR_RECEIVABLES",
        transactionType: "Provision deduction",
        description: "Provision for aged receivable",
      },
      "provision",
    ],
    [
      {
        documentNumber: "161017_PROVISION_FOR_RECEIVABLESR",
        transactionType: "Provision reversal",
        description: "Provision for aged receivable",
      },
      "provision_reversal",
    ],
    [
      { documentNumber: "GST-1", transactionType: "GST Debit Note", description: "Quantity shortage" },
      "tax_debit_note",
    ],
    [{ documentNumber: "GST-2", transactionType: "GST Credit Note" }, "tax_credit_note"],
    [{ documentNumber: "123456VCBSINV" }, "chargeback"],
    [{ documentNumber: "3210-00000001" }, "coop"],
    [{ documentNumber: "260201_PROVISION_FOR_RECEIVABLES" }, "provision"],
    [{ documentNumber: "260201 PROVISION FOR RECEIVABLESR" }, "provision_reversal"],
    [{ documentNumber: "IPAPUS1234567" }, "price_protection"],
  ])("%o → %s", (facts, kind) => {
    expect(c.classify(facts, known()).kind).toBe(kind);
  });

  it("accepts a suffix pattern only when its prefix is a known invoice", () => {
    expect(c.classify({ documentNumber: "INV-BSC" }, known())).toMatchObject({ kind: "unknown" });
    expect(c.classify({ documentNumber: "INV-BSC" }, known("INV-B"))).toMatchObject({
      kind: "shortage_claim",
      invoiceNumber: "INV-B",
      originalDocumentNumber: "INV-B",
    });
    // A vendor's own invoice number that merely ends in PC is not a price claim.
    expect(c.classify({ documentNumber: "ORDER-PC" }, known("INV-1"))).toMatchObject({ kind: "unknown" });
  });

  it("tests longer suffixes first and links each to what it refers to", () => {
    const k = known("INV-B");
    expect(c.classify({ documentNumber: "INV-BSCRSC" }, k)).toMatchObject({
      kind: "shortage_claim_revised",
      invoiceNumber: "INV-B",
    });
    expect(c.classify({ documentNumber: "INV-BSCR" }, k)).toMatchObject({
      kind: "shortage_claim_reversal",
      invoiceNumber: "INV-B",
      originalDocumentNumber: "INV-BSC",
    });
    expect(c.classify({ documentNumber: "INV-B-SC" }, k)).toMatchObject({
      kind: "shortage_claim",
      invoiceNumber: "INV-B",
    });
    expect(c.classify({ documentNumber: "260201_PROVISION_FOR_RECEIVABLESR" }, k)).toMatchObject({
      originalDocumentNumber: "260201_PROVISION_FOR_RECEIVABLES",
    });
  });

  it("links text-classified lines through the number pattern of their kind", () => {
    expect(
      c.classify({ documentNumber: "INV-BSCR", description: "Quantity shortage reversal" }, known()),
    ).toMatchObject({
      kind: "shortage_claim_reversal",
      evidence: { by: "description" },
      originalDocumentNumber: "INV-BSC",
    });
  });

  it("never guesses: unmatched lines stay unknown", () => {
    expect(
      c.classify({ documentNumber: "ZX-99", description: "Something new from Amazon" }, known()),
    ).toEqual({
      kind: "unknown",
      evidence: { by: "none" },
    });
    expect(c.classify({ documentNumber: "" }, known())).toMatchObject({ kind: "unknown" });
  });

  it("takes rules as data: an override in front of the defaults wins", () => {
    const custom: ClassificationRule[] = [
      { kind: "chargeback", field: "description", pattern: "late asn .*" },
    ];
    const withOverride = new Classifier([...custom, ...DEFAULT_RULES]);
    expect(
      withOverride.classify({ documentNumber: "Q1", description: "Late ASN penalty" }, known()).kind,
    ).toBe("chargeback");
    expect(c.classify({ documentNumber: "Q1", description: "Late ASN penalty" }, known()).kind).toBe(
      "unknown",
    );
  });
});

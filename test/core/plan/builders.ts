/** Remittances, mappings and org snapshots built in code, independent of any file parser. */
import { readFileSync } from "node:fs";
import { DEMO_MAPPINGS } from "../../../scripts/make-demo-mappings";
import { type Mappings, type MappingsInput, mappingsSchema } from "../../../worker/domain/mapping/model";
import { type OrgSnapshot, type OrgSnapshotInput, orgSnapshotSchema } from "../../../worker/domain/org/model";
import type { LineKind, Payment, Remittance, RemittanceLine } from "../../../worker/domain/remittance/model";

export const FIXTURES = new URL("../../fixtures/", import.meta.url);

let row = 100;

export interface LineSpec {
  doc: string;
  kind: LineKind;
  /** Contribution, in cents. */
  amount: number;
  discount?: number;
  withholding?: number;
  original?: string;
  currency?: string;
  description?: string;
  reference?: string;
  invoiceDate?: string;
}

export function line(s: LineSpec): RemittanceLine {
  row += 1;
  const l: RemittanceLine = {
    documentNumber: s.doc,
    kind: s.kind,
    evidence: { by: "none" },
    amount: s.amount,
    currency: s.currency ?? "USD",
    termsDiscount: s.discount ?? 0,
    withholding: s.withholding ?? 0,
    adjustments: [],
    source: { file: "test.csv", row },
  };
  if (s.kind === "invoice_payment") l.invoiceNumber = s.doc;
  if (s.original !== undefined) {
    l.originalDocumentNumber = s.original;
    l.invoiceNumber = s.original;
  }
  if (s.description !== undefined) l.transactionDescription = s.description;
  if (s.reference !== undefined) l.referenceDetails = s.reference;
  if (s.invoiceDate !== undefined) l.invoiceDate = s.invoiceDate;
  return l;
}

export function payment(
  paymentNumber: string,
  date: string | null,
  lines: RemittanceLine[],
  amount?: number,
): Payment {
  return {
    paymentNumber,
    paymentDate: date,
    currency: lines[0]?.currency ?? "USD",
    amount: amount ?? lines.reduce((s, l) => s + l.amount, 0),
    lines,
    checks: [],
    source: { file: "test.csv", row: 1 },
  };
}

export function remittance(...payments: Payment[]): Remittance {
  return { format: "vc-export-csv", fileName: "test.csv", payments, problems: [] };
}

/** accounting-model.md: payment 40311877, 2026-02-10, USD 12,770.00. */
export function workedExample(): Remittance {
  return remittance(
    payment("40311877", "2026-02-10", [
      line({ doc: "INV-A", kind: "invoice_payment", amount: 980000, discount: 20000 }),
      line({ doc: "INV-B", kind: "invoice_payment", amount: 500000 }),
      line({ doc: "INV-BSC", kind: "shortage_claim", amount: -30000, original: "INV-B" }),
      line({ doc: "123VCBSINV", kind: "chargeback", amount: -15000 }),
      line({ doc: "3210-00000001", kind: "coop", amount: -100000 }),
      line({ doc: "260201_PROVISION_FOR_RECEIVABLES", kind: "provision", amount: -50000 }),
      line({ doc: "INV-CPC", kind: "price_claim", amount: -8000, original: "INV-C" }),
    ]),
  );
}

export function demoOrgInput(): OrgSnapshotInput {
  return JSON.parse(readFileSync(new URL("org/demo-org.json", FIXTURES), "utf8")) as OrgSnapshotInput;
}

export function demoOrg(patch: Partial<OrgSnapshotInput> = {}): OrgSnapshot {
  return orgSnapshotSchema.parse({ ...demoOrgInput(), ...patch });
}

export function demoMappings(patch: (m: MappingsInput) => void = () => {}): Mappings {
  const m = structuredClone(DEMO_MAPPINGS);
  patch(m);
  return mappingsSchema.parse(m);
}

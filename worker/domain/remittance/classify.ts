import { normaliseLabel } from "./grid";
import type { ClassificationEvidence, LineKind } from "./model";

/**
 * Classification of remittance lines into kinds. The rules are data: VCX ships the defaults below, and a
 * deduction-mapping sheet can put its own rules in front of them (first match wins).
 *
 * Order of the defaults (amazon-vendor-central.md §5): transaction types that decide by themselves, then
 * descriptions, then the plain "Invoice" type, then document-number patterns (longest suffix first).
 * Suffix patterns (…SC, …PC) are weak — a vendor's own invoice number may end in "PC" — so they only count
 * when the prefix is a known invoice number. Nothing matched stays `unknown`; it is never guessed.
 */
export interface ClassificationRule {
  kind: LineKind;
  field: "transactionType" | "description" | "documentNumber";
  /**
   * A regular expression (case-insensitive, matched against the whole value). Text fields are matched
   * after normalisation: lower case, single spaces, dashes as " - " ("COOP – Service agreement" →
   * "coop - service agreement").
   */
  pattern: string;
  /** Named regex group holding the vendor invoice this document concerns. */
  invoiceGroup?: string;
  /** How to build the document this one refers to: the named group's value plus an optional suffix. */
  original?: { group: string; append?: string };
  /** Only match when `invoiceGroup` is a known invoice number (in the file or supplied by the caller). */
  requiresKnownInvoice?: boolean;
}

export const DEFAULT_RULES: readonly ClassificationRule[] = [
  // Transaction types that decide by themselves.
  { kind: "provision", field: "transactionType", pattern: "provision deduction" },
  { kind: "provision_reversal", field: "transactionType", pattern: "provision reversal" },
  { kind: "tax_debit_note", field: "transactionType", pattern: "(gst|vat|tax) debit note" },
  { kind: "tax_credit_note", field: "transactionType", pattern: "(gst|vat|tax) credit note" },
  // Descriptions.
  { kind: "invoice_payment", field: "description", pattern: "payments?" },
  { kind: "shortage_claim_reversal", field: "description", pattern: "quantity shortage reversal" },
  { kind: "shortage_claim", field: "description", pattern: "quantity shortage" },
  { kind: "price_claim_reversal", field: "description", pattern: "price variance reversal" },
  { kind: "price_claim", field: "description", pattern: "price variance" },
  {
    kind: "coop",
    field: "description",
    pattern: "co - ?op( - .*)?|coop( - .*)?|allowance - .*|vendor funded .*",
  },
  { kind: "returns", field: "description", pattern: "product returns?|returns?" },
  { kind: "provision_reversal", field: "description", pattern: "provision for .* reversal" },
  { kind: "provision", field: "description", pattern: "provision for (aged|to be billed) receivables?" },
  { kind: "price_protection", field: "description", pattern: "price protection" },
  { kind: "chargeback", field: "description", pattern: "(operational )?chargeback.*" },
  // The plain invoice type, when the description did not decide.
  { kind: "invoice_payment", field: "transactionType", pattern: "invoice" },
  // Document-number patterns, longest suffix first.
  {
    kind: "shortage_claim_revised",
    field: "documentNumber",
    pattern: "(?<invoice>.+?)SCRSC",
    invoiceGroup: "invoice",
    original: { group: "invoice" },
    requiresKnownInvoice: true,
  },
  {
    kind: "shortage_claim_reversal",
    field: "documentNumber",
    pattern: "(?<invoice>.+?)SCR",
    invoiceGroup: "invoice",
    original: { group: "invoice", append: "SC" },
    requiresKnownInvoice: true,
  },
  {
    kind: "shortage_claim",
    field: "documentNumber",
    pattern: "(?<invoice>.+?)-?SC",
    invoiceGroup: "invoice",
    original: { group: "invoice" },
    requiresKnownInvoice: true,
  },
  {
    kind: "price_claim",
    field: "documentNumber",
    pattern: "(?<invoice>.+?)-?PC",
    invoiceGroup: "invoice",
    original: { group: "invoice" },
    requiresKnownInvoice: true,
  },
  { kind: "chargeback", field: "documentNumber", pattern: "\\d+VCBSINV" },
  { kind: "coop", field: "documentNumber", pattern: "\\d{4}-\\d{8}" },
  {
    kind: "provision_reversal",
    field: "documentNumber",
    pattern: "(?<provision>\\d{6}[_ ]PROVISION[_ ]FOR[_ ]RECEIVABLES)R",
    original: { group: "provision" },
  },
  { kind: "provision", field: "documentNumber", pattern: "\\d{6}[_ ]PROVISION[_ ]FOR[_ ]RECEIVABLES" },
  { kind: "price_protection", field: "documentNumber", pattern: "IPAPUS\\d{7}" },
];

export interface LineFacts {
  documentNumber: string;
  transactionType?: string;
  /** "Transaction Description", or the single "Description" column of older files. */
  description?: string;
}

export interface Classification {
  kind: LineKind;
  evidence: ClassificationEvidence;
  invoiceNumber?: string;
  originalDocumentNumber?: string;
}

interface CompiledRule extends ClassificationRule {
  re: RegExp;
}

/** A compiled rule set. Compile once per file: 100k lines must not recompile 25 regexes each. */
export class Classifier {
  private readonly textRules: CompiledRule[];
  private readonly numberRules: CompiledRule[];
  private readonly byKind = new Map<LineKind, CompiledRule[]>();
  /** Text decisions by (type, description): a file has a handful of distinct pairs, not 100k. */
  private readonly textCache = new Map<string, { kind: LineKind; evidence: ClassificationEvidence } | null>();
  private readonly order: CompiledRule[];

  constructor(rules: readonly ClassificationRule[] = DEFAULT_RULES) {
    this.order = rules.map((r) => ({ ...r, re: new RegExp(`^(?:${r.pattern})$`, "i") }));
    this.textRules = this.order.filter((r) => r.field !== "documentNumber");
    this.numberRules = this.order.filter((r) => r.field === "documentNumber");
    for (const r of this.numberRules) {
      const list = this.byKind.get(r.kind) ?? [];
      list.push(r);
      this.byKind.set(r.kind, list);
    }
  }

  /**
   * Classify one line. `isKnownInvoice` answers whether a number is a vendor invoice VCX knows of (in the
   * same file, named as an original invoice, or supplied from Xero).
   */
  classify(facts: LineFacts, isKnownInvoice: (n: string) => boolean): Classification {
    const doc = facts.documentNumber.trim();
    if (this.stagesInOrder) return this.byText(facts, doc) ?? this.byNumber(doc, isKnownInvoice);
    return this.sequential(facts, doc, isKnownInvoice);
  }

  /** True when every text rule precedes every number rule, so the two stages can run separately. */
  get stagesInOrder(): boolean {
    const lastText = this.order.findLastIndex((r) => r.field !== "documentNumber");
    const firstNumber = this.order.findIndex((r) => r.field === "documentNumber");
    return firstNumber < 0 || lastText < firstNumber;
  }

  /** First match wins over the whole list, for rule lists that interleave text and number rules. */
  private sequential(facts: LineFacts, doc: string, isKnownInvoice: (n: string) => boolean): Classification {
    const type = facts.transactionType ? normaliseLabel(facts.transactionType) : "";
    const desc = facts.description ? normaliseLabel(facts.description) : "";
    for (const rule of this.order) {
      if (rule.field === "documentNumber") {
        const m = rule.re.exec(doc);
        if (!m) continue;
        const invoice = rule.invoiceGroup ? m.groups?.[rule.invoiceGroup] : undefined;
        if (rule.requiresKnownInvoice && (!invoice || !isKnownInvoice(invoice))) continue;
        return {
          kind: rule.kind,
          evidence: { by: "document_number", pattern: rule.pattern },
          ...links(rule, m),
        };
      }
      const value = rule.field === "transactionType" ? type : desc;
      if (value && rule.re.test(value)) {
        const found = this.byText(
          rule.field === "transactionType"
            ? { documentNumber: doc, transactionType: facts.transactionType ?? "" }
            : { documentNumber: doc, description: facts.description ?? "" },
          doc,
        );
        if (found) return found;
      }
    }
    return UNKNOWN;
  }

  /**
   * The text stage alone (transaction type, description), with links from the number pattern of the kind
   * found. Undefined when the text does not decide. Text rules come before number rules in the defaults;
   * a custom rule list that interleaves them is honoured by `classify` only through this same split, so
   * rule order matters within each stage.
   */
  byText(facts: LineFacts, doc: string): Classification | undefined {
    if (!facts.transactionType && !facts.description) return undefined;
    const key = `${facts.transactionType ?? ""}\u0001${facts.description ?? ""}`;
    let hit = this.textCache.get(key);
    if (hit === undefined) {
      hit = null;
      const type = facts.transactionType ? normaliseLabel(facts.transactionType) : "";
      const desc = facts.description ? normaliseLabel(facts.description) : "";
      for (const rule of this.textRules) {
        const value = rule.field === "transactionType" ? type : desc;
        if (value && rule.re.test(value)) {
          hit =
            rule.field === "transactionType"
              ? { kind: rule.kind, evidence: { by: "transaction_type", value: facts.transactionType ?? "" } }
              : { kind: rule.kind, evidence: { by: "description", value: facts.description ?? "" } };
          break;
        }
      }
      this.textCache.set(key, hit);
    }
    if (hit === null) return undefined;
    for (const rule of this.byKind.get(hit.kind) ?? []) {
      const m = rule.re.exec(doc);
      if (m) return { kind: hit.kind, evidence: hit.evidence, ...links(rule, m) };
    }
    return { kind: hit.kind, evidence: hit.evidence };
  }

  /** The document-number stage alone; `unknown` when no pattern (with a known prefix) fits. */
  byNumber(doc: string, isKnownInvoice: (n: string) => boolean): Classification {
    for (const rule of this.numberRules) {
      const m = rule.re.exec(doc);
      if (!m) continue;
      const invoice = rule.invoiceGroup ? m.groups?.[rule.invoiceGroup] : undefined;
      if (rule.requiresKnownInvoice && (!invoice || !isKnownInvoice(invoice))) continue;
      return {
        kind: rule.kind,
        evidence: { by: "document_number", pattern: rule.pattern },
        ...links(rule, m),
      };
    }
    return UNKNOWN;
  }
}

const UNKNOWN: Classification = Object.freeze({
  kind: "unknown",
  evidence: Object.freeze({ by: "none" }),
}) as Classification;

function links(
  rule: ClassificationRule,
  m: RegExpExecArray,
): Pick<Classification, "invoiceNumber" | "originalDocumentNumber"> {
  const out: Pick<Classification, "invoiceNumber" | "originalDocumentNumber"> = {};
  const invoice = rule.invoiceGroup ? m.groups?.[rule.invoiceGroup] : undefined;
  if (invoice) out.invoiceNumber = invoice;
  if (rule.original) {
    const base = m.groups?.[rule.original.group];
    if (base) out.originalDocumentNumber = base + (rule.original.append ?? "");
  }
  return out;
}

/** X12 element 426 (adjustment reason) codes: meaning, and the deduction kind a code implies. */
export const X12_REASON_CODES: Readonly<Record<string, { text: string; kind: LineKind }>> = {
  "01": { text: "Pricing Error", kind: "price_claim" },
  "02": { text: "Allowance/Charge Error", kind: "unknown" },
  "03": { text: "Extension Error", kind: "unknown" },
  "04": { text: "Item Not Accepted - Damaged", kind: "unknown" },
  "05": { text: "Item Not Accepted - Quality", kind: "unknown" },
  "06": { text: "Quantity Contested", kind: "shortage_claim" },
  "07": { text: "Incorrect Product", kind: "unknown" },
  "11": { text: "Returns - Damage", kind: "returns" },
  "12": { text: "Returns - Quality", kind: "returns" },
  "16": { text: "Non-Invoice Related Allowance/Charge", kind: "unknown" },
  "19": { text: "Duplicate Billing", kind: "unknown" },
  "22": { text: "Weight Error", kind: "unknown" },
  "24": { text: "Incorrect Discount", kind: "unknown" },
  "26": { text: "Invoice Cancelled", kind: "unknown" },
  "52": { text: "Credit for Overpayment", kind: "unknown" },
  "53": { text: "Remittance for Previous Underpayment", kind: "unknown" },
  "54": { text: "Freight Deducted", kind: "unknown" },
  "55": { text: "Tax Deducted", kind: "unknown" },
  "56": { text: "Advertising Allowance Taken", kind: "coop" },
  "57": { text: "Volume Discount Taken", kind: "unknown" },
  "59": { text: "Item not received", kind: "shortage_claim" },
  ZZ: { text: "Mutually Defined", kind: "unknown" },
};

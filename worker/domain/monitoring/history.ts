/**
 * Cross-remittance linking. Amazon settles an invoice over several remittances: paid in one, a shortage
 * claim (SC) in the next, its reversal (SCR) and a revised claim (SCRSC) later, a chargeback weeks after the
 * PO, a provision held back and released. This links every line of every remittance seen to the document
 * it hits, so one invoice's full history can be listed in order and a reversal whose original was never
 * seen stands out.
 *
 * Pure: the caller passes every remittance it has (in the order they were received) and, when known, the
 * invoices raised from purchase orders (the PO planner's `InvoicedRecord`s fit `PoInvoiceRef`).
 */
import { type LineKind, REVERSES, type Remittance } from "../remittance/model";

/** What VCX knows about an invoice raised from a purchase order (a subset of the PO planner's record). */
export interface PoInvoiceRef {
  invoiceNumber: string;
  purchaseOrderNumber: string;
  shipmentId?: string;
  /** PO line sequence numbers the invoice covers. */
  lines?: readonly { sequence: number; eaches?: number }[];
  /** YYYY-MM-DD, when known. */
  date?: string;
  /** YYYY-MM-DD, when known (the dispute windows of claims count from it). */
  dueDate?: string;
  /** Invoice total, Xero minor units (2 dp), when known. */
  total?: number;
  currency?: string;
}

/** One remittance line, placed in history. */
export interface HistoryLine {
  /** `<paymentNumber>/<documentNumber>/<occurrence>` — stable across re-exports of the same remittance. */
  id: string;
  /** Position in the history (remittance order, then line order). */
  seq: number;
  paymentNumber: string;
  paymentDate: string | null;
  documentNumber: string;
  kind: LineKind;
  /** Contribution to the payment, minor units of `currency` (deductions negative). */
  amount: number;
  currency: string;
  termsDiscount: number;
  withholding: number;
  invoiceDate?: string;
  invoiceNumber?: string;
  originalDocumentNumber?: string;
  referenceDetails?: string;
  transactionDescription?: string;
  file: string;
  row: number;
}

export interface PoReference {
  purchaseOrderNumber: string;
  shipmentId?: string;
  /** Where the link came from: the PO invoice records, or the free-text reference details. */
  via: "po_invoice" | "reference_details";
  lineSequences?: number[];
}

export type LinkStatus =
  /** The line is tied to the document it hits (and a reversal to its original). */
  | "linked"
  /** A reversal whose original VCX never saw in any remittance. */
  | "original_not_seen"
  /** A deduction that names no document (co-op, provisions without a reversal yet, …). */
  | "no_reference";

export interface LinkedLine {
  line: HistoryLine;
  /** The vendor invoice this line concerns, when it concerns one. */
  invoiceNumber?: string;
  purchaseOrders: PoReference[];
  /** For reversals: the line reversed (the latest earlier line of a reversed kind for the same number). */
  reverses?: string;
  /** Lines that reverse this one. */
  reversedBy: string[];
  /** Σ amounts of this line and its reversals (0 = fully reversed). */
  netAmount: number;
  status: LinkStatus;
}

export interface DeductionHistory {
  lines: LinkedLine[];
  /** Line ids by the vendor invoice they concern. */
  byInvoice: ReadonlyMap<string, string[]>;
  byId: ReadonlyMap<string, LinkedLine>;
}

const PO_PATTERN = /\bP\.?O\.?\s*(?:number|no\.?|#)?\s*[:#]?\s*([A-Z0-9]{8})\b/gi;
// A shipment id has a digit in it, so "ASN accuracy chargeback" names none.
const SHIPMENT_PATTERN =
  /\b(?:ASN|shipment(?:\s*id)?|BOL|ARN)\s*[:#]?\s*((?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{3,})\b/gi;

/** PO numbers (Amazon's 8-character ids) and shipment ids named in free text such as "… PO 2JK3S9VC". */
export function referencesIn(text: string | undefined): { purchaseOrders: string[]; shipments: string[] } {
  if (!text) return { purchaseOrders: [], shipments: [] };
  const uniq = (re: RegExp) => [...new Set([...text.matchAll(re)].map((m) => (m[1] ?? "").toUpperCase()))];
  return { purchaseOrders: uniq(PO_PATTERN), shipments: uniq(SHIPMENT_PATTERN) };
}

/** Flatten remittances (in the order received) into history lines with stable ids. */
export function historyLines(remittances: readonly Remittance[]): HistoryLine[] {
  const out: HistoryLine[] = [];
  const seenIds = new Set<string>();
  for (const r of remittances) {
    for (const p of r.payments) {
      const occurrence = new Map<string, number>();
      for (const l of p.lines) {
        const n = (occurrence.get(l.documentNumber) ?? 0) + 1;
        occurrence.set(l.documentNumber, n);
        const id = `${p.paymentNumber}/${l.documentNumber}/${n}`;
        // The same remittance uploaded twice is the same history, not new lines.
        if (seenIds.has(id)) continue;
        seenIds.add(id);
        out.push({
          id,
          seq: out.length,
          paymentNumber: p.paymentNumber,
          paymentDate: p.paymentDate,
          documentNumber: l.documentNumber,
          kind: l.kind,
          amount: l.amount,
          currency: l.currency,
          termsDiscount: l.termsDiscount,
          withholding: l.withholding,
          ...(l.invoiceDate !== undefined ? { invoiceDate: l.invoiceDate } : {}),
          ...(l.invoiceNumber !== undefined ? { invoiceNumber: l.invoiceNumber } : {}),
          ...(l.originalDocumentNumber !== undefined
            ? { originalDocumentNumber: l.originalDocumentNumber }
            : {}),
          ...(l.referenceDetails !== undefined ? { referenceDetails: l.referenceDetails } : {}),
          ...(l.transactionDescription !== undefined
            ? { transactionDescription: l.transactionDescription }
            : {}),
          file: l.source.file,
          row: l.source.row,
        });
      }
    }
  }
  return out;
}

/** Provision document number without its reversal suffix: `260201_PROVISION_FOR_RECEIVABLESR` → `…RECEIVABLES`. */
function provisionBase(documentNumber: string): string {
  return documentNumber
    .replace(/[\s_]+/g, "_")
    .replace(/(RECEIVABLES)R$/i, "$1")
    .toUpperCase();
}

/** The document number a reversal points at, when Amazon does not say: SCR → SC, …RECEIVABLESR → …RECEIVABLES. */
function impliedOriginal(line: HistoryLine): string | undefined {
  if (line.originalDocumentNumber !== undefined) return line.originalDocumentNumber;
  if (line.kind === "shortage_claim_reversal" && /SCR$/i.test(line.documentNumber))
    return line.documentNumber.slice(0, -1);
  if (line.kind === "price_claim_reversal" && /PCR$/i.test(line.documentNumber))
    return line.documentNumber.slice(0, -1);
  return undefined;
}

/** Does a deduction line refer to a vendor invoice (not to another deduction)? */
function invoiceOf(line: HistoryLine, byDocument: ReadonlyMap<string, HistoryLine[]>): string | undefined {
  if (line.kind === "invoice_payment") return line.invoiceNumber ?? line.documentNumber;
  if (line.kind === "provision" || line.kind === "provision_reversal") return undefined;
  const candidate = line.invoiceNumber ?? line.originalDocumentNumber;
  if (candidate === undefined) return undefined;
  // An SCR names its SC; the invoice is the SC's.
  const ref = byDocument.get(candidate)?.find((l) => l.kind !== "invoice_payment");
  if (ref && ref !== line) return ref.invoiceNumber ?? ref.originalDocumentNumber ?? candidate;
  return candidate;
}

/** Link every line of every remittance given (see the module comment). */
export function linkHistory(
  remittances: readonly Remittance[],
  poInvoices: readonly PoInvoiceRef[] = [],
): DeductionHistory {
  const lines = historyLines(remittances);
  const byDocument = new Map<string, HistoryLine[]>();
  const byProvision = new Map<string, HistoryLine[]>();
  for (const l of lines) {
    byDocument.set(l.documentNumber, [...(byDocument.get(l.documentNumber) ?? []), l]);
    if (l.kind === "provision")
      byProvision.set(provisionBase(l.documentNumber), [
        ...(byProvision.get(provisionBase(l.documentNumber)) ?? []),
        l,
      ]);
  }
  const poByInvoice = new Map<string, PoInvoiceRef[]>();
  for (const p of poInvoices)
    poByInvoice.set(p.invoiceNumber, [...(poByInvoice.get(p.invoiceNumber) ?? []), p]);

  const linked = new Map<string, LinkedLine>();
  for (const line of lines) {
    const invoiceNumber = invoiceOf(line, byDocument);
    const purchaseOrders: PoReference[] = [];
    for (const p of invoiceNumber !== undefined ? (poByInvoice.get(invoiceNumber) ?? []) : []) {
      purchaseOrders.push({
        purchaseOrderNumber: p.purchaseOrderNumber,
        ...(p.shipmentId !== undefined ? { shipmentId: p.shipmentId } : {}),
        via: "po_invoice",
        ...(p.lines ? { lineSequences: p.lines.map((x) => x.sequence) } : {}),
      });
    }
    const refs = referencesIn(line.referenceDetails);
    for (const po of refs.purchaseOrders) {
      if (purchaseOrders.some((p) => p.purchaseOrderNumber === po)) continue;
      purchaseOrders.push({
        purchaseOrderNumber: po,
        ...(refs.shipments[0] !== undefined ? { shipmentId: refs.shipments[0] } : {}),
        via: "reference_details",
      });
    }
    linked.set(line.id, {
      line,
      ...(invoiceNumber !== undefined ? { invoiceNumber } : {}),
      purchaseOrders,
      reversedBy: [],
      netAmount: line.amount,
      status: invoiceNumber !== undefined || purchaseOrders.length > 0 ? "linked" : "no_reference",
    });
  }

  // Reversals: tie each to the latest earlier line of a kind it reverses, not yet fully reversed.
  for (const line of lines) {
    const reversedKinds = REVERSES[line.kind];
    if (!reversedKinds) continue;
    const me = linked.get(line.id);
    if (!me) continue;
    const candidates =
      line.kind === "provision_reversal"
        ? (byProvision.get(provisionBase(line.documentNumber)) ?? [])
        : (byDocument.get(impliedOriginal(line) ?? "") ?? []);
    const original = candidates
      .filter((c) => c.seq < line.seq && reversedKinds.includes(c.kind))
      .map((c) => linked.get(c.id))
      .filter((c): c is LinkedLine => c !== undefined)
      .reverse()
      .find((c) => c.netAmount !== 0);
    if (!original) {
      me.status = "original_not_seen";
      continue;
    }
    me.reverses = original.line.id;
    me.status = "linked";
    original.reversedBy.push(line.id);
    original.netAmount += line.amount;
    me.netAmount = 0;
    if (me.invoiceNumber === undefined && original.invoiceNumber !== undefined)
      me.invoiceNumber = original.invoiceNumber;
    if (original.status === "no_reference") original.status = "linked";
  }

  const byInvoice = new Map<string, string[]>();
  for (const l of linked.values()) {
    if (l.invoiceNumber === undefined) continue;
    byInvoice.set(l.invoiceNumber, [...(byInvoice.get(l.invoiceNumber) ?? []), l.line.id]);
  }
  return { lines: [...linked.values()], byInvoice, byId: linked };
}

export type InvoiceEventType = "invoiced" | "paid" | "claimed" | "reversed" | "credited";

export interface InvoiceEvent {
  /** YYYY-MM-DD: the payment date (the document's own date for `invoiced`). */
  date: string | null;
  type: InvoiceEventType;
  kind?: LineKind;
  documentNumber: string;
  paymentNumber?: string;
  /** Signed contribution to the payment (minor units); for `invoiced`, the invoice total. */
  amount: number;
  termsDiscount?: number;
  withholding?: number;
  lineId?: string;
  /** For reversals: the line reversed. */
  reverses?: string;
}

const TYPE_OF: Partial<Record<LineKind, InvoiceEventType>> = {
  invoice_payment: "paid",
  shortage_claim_reversal: "reversed",
  price_claim_reversal: "reversed",
  provision_reversal: "reversed",
  tax_credit_note: "credited",
  returns: "credited",
};

/**
 * One invoice's full history in order: raised (when the PO invoice is known), then every remittance line
 * that concerns it — paid, claimed, reversed, credited — by payment date, then by order received.
 */
export function invoiceHistory(
  history: DeductionHistory,
  invoiceNumber: string,
  poInvoices: readonly PoInvoiceRef[] = [],
): InvoiceEvent[] {
  const events: (InvoiceEvent & { seq: number })[] = [];
  for (const p of poInvoices.filter((x) => x.invoiceNumber === invoiceNumber && x.total !== undefined)) {
    events.push({
      seq: -1,
      date: p.date ?? null,
      type: "invoiced",
      documentNumber: p.invoiceNumber,
      amount: p.total ?? 0,
    });
  }
  for (const id of history.byInvoice.get(invoiceNumber) ?? []) {
    const l = history.byId.get(id);
    if (!l) continue;
    const { line } = l;
    events.push({
      seq: line.seq,
      date: line.paymentDate,
      type: TYPE_OF[line.kind] ?? "claimed",
      kind: line.kind,
      documentNumber: line.documentNumber,
      paymentNumber: line.paymentNumber,
      amount: line.amount,
      ...(line.termsDiscount !== 0 ? { termsDiscount: line.termsDiscount } : {}),
      ...(line.withholding !== 0 ? { withholding: line.withholding } : {}),
      lineId: line.id,
      ...(l.reverses !== undefined ? { reverses: l.reverses } : {}),
    });
  }
  events.sort((a, b) => {
    if (a.type === "invoiced" || b.type === "invoiced") return a.seq - b.seq;
    const da = a.date ?? "";
    const db = b.date ?? "";
    return da < db ? -1 : da > db ? 1 : a.seq - b.seq;
  });
  return events.map(({ seq: _seq, ...e }) => e);
}

/** Reversals whose original was never seen in the history given. */
export function orphanReversals(history: DeductionHistory): LinkedLine[] {
  return history.lines.filter((l) => l.status === "original_not_seen");
}

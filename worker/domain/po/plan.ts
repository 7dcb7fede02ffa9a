/**
 * Purchase orders → Xero ACCREC invoices: pure and deterministic (no clock, no I/O). For every PO:
 * map each line's product through the SKU map, check case pack, currency and price, decide how many eaches
 * are newly invoiceable (received or accepted, minus what earlier invoices already covered) and plan one
 * invoice per shipment with a stable key. A PO with a blocking exception (unmapped product, wrong case pack,
 * no cost…) is held whole: nothing is planned for it until the cause is fixed.
 *
 * Keys follow the settlement planner's scheme (worker/domain/plan/keys.ts, role `inv`):
 * `vcx1:<vendor>:<PO>:inv:<shipment>`; the shipment is the caller's shipment id or the PO's next invoice
 * sequence (1, 2, …) — never an amount — so re-planning the same state yields the same key (the posting engine
 * skips it) and, once the posted invoice is recorded in `invoiced`, its quantities are never invoiced again.
 */
import { z } from "zod";
import { type Mappings, type Settings, type SkuMapping, settingsFor } from "../mapping/model";
import { OrgIndex } from "../org/accounts";
import { addDays, datingFor } from "../org/lock-dates";
import type { OrgSnapshot } from "../org/model";
import { encodePart, fnv1a64, KEY_VERSION, MAX_KEY_LENGTH } from "../plan/keys";
import { clip, type XeroContactRef, type XeroInvoice, type XeroInvoiceLineItem } from "../plan/wire";
import { lineValueCents, showScaled, wireScaled } from "./decimal";
import type { PoLine, PurchaseOrder } from "./model";

export const PO_EXCEPTION_CODES = [
  "vendor_not_configured",
  "unmapped_product",
  "ambiguous_mapping",
  "item_not_in_xero",
  "case_pack_mismatch",
  "no_net_cost",
  "currency_mismatch",
  "weight_priced_without_weight",
  "tax_type_invalid",
  "account_invalid",
  "invoice_number_exists",
  "invoice_number_invalid",
  "price_variance",
  "quantity_variance",
  "over_receipt",
  "already_over_invoiced",
  "no_lines",
  "period_locked",
] as const;
export type PoExceptionCode = (typeof PO_EXCEPTION_CODES)[number];

export interface ExpectedClaim {
  kind: "price_claim" | "shortage_claim";
  /** Xero minor units (2 dp) of the PO currency. */
  amount: number;
  currency: string;
}

export interface PoException {
  code: PoExceptionCode;
  /** `blocking`: the whole PO is held, nothing is planned for it. */
  severity: "blocking" | "warning";
  purchaseOrderNumber: string;
  sequence?: number;
  /** The product as Amazon names it (ASIN / vendor SKU), for unmapped and mismatch messages. */
  product?: string;
  reason: string;
  fix: string;
  expectedClaim?: ExpectedClaim;
}

/** What an earlier (posted) invoice covered: store `PlannedInvoice.record` once Xero accepted it. */
export interface InvoicedRecord {
  key: string;
  purchaseOrderNumber: string;
  shipmentId: string;
  invoiceNumber: string;
  lines: { sequence: number; eaches: number; weight4?: number }[];
}

/** Validates stored records (Worker storage, CLI --invoiced). */
export const invoicedRecordSchema = z.object({
  key: z.string().min(1).max(MAX_KEY_LENGTH),
  purchaseOrderNumber: z.string().min(1),
  shipmentId: z.string().min(1),
  invoiceNumber: z.string().min(1).max(255),
  lines: z.array(
    z.object({
      sequence: z.number().int().positive(),
      eaches: z.number().int().nonnegative(),
      weight4: z.number().int().nonnegative().optional(),
    }),
  ),
});

/** A shipment (ASN) to invoice on its own: quantities in eaches per PO line. */
export interface PoShipment {
  purchaseOrderNumber: string;
  shipmentId: string;
  /** YYYY-MM-DD; the invoice date. */
  date?: string;
  /** The vendor's invoice number for this shipment (pattern token {vendorInvoice}). */
  vendorInvoiceNumber?: string;
  lines: {
    sequence: number;
    eaches: number;
    /** Weight in the netCost's weight unit, 4 dp integer — needed for weight-priced lines. */
    totalWeight4?: number;
  }[];
}

export interface PoPlanOptions {
  /** Invoices already posted for these POs (from earlier plans). */
  invoiced?: readonly InvoicedRecord[];
  /** Keys the posting engine already posted: left out of `invoices`. */
  alreadyPosted?: Iterable<string>;
  /** Invoice per shipment; POs without a shipment here are invoiced by `basis`. */
  shipments?: readonly PoShipment[];
  /** Without shipments: invoice what Amazon received (default) or what it accepted. */
  basis?: "received" | "accepted";
  /** Tokens {po} {shipment} {vendor} {vendorInvoice}; default "{po}-{shipment}". */
  invoiceNumberPattern?: string;
  /** Net days when the PO carries no terms (850 ITD07); default 60. */
  paymentTermsDays?: number;
  /** Date when no shipment or receipt date is known (YYYY-MM-DD); else the PO date. */
  invoiceDate?: string;
  status?: "AUTHORISED" | "DRAFT";
  /** Unit price sent: Amazon's netCost (default; what Amazon pays) or the SKU map's agreed cost. */
  priceSource?: "po" | "agreed";
  /** Per-each price tolerance, 4 dp; default the Settings tolerance (2 dp minor units) × 100. */
  priceTolerance4?: number;
  /** Tax type when the SKU row has none. */
  defaultTaxType?: string;
}

export interface PoInvoiceLink {
  purchaseOrderNumber: string;
  sequence: number;
  /** Index of the line in body.LineItems. */
  lineItem: number;
  asin?: string;
  vendorSku?: string;
  itemCode: string;
  eaches: number;
  /** Cumulative eaches invoiced on this PO line before and after this invoice. */
  fromEach: number;
  toEach: number;
  unitAmount4: number;
  lineAmount: number;
  acceptedEaches?: number;
  receivedEaches?: number;
  /** Source files/paths of the PO line and its receipt. */
  sources: string[];
}

/** Shaped like the settlement planner's PlannedDocument so the posting engine sends it the same way. */
export interface PlannedInvoice {
  type: "Invoice";
  endpoint: "PUT /Invoices";
  key: string;
  role: "inv";
  vendorCode: string;
  purchaseOrderNumber: string;
  shipmentId: string;
  dependsOn: string[];
  description: string;
  body: XeroInvoice;
  /** Σ LineAmount, 2 dp minor units (before tax). */
  subtotal: number;
  links: PoInvoiceLink[];
  /** To store once posted; feed back as `invoiced` next time. */
  record: InvoicedRecord;
}

export type PoLineStatus =
  | "invoiced"
  | "cancelled"
  | "rejected"
  | "held"
  | "awaiting_receipt"
  | "fully_invoiced"
  | "nothing_new";

export interface PoLineOutcome {
  purchaseOrderNumber: string;
  sequence: number;
  asin?: string;
  vendorSku?: string;
  itemCode?: string;
  orderedEaches: number;
  acceptedEaches?: number;
  receivedEaches?: number;
  invoicedBefore: number;
  invoicedNow: number;
  status: PoLineStatus;
  keys: string[];
}

export interface PoOutcome {
  purchaseOrderNumber: string;
  vendorCode?: string;
  status: "planned" | "held" | "nothing_to_invoice";
  keys: string[];
}

export interface PoPlanCheck {
  name:
    | "keys_unique"
    | "keys_within_limit"
    | "line_values_exact"
    | "totals_not_negative"
    | "never_reinvoiced";
  ok: boolean;
  message: string;
}

export interface PoPlan {
  invoices: PlannedInvoice[];
  alreadyPosted: string[];
  orders: PoOutcome[];
  lines: PoLineOutcome[];
  exceptions: PoException[];
  checks: PoPlanCheck[];
}

export const DEFAULT_INVOICE_NUMBER_PATTERN = "{po}-{shipment}";
export const DEFAULT_PAYMENT_TERMS_DAYS = 60;

/** `vcx1:<vendor>:<PO>:inv:<shipment>` (≤ 128 chars, digest-shortened like settlement keys). */
export function poInvoiceKey(vendorCode: string, purchaseOrderNumber: string, shipmentId: string): string {
  const key = [
    KEY_VERSION,
    encodePart(vendorCode),
    encodePart(purchaseOrderNumber),
    "inv",
    encodePart(shipmentId),
  ].join(":");
  return key.length <= MAX_KEY_LENGTH ? key : `${key.slice(0, MAX_KEY_LENGTH - 18)}~h${fnv1a64(key)}`;
}

export function invoiceNumberFor(
  pattern: string,
  v: { po: string; shipment: string; vendor: string; vendorInvoice?: string },
): string | undefined {
  let missing = false;
  const out = pattern.replace(/\{(po|shipment|vendor|vendorInvoice)\}/g, (_, t: string) => {
    const value =
      t === "po" ? v.po : t === "shipment" ? v.shipment : t === "vendor" ? v.vendor : v.vendorInvoice;
    if (value === undefined || value === "") missing = true;
    return value ?? "";
  });
  return missing || out.trim() === "" || out.length > 255 ? undefined : out;
}

export function productName(line: Pick<PoLine, "asin" | "vendorSku" | "otherIds">): string {
  const ids = [line.asin && `ASIN ${line.asin}`, line.vendorSku && `vendor SKU ${line.vendorSku}`].filter(
    Boolean,
  );
  if (ids.length === 0 && line.otherIds.length > 0) ids.push(`product ${line.otherIds.join("/")}`);
  return ids.join(", ") || "a product with no identifier";
}

/** SKU map row for a PO line: ASIN first, then vendor SKU, then other ids (EAN/UPC). */
export function findSku(
  skus: readonly SkuMapping[],
  line: Pick<PoLine, "asin" | "vendorSku" | "otherIds">,
): { sku?: SkuMapping; ambiguous?: SkuMapping[] } {
  const tiers: SkuMapping[][] = [];
  if (line.asin) tiers.push(skus.filter((s) => s.asin === line.asin));
  const ids = [line.vendorSku, ...line.otherIds].filter((x): x is string => !!x);
  for (const id of ids) tiers.push(skus.filter((s) => s.vendorSku === id));
  // A vendor SKU column holding the ASIN itself (Amazon's examples do that) also matches.
  if (line.asin) tiers.push(skus.filter((s) => s.vendorSku === line.asin));
  for (const t of tiers) {
    const codes = new Set(t.map((s) => s.itemCode));
    if (codes.size === 1) return { sku: t[0] as SkuMapping };
    if (codes.size > 1) return { ambiguous: t };
  }
  return {};
}

function contactOf(s: Settings, org: OrgSnapshot): XeroContactRef {
  const id = s.amazonContactId ?? org.contacts.find((c) => c.name === s.amazonContact)?.contactId;
  return id !== undefined ? { ContactID: id } : { Name: s.amazonContact };
}

function money(cents: number, currency: string): string {
  return `${currency} ${showScaled(cents, 2)}`;
}

interface LineWork {
  line: PoLine;
  sku: SkuMapping;
  unit4: number;
  invoicedBefore: number;
  weightBefore: number;
}

export function planPoInvoices(
  orders: readonly PurchaseOrder[],
  mappings: Mappings,
  org: OrgSnapshot,
  options: PoPlanOptions = {},
): PoPlan {
  const index = new OrgIndex(org);
  const exceptions: PoException[] = [];
  const invoices: PlannedInvoice[] = [];
  const lineOutcomes: PoLineOutcome[] = [];
  const outcomes: PoOutcome[] = [];
  const pattern = options.invoiceNumberPattern ?? DEFAULT_INVOICE_NUMBER_PATTERN;
  const basis = options.basis ?? "received";
  const invoicedRecords = options.invoiced ?? [];
  const xeroNumbers = new Set(org.invoices.filter((i) => i.type === "ACCREC").map((i) => i.number));
  const plannedNumbers = new Set<string>();

  for (const po of orders) {
    const poNo = po.purchaseOrderNumber;
    const raise = (e: Omit<PoException, "purchaseOrderNumber">) =>
      exceptions.push({ purchaseOrderNumber: poNo, ...e });
    const before = exceptions.length;
    const records = invoicedRecords.filter((r) => r.purchaseOrderNumber === poNo);
    const invoicedOf = (seq: number) =>
      records.reduce(
        (s, r) => s + r.lines.filter((l) => l.sequence === seq).reduce((a, l) => a + l.eaches, 0),
        0,
      );
    const weightOf = (seq: number) =>
      records.reduce(
        (s, r) => s + r.lines.filter((l) => l.sequence === seq).reduce((a, l) => a + (l.weight4 ?? 0), 0),
        0,
      );
    const outcomeBase = (l: PoLine) => ({
      purchaseOrderNumber: poNo,
      sequence: l.sequence,
      ...(l.asin ? { asin: l.asin } : {}),
      ...(l.vendorSku ? { vendorSku: l.vendorSku } : {}),
      orderedEaches: l.orderedEaches,
      ...(l.acceptedEaches !== undefined ? { acceptedEaches: l.acceptedEaches } : {}),
      ...(l.receivedEaches !== undefined ? { receivedEaches: l.receivedEaches } : {}),
      invoicedBefore: invoicedOf(l.sequence),
    });

    const settings =
      po.vendorCode !== undefined ? settingsFor(mappings, po.vendorCode) : settingsFor(mappings);
    if (!settings) {
      raise({
        code: "vendor_not_configured",
        severity: "blocking",
        reason: `PO ${poNo} is for vendor code ${po.vendorCode ?? "(none given)"}, which has no row in the Settings sheet`,
        fix: "Add a Settings row for this vendor code (contact, accounts), then re-plan.",
      });
    }
    const live = po.lines.filter((l) => !l.cancelled);
    if (po.lines.length === 0) {
      raise({
        code: "no_lines",
        severity: "warning",
        reason: `PO ${poNo} has no lines (fetched without details?)`,
        fix: "Fetch the PO with includeDetails=true or getPurchaseOrder, then re-plan.",
      });
    }
    const work: LineWork[] = [];
    for (const line of live) {
      const product = productName(line);
      const at = { sequence: line.sequence, product };
      const found = findSku(mappings.skus, line);
      if (found.ambiguous) {
        raise({
          ...at,
          code: "ambiguous_mapping",
          severity: "blocking",
          reason: `PO ${poNo} line ${line.sequence}: ${product} matches several SKU rows with different item codes (${found.ambiguous.map((s) => s.itemCode).join(", ")})`,
          fix: "Keep one SKU row per product, then re-plan.",
        });
        continue;
      }
      const sku = found.sku;
      if (!sku) {
        raise({
          ...at,
          code: "unmapped_product",
          severity: "blocking",
          reason: `PO ${poNo} line ${line.sequence}: ${product} is not in the SKU map; the PO is held`,
          fix: `Add ${product} to the SKUs sheet (item code, units per case, agreed cost), then re-plan.`,
        });
        continue;
      }
      if (org.items.length > 0 && !org.items.some((i) => i.code === sku.itemCode)) {
        raise({
          ...at,
          code: "item_not_in_xero",
          severity: "blocking",
          reason: `PO ${poNo} line ${line.sequence}: item code ${sku.itemCode} (for ${product}) does not exist in Xero`,
          fix: `Create item ${sku.itemCode} in Xero or correct the SKUs sheet, then re-plan.`,
        });
      }
      const stated = line.ordered;
      if (
        stated.unitSize !== undefined &&
        (stated.unit === "Cases" || stated.unitSize > 1) &&
        stated.unitSize !== sku.unitsPerCase
      ) {
        raise({
          ...at,
          code: "case_pack_mismatch",
          severity: "blocking",
          reason: `PO ${poNo} line ${line.sequence}: Amazon's case pack for ${product} is ${stated.unitSize} eaches but the SKU map says ${sku.unitsPerCase}${sku.row ? ` (SKUs row ${sku.row})` : ""}; wrong case packs lead to shortage claims`,
          fix: "Confirm the case pack with the product and correct the SKU map or Amazon's catalogue, then re-plan.",
        });
      }
      const received = line.receivedAs;
      if (
        received?.unit === "Cases" &&
        received.unitSize !== undefined &&
        received.unitSize > 1 &&
        received.unitSize !== sku.unitsPerCase
      ) {
        raise({
          ...at,
          code: "case_pack_mismatch",
          severity: "blocking",
          reason: `PO ${poNo} line ${line.sequence}: Amazon received ${product} in cases of ${received.unitSize} eaches but the SKU map says ${sku.unitsPerCase}${sku.row ? ` (SKUs row ${sku.row})` : ""}; wrong case packs lead to shortage claims`,
          fix: "Confirm the case pack with the product and correct the SKU map or Amazon's catalogue, then re-plan.",
        });
      }
      const cost = line.netCost;
      if (!cost) {
        raise({
          ...at,
          code: "no_net_cost",
          severity: "blocking",
          reason: `PO ${poNo} line ${line.sequence}: ${product} has no net cost`,
          fix: "Fetch the PO with its details (getPurchaseOrder) so the line has Amazon's cost.",
        });
        continue;
      }
      if (cost.currency !== sku.currency) {
        raise({
          ...at,
          code: "currency_mismatch",
          severity: "blocking",
          reason: `PO ${poNo} line ${line.sequence}: Amazon's cost is in ${cost.currency} but the SKU map's agreed cost is in ${sku.currency}`,
          fix: "Add a SKU row in the PO's currency or correct it, then re-plan.",
        });
        continue;
      }
      const unit4 = options.priceSource === "agreed" ? sku.agreedCostPerEach : cost.amount4;
      work.push({
        line,
        sku,
        unit4,
        invoicedBefore: invoicedOf(line.sequence),
        weightBefore: weightOf(line.sequence),
      });
    }

    // Price check: Amazon's cost against the agreed cost. A gap beyond tolerance is a future price claim.
    const tolerance = options.priceTolerance4 ?? (settings ? settings.tolerance * 100 : 0);
    for (const w of work) {
      const cost = w.line.netCost;
      if (!cost || cost.weightUnit) continue;
      const gap = w.sku.agreedCostPerEach - cost.amount4;
      if (Math.abs(gap) <= tolerance) continue;
      const eaches = w.line.acceptedEaches ?? w.line.orderedEaches;
      raise({
        sequence: w.line.sequence,
        product: productName(w.line),
        code: "price_variance",
        severity: "warning",
        reason: `PO ${poNo} line ${w.line.sequence}: Amazon's cost ${showScaled(cost.amount4, 4)} differs from the agreed ${showScaled(w.sku.agreedCostPerEach, 4)} ${cost.currency} per each by more than the tolerance`,
        fix:
          options.priceSource === "agreed"
            ? "The invoice uses the agreed cost; expect a price claim (PPV) from Amazon, or correct the cost with Amazon before invoicing."
            : "The invoice uses Amazon's cost; claim the difference from Amazon or correct the SKU map.",
        expectedClaim: {
          kind: "price_claim",
          amount: Math.abs(lineValueCents(eaches, gap)),
          currency: cost.currency,
        },
      });
    }

    const blocked = exceptions.slice(before).some((e) => e.severity === "blocking");
    if (blocked || !settings) {
      for (const l of po.lines)
        lineOutcomes.push({
          ...outcomeBase(l),
          status: l.cancelled ? "cancelled" : "held",
          invoicedNow: 0,
          keys: [],
        });
      outcomes.push({
        purchaseOrderNumber: poNo,
        ...(po.vendorCode ? { vendorCode: po.vendorCode } : {}),
        status: "held",
        keys: [],
      });
      continue;
    }

    const shipments = (options.shipments ?? []).filter((s) => s.purchaseOrderNumber === poNo);
    const tranches: {
      shipmentId: string;
      date?: string;
      vendorInvoice?: string;
      qty: Map<number, { eaches: number; weight4?: number }>;
    }[] = [];
    const doneShipments = new Set(records.map((r) => r.shipmentId));
    if (shipments.length > 0) {
      const running = new Map<number, number>(work.map((w) => [w.line.sequence, w.invoicedBefore]));
      for (const s of shipments) {
        if (doneShipments.has(s.shipmentId)) continue;
        const qty = new Map<number, { eaches: number; weight4?: number }>();
        for (const l of s.lines) {
          if (!work.some((w) => w.line.sequence === l.sequence) || l.eaches <= 0) continue;
          qty.set(l.sequence, {
            eaches: l.eaches,
            ...(l.totalWeight4 !== undefined ? { weight4: l.totalWeight4 } : {}),
          });
          running.set(l.sequence, (running.get(l.sequence) ?? 0) + l.eaches);
        }
        tranches.push({
          shipmentId: s.shipmentId,
          ...(s.date ? { date: s.date } : {}),
          ...(s.vendorInvoiceNumber ? { vendorInvoice: s.vendorInvoiceNumber } : {}),
          qty,
        });
      }
    } else {
      const qty = new Map<number, { eaches: number }>();
      for (const w of work) {
        const l = w.line;
        const cap = l.acceptedEaches ?? l.orderedEaches;
        let target: number | undefined;
        if (basis === "received") target = l.receivedEaches;
        else target = l.acceptedEaches ?? (l.confirmationStatus === undefined ? l.orderedEaches : 0);
        if (target === undefined) continue;
        if (target > cap) {
          raise({
            sequence: l.sequence,
            product: productName(l),
            code: "over_receipt",
            severity: "warning",
            reason: `PO ${poNo} line ${l.sequence}: Amazon received ${target} eaches but accepted ${cap}; only ${cap} are invoiced`,
            fix: "Check the receipt with Amazon; invoice the extra eaches by hand only if Amazon confirms the overage.",
          });
          target = cap;
        }
        const fresh = target - w.invoicedBefore;
        if (fresh < 0) {
          const over = -fresh;
          raise({
            sequence: l.sequence,
            product: productName(l),
            code: "already_over_invoiced",
            severity: "warning",
            reason: `PO ${poNo} line ${l.sequence}: ${w.invoicedBefore} eaches are already invoiced but only ${target} are ${basis}`,
            fix: "Expect a shortage claim for the difference, or raise a credit note for the eaches not delivered.",
            expectedClaim: {
              kind: "shortage_claim",
              amount: lineValueCents(over, w.unit4),
              currency: l.netCost?.currency ?? po.currency ?? "USD",
            },
          });
        }
        if (fresh > 0) qty.set(l.sequence, { eaches: fresh });
      }
      if (qty.size > 0) {
        let n = records.length + 1;
        while (doneShipments.has(String(n))) n++;
        const dates = work
          .filter((w) => qty.has(w.line.sequence))
          .map((w) => w.line.lastReceiveDate)
          .filter((d): d is string => d !== undefined)
          .sort();
        const date = dates.at(-1);
        tranches.push({ shipmentId: String(n), ...(date ? { date } : {}), qty });
      }
    }

    const keys: string[] = [];
    const lineNow = new Map<number, number>();
    const keysOfLine = new Map<number, string[]>();
    const running = new Map<number, number>(work.map((w) => [w.line.sequence, w.invoicedBefore]));
    for (const t of tranches) {
      const key = poInvoiceKey(settings.vendorCode, poNo, t.shipmentId);
      const number = invoiceNumberFor(pattern, {
        po: poNo,
        shipment: t.shipmentId,
        vendor: settings.vendorCode,
        ...(t.vendorInvoice ? { vendorInvoice: t.vendorInvoice } : {}),
      });
      if (number === undefined) {
        raise({
          code: "invoice_number_invalid",
          severity: "blocking",
          reason: `PO ${poNo} shipment ${t.shipmentId}: the invoice number pattern "${pattern}" gives no valid number (a token without a value, or over 255 characters)`,
          fix: "Give the vendor invoice number for the shipment or change the pattern, then re-plan.",
        });
        continue;
      }
      if (
        (xeroNumbers.has(number) && !records.some((r) => r.invoiceNumber === number)) ||
        plannedNumbers.has(number)
      ) {
        raise({
          code: "invoice_number_exists",
          severity: "blocking",
          reason: `PO ${poNo}: invoice ${number} already exists in Xero but VCX has no record of posting it — it may already invoice these eaches`,
          fix: "Check the Xero invoice; record it as invoiced (or change the number pattern) and re-plan.",
        });
        continue;
      }
      const wanted = t.date ?? options.invoiceDate ?? po.orderDate;
      if (wanted === undefined) continue;
      const dating = datingFor(org, wanted);
      const netDays = po.paymentTerms?.netDays ?? options.paymentTermsDays ?? DEFAULT_PAYMENT_TERMS_DAYS;
      const items: XeroInvoiceLineItem[] = [];
      const links: PoInvoiceLink[] = [];
      const recordLines: InvoicedRecord["lines"] = [];
      let subtotal = 0;
      let taxProblem = false;
      for (const w of work) {
        const q = t.qty.get(w.line.sequence);
        if (!q) continue;
        const l = w.line;
        const weightUnit = l.netCost?.weightUnit;
        if (weightUnit && q.weight4 === undefined) {
          raise({
            sequence: l.sequence,
            product: productName(l),
            code: "weight_priced_without_weight",
            severity: "blocking",
            reason: `PO ${poNo} line ${l.sequence}: ${productName(l)} is priced per ${weightUnit.toLowerCase().replace(/s$/, "")}; its value needs the shipped weight, which is not known`,
            fix: "Import the shipment (ASN) with the line's total weight, then re-plan.",
          });
          taxProblem = true;
          continue;
        }
        const taxType = w.sku.taxType ?? options.defaultTaxType;
        if (taxType !== undefined && index.taxRates.size > 0) {
          const p = index.taxTypeProblem(taxType, settings.salesAccount);
          if (p) {
            raise({
              sequence: l.sequence,
              product: productName(l),
              code: "tax_type_invalid",
              severity: "blocking",
              reason: `PO ${poNo} line ${l.sequence}: ${p}`,
              fix: "Correct the tax type on the SKUs sheet, then re-plan.",
            });
            taxProblem = true;
            continue;
          }
        }
        const lineAmount = weightUnit
          ? lineValueCents(q.weight4 ?? 0, w.unit4, 4)
          : lineValueCents(q.eaches, w.unit4);
        const from = running.get(l.sequence) ?? 0;
        const to = from + q.eaches;
        running.set(l.sequence, to);
        const cases =
          l.ordered.unit === "Cases" && l.ordered.unitSize && q.eaches % l.ordered.unitSize === 0
            ? ` (${q.eaches / l.ordered.unitSize} × ${l.ordered.unitSize})`
            : "";
        const priced = weightUnit
          ? `; ${showScaled(q.weight4 ?? 0, 4)} ${weightUnit.toLowerCase()} at ${showScaled(w.unit4, 4)} per ${weightUnit.toLowerCase().replace(/s$/, "")}`
          : "";
        items.push({
          Description: clip(
            `${productName(l)} — PO ${poNo} line ${l.sequence}: ${q.eaches} eaches${cases}${priced}`,
            4000,
          ),
          Quantity: weightUnit ? wireScaled(q.weight4 ?? 0, 4) : q.eaches,
          UnitAmount: wireScaled(w.unit4, 4),
          LineAmount: wireScaled(lineAmount, 2),
          ItemCode: w.sku.itemCode,
          AccountCode: settings.salesAccount,
          ...(taxType !== undefined ? { TaxType: taxType } : {}),
        });
        links.push({
          purchaseOrderNumber: poNo,
          sequence: l.sequence,
          lineItem: items.length - 1,
          ...(l.asin ? { asin: l.asin } : {}),
          ...(l.vendorSku ? { vendorSku: l.vendorSku } : {}),
          itemCode: w.sku.itemCode,
          eaches: q.eaches,
          fromEach: from,
          toEach: to,
          unitAmount4: w.unit4,
          lineAmount,
          ...(l.acceptedEaches !== undefined ? { acceptedEaches: l.acceptedEaches } : {}),
          ...(l.receivedEaches !== undefined ? { receivedEaches: l.receivedEaches } : {}),
          sources: l.sources,
        });
        recordLines.push({
          sequence: l.sequence,
          eaches: q.eaches,
          ...(q.weight4 !== undefined ? { weight4: q.weight4 } : {}),
        });
        subtotal += lineAmount;
        lineNow.set(l.sequence, (lineNow.get(l.sequence) ?? 0) + q.eaches);
        keysOfLine.set(l.sequence, [...(keysOfLine.get(l.sequence) ?? []), key]);

        // Quantity check: invoiced so far vs what Amazon accepted and received → expected shortage claim.
        const received = l.receivedEaches;
        const accepted = l.acceptedEaches;
        const short = Math.max(
          received !== undefined ? to - received : 0,
          accepted !== undefined ? to - accepted : 0,
        );
        if (short > 0) {
          raise({
            sequence: l.sequence,
            product: productName(l),
            code: "quantity_variance",
            severity: "warning",
            reason: `PO ${poNo} line ${l.sequence}: ${to} eaches invoiced so far, Amazon accepted ${accepted ?? "?"} and received ${received ?? "?"}`,
            fix: "Expect a shortage claim on this invoice; keep the proof of delivery (BOL/POD) to dispute it.",
            expectedClaim: {
              kind: "shortage_claim",
              amount: lineValueCents(short, w.unit4),
              currency: l.netCost?.currency ?? "USD",
            },
          });
        }
      }
      if (taxProblem || items.length === 0) continue;
      const currency = po.currency ?? work[0]?.line.netCost?.currency ?? "USD";
      const body: XeroInvoice = {
        Type: "ACCREC",
        Contact: contactOf(settings, org),
        InvoiceNumber: number,
        Reference: clip(poNo, 255),
        Date: dating.date,
        DueDate: addDays(dating.date, netDays),
        Status: options.status ?? "AUTHORISED",
        LineAmountTypes: "Exclusive",
        LineItems: items,
        CurrencyCode: currency,
      };
      if (dating.note) {
        raise({
          code: "period_locked",
          severity: "warning",
          reason: `PO ${poNo} invoice ${number}: ${dating.note.replace("Amazon payment", "the invoice")}`,
          fix: "Nothing to do, or ask your adviser to reopen the period.",
        });
      }
      plannedNumbers.add(number);
      keys.push(key);
      invoices.push({
        type: "Invoice",
        endpoint: "PUT /Invoices",
        key,
        role: "inv",
        vendorCode: settings.vendorCode,
        purchaseOrderNumber: poNo,
        shipmentId: t.shipmentId,
        dependsOn: [],
        description: `Invoice ${number} to ${settings.amazonContact} for PO ${poNo} (shipment ${t.shipmentId}): ${items.length} line${items.length === 1 ? "" : "s"}, ${money(subtotal, currency)} before tax`,
        body,
        subtotal,
        links,
        record: {
          key,
          purchaseOrderNumber: poNo,
          shipmentId: t.shipmentId,
          invoiceNumber: number,
          lines: recordLines,
        },
      });
    }

    const heldNow = exceptions.slice(before).some((e) => e.severity === "blocking");
    if (heldNow) {
      // A blocking problem found while building (weight, tax, number): hold the whole PO.
      const drop = new Set(keys);
      for (let i = invoices.length - 1; i >= 0; i--)
        if (drop.has(invoices[i]?.key ?? "")) invoices.splice(i, 1);
      for (const n of [...plannedNumbers])
        if (invoices.every((inv) => inv.body.InvoiceNumber !== n)) plannedNumbers.delete(n);
    }
    for (const l of po.lines) {
      const base = outcomeBase(l);
      const now = heldNow ? 0 : (lineNow.get(l.sequence) ?? 0);
      let status: PoLineStatus;
      if (l.cancelled) status = "cancelled";
      else if (heldNow) status = "held";
      else if (now > 0) status = "invoiced";
      else if (l.confirmationStatus === "REJECTED" || l.acceptedEaches === 0) status = "rejected";
      else if (basis === "received" && l.receivedEaches === undefined && shipments.length === 0)
        status = "awaiting_receipt";
      else if (base.invoicedBefore > 0 && base.invoicedBefore >= (l.acceptedEaches ?? l.orderedEaches))
        status = "fully_invoiced";
      else status = "nothing_new";
      lineOutcomes.push({
        ...base,
        ...(work.find((w) => w.line.sequence === l.sequence)?.sku.itemCode
          ? { itemCode: work.find((w) => w.line.sequence === l.sequence)?.sku.itemCode as string }
          : {}),
        invoicedNow: now,
        status,
        keys: heldNow ? [] : (keysOfLine.get(l.sequence) ?? []),
      });
    }
    outcomes.push({
      purchaseOrderNumber: poNo,
      vendorCode: settings.vendorCode,
      status: heldNow ? "held" : keys.length > 0 ? "planned" : "nothing_to_invoice",
      keys: heldNow ? [] : keys,
    });
  }

  const posted = new Set(options.alreadyPosted ?? []);
  return {
    invoices: invoices.filter((i) => !posted.has(i.key)),
    alreadyPosted: invoices.filter((i) => posted.has(i.key)).map((i) => i.key),
    orders: outcomes,
    lines: lineOutcomes,
    exceptions,
    checks: poPlanChecks(invoices, invoicedRecords),
  };
}

/** Checks recomputed from the planned invoices themselves. */
export function poPlanChecks(
  invoices: readonly PlannedInvoice[],
  invoiced: readonly InvoicedRecord[],
): PoPlanCheck[] {
  const checks: PoPlanCheck[] = [];
  const check = (name: PoPlanCheck["name"], failures: string[], ok: string) =>
    checks.push({
      name,
      ok: failures.length === 0,
      message: failures.length === 0 ? ok : failures.slice(0, 20).join("; "),
    });
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const i of invoices) {
    if (seen.has(i.key)) dupes.push(i.key);
    seen.add(i.key);
  }
  for (const r of invoiced) if (seen.has(r.key)) dupes.push(`${r.key} (already invoiced)`);
  check("keys_unique", dupes, "every invoice key is unique and none was invoiced before");
  check(
    "keys_within_limit",
    invoices.filter((i) => i.key.length > MAX_KEY_LENGTH).map((i) => i.key),
    `keys are at most ${MAX_KEY_LENGTH} characters`,
  );
  const inexact: string[] = [];
  for (const inv of invoices)
    for (const link of inv.links) {
      const item = inv.body.LineItems[link.lineItem];
      const weighted = item !== undefined && item.Quantity !== link.eaches;
      if (!weighted && lineValueCents(link.eaches, link.unitAmount4) !== link.lineAmount)
        inexact.push(`${inv.key} line ${link.sequence}`);
      if (item && Math.round(item.LineAmount * 100) !== link.lineAmount)
        inexact.push(`${inv.key} line ${link.sequence} wire`);
    }
  check("line_values_exact", inexact, "every line value is eaches × unit cost to the cent");
  check(
    "totals_not_negative",
    invoices.filter((i) => i.subtotal < 0).map((i) => i.key),
    "no invoice has a negative total (Xero refuses them)",
  );
  const overlaps: string[] = [];
  const covered = new Map<string, number>();
  for (const r of invoiced)
    for (const l of r.lines) {
      const k = `${r.purchaseOrderNumber}#${l.sequence}`;
      covered.set(k, (covered.get(k) ?? 0) + l.eaches);
    }
  for (const inv of invoices)
    for (const link of inv.links) {
      const k = `${link.purchaseOrderNumber}#${link.sequence}`;
      if (link.fromEach < (covered.get(k) ?? 0)) overlaps.push(`${inv.key} line ${link.sequence}`);
      covered.set(k, link.toEach);
    }
  check("never_reinvoiced", overlaps, "no eaches already invoiced are invoiced again");
  return checks;
}

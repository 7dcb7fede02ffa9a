/**
 * EDI X12 850 (purchase order, PO1 lines with PO4 pack details) and 855 (purchase order acknowledgement,
 * ACK per line) → normalised purchase orders. node-x12 tokenises (delimiters from ISA, envelopes); the
 * loops and the unit rules are VCX's: PO1 quantities in EA/UN are eaches, CA/CS are cases of the PO4 pack
 * (PO401); PO104 is the price per each (basis PE and the usual per-each bases); PO4's pack is the case size
 * the SKU map is checked against. Never throws: problems name the segment number and element.
 */
import { X12Parser, type X12Segment } from "node-x12";
import { parseScaled } from "./decimal";
import type {
  ConfirmationStatus,
  PoLine,
  PoProblem,
  PoReadResult,
  PurchaseOrder,
  StatedQuantity,
} from "./model";

interface Seg {
  tag: string;
  el: string[];
  n: number;
}

const EACH_UNITS = new Set(["EA", "UN", "EACH", "PC", "PCE"]);
const CASE_UNITS = new Set(["CA", "CS", "CT", "CASE"]);
/** PO105 bases that mean "price per each". */
const PER_EACH_BASES = new Set(["", "PE", "TE", "NT", "CP", "CT", "UM", "WE", "LE"]);
/** ACK01 codes that reject the quantity; every other ACK01 code accepts it (possibly changed or backordered). */
const REJECT_CODES = new Set(["IR", "ID", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"]);
const ASIN = /^[A-Z0-9]{10}$/;

class Collector {
  readonly list: PoProblem[] = [];
  constructor(readonly file: string) {}
  add(severity: PoProblem["severity"], code: string, seg: Seg | undefined, column: string, message: string) {
    this.list.push({
      severity,
      code,
      file: this.file,
      ...(seg ? { row: seg.n } : {}),
      column,
      message: seg ? `segment ${seg.n} (${seg.tag}), ${column}: ${message}` : `${column}: ${message}`,
    });
  }
}

function toSeg(s: X12Segment, n: number): Seg {
  return { tag: s.tag, el: s.elements.map((e) => (e.value ?? "").trim()), n };
}

function x12Date(text: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text ?? "");
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  return Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) ? undefined : iso;
}

export interface X12PoOptions {
  /** Vendor code when the file carries none (no REF*IA). */
  vendorCode?: string;
}

/** Read an X12 interchange holding 850s and/or 855s. */
export function readPoX12(fileName: string, text: string, options: X12PoOptions = {}): PoReadResult {
  const c = new Collector(fileName);
  const result: PoReadResult = { fileName, format: "unknown", orders: [], problems: c.list };
  let interchange: unknown;
  try {
    interchange = new X12Parser(true).parse(text);
  } catch (e) {
    c.add(
      "error",
      "bad_x12",
      undefined,
      "ISA",
      `the X12 file is malformed: ${e instanceof Error ? e.message : String(e)}`,
    );
    return result;
  }
  const sets: Seg[][] = [];
  let n = 1;
  for (const group of (interchange as { functionalGroups?: { transactions: unknown[] }[] })
    .functionalGroups ?? []) {
    n++;
    for (const t of group.transactions as { header: X12Segment; segments: X12Segment[] }[]) {
      const set: Seg[] = [toSeg(t.header, ++n)];
      for (const s of t.segments) set.push(toSeg(s, ++n));
      n++;
      sets.push(set);
    }
    n++;
  }
  if (sets.length === 0)
    c.add("error", "bad_x12", undefined, "ST", "the X12 file has no transaction set (ST … SE)");
  for (const set of sets) {
    const st = set[0];
    const type = st?.el[0] ?? "";
    if (type !== "850" && type !== "855") {
      c.add("error", "not_a_purchase_order", st, "ST01", `transaction set ${type} is not an 850 or 855`);
      continue;
    }
    const fmt = type === "850" ? "x12-850" : "x12-855";
    result.format = result.format === "unknown" || result.format === fmt ? fmt : result.format;
    const po = readSet(set, type, c, options);
    if (po) result.orders.push(po);
  }
  return result;
}

function quantity(
  c: Collector,
  seg: Seg,
  qtyEl: string | undefined,
  unitEl: string | undefined,
  column: string,
  pack: number | undefined,
): { stated: StatedQuantity; eaches: number } | undefined {
  const amount = /^\d+$/.test(qtyEl ?? "") ? Number(qtyEl) : Number.NaN;
  if (!Number.isSafeInteger(amount)) {
    c.add("error", "bad_quantity", seg, column, `'${qtyEl ?? ""}' is not a whole quantity`);
    return undefined;
  }
  const unit = (unitEl ?? "").toUpperCase();
  if (EACH_UNITS.has(unit)) {
    return {
      stated: { amount, unit: "Eaches", ...(pack !== undefined ? { unitSize: pack } : {}) },
      eaches: amount,
    };
  }
  if (CASE_UNITS.has(unit)) {
    if (pack === undefined) {
      c.add(
        "error",
        "case_without_size",
        seg,
        column,
        `quantity in ${unit} but no PO4 pack gives the case size`,
      );
      return undefined;
    }
    return { stated: { amount, unit: "Cases", unitSize: pack }, eaches: amount * pack };
  }
  c.add(
    "error",
    "bad_unit",
    seg,
    column,
    `unit '${unitEl ?? ""}' is neither eaches (EA, UN) nor cases (CA, CS)`,
  );
  return undefined;
}

interface LineDraft {
  po1: Seg;
  po4?: Seg;
  acks: Seg[];
}

function readSet(
  set: Seg[],
  type: "850" | "855",
  c: Collector,
  options: X12PoOptions,
): PurchaseOrder | undefined {
  const headTag = type === "850" ? "BEG" : "BAK";
  const head = set.find((s) => s.tag === headTag);
  if (!head) {
    c.add("error", "missing_segment", set[0], headTag, `the ${type} has no ${headTag} segment`);
    return undefined;
  }
  const number = head.el[2] ?? "";
  if (!number) {
    c.add("error", "missing_po_number", head, `${headTag}03`, "no purchase order number");
    return undefined;
  }
  const date = x12Date(head.el[type === "850" ? 4 : 3]);
  const po: PurchaseOrder = {
    purchaseOrderNumber: number,
    ...(date ? { orderDate: date } : {}),
    lines: [],
    formats: [type === "850" ? "x12-850" : "x12-855"],
  };
  const drafts: LineDraft[] = [];
  let currency: string | undefined;
  let amt: Seg | undefined;
  let ctt: Seg | undefined;
  for (const s of set) {
    const last = drafts.at(-1);
    switch (s.tag) {
      case "CUR":
        currency = s.el[1]?.toUpperCase();
        break;
      case "REF":
        if (s.el[0] === "IA" && s.el[1]) po.vendorCode = s.el[1];
        break;
      case "ITD": {
        const netDays = /^\d+$/.test(s.el[6] ?? "") ? Number(s.el[6]) : undefined;
        const discountDays = /^\d+$/.test(s.el[4] ?? "") ? Number(s.el[4]) : undefined;
        po.paymentTerms = {
          ...(netDays !== undefined ? { netDays } : {}),
          ...(s.el[2] ? { discountPercent: s.el[2] } : {}),
          ...(discountDays !== undefined ? { discountDays } : {}),
        };
        break;
      }
      case "N1":
        if (s.el[0] === "ST" && s.el[3]) po.shipToParty = s.el[3];
        if (s.el[0] === "BY" && s.el[3]) po.buyingParty = s.el[3];
        break;
      case "PO1":
        drafts.push({ po1: s, acks: [] });
        break;
      case "PO4":
        if (last) last.po4 = s;
        break;
      case "ACK":
        if (last) last.acks.push(s);
        break;
      case "AMT":
        if (s.el[0] === "1" || s.el[0] === "TT") amt = s;
        break;
      case "CTT":
        ctt = s;
        break;
      default:
        break;
    }
  }
  if (!po.vendorCode && options.vendorCode) po.vendorCode = options.vendorCode;
  if (currency && !/^[A-Z]{3}$/.test(currency)) {
    c.add(
      "error",
      "bad_currency",
      set.find((s) => s.tag === "CUR"),
      "CUR02",
      `'${currency}' is not a currency code`,
    );
    currency = undefined;
  }
  for (const d of drafts) {
    const line = readLine(d, type, c, currency ?? "USD");
    if (!line) continue;
    if (po.lines.some((l) => l.sequence === line.sequence)) {
      c.add("error", "duplicate_line", d.po1, "PO101", `line ${line.sequence} appears twice`);
      continue;
    }
    po.lines.push(line);
  }
  if (!currency)
    c.add(
      "warning",
      "no_currency",
      head,
      "CUR02",
      "no CUR segment; prices are read as USD (Amazon US default)",
    );
  po.currency = currency ?? "USD";
  if (ctt && /^\d+$/.test(ctt.el[0] ?? "") && Number(ctt.el[0]) !== drafts.length)
    c.add(
      "error",
      "line_count_mismatch",
      ctt,
      "CTT01",
      `says ${ctt.el[0]} lines but the ${type} has ${drafts.length}`,
    );
  if (amt && type === "850") {
    const stated = parseScaled(amt.el[1] ?? "", 4);
    const sum = po.lines.reduce((s, l) => s + BigInt(l.orderedEaches) * BigInt(l.netCost?.amount4 ?? 0), 0n);
    if (stated === undefined || BigInt(stated) !== sum)
      c.add(
        "error",
        "total_mismatch",
        amt,
        "AMT02",
        `total ${amt.el[1]} is not Σ eaches × PO104 of the lines`,
      );
  }
  return po;
}

function readLine(d: LineDraft, type: "850" | "855", c: Collector, currency: string): PoLine | undefined {
  const s = d.po1;
  const seqText = s.el[0] ?? "";
  if (!/^\d{1,9}$/.test(seqText)) {
    c.add("error", "bad_sequence", s, "PO101", `line number '${seqText}' is not a number`);
    return undefined;
  }
  let pack: number | undefined;
  if (d.po4) {
    const p = d.po4.el[0] ?? "";
    if (/^\d+$/.test(p) && Number(p) > 0) pack = Number(p);
    else c.add("error", "bad_pack", d.po4, "PO401", `pack '${p}' is not a positive whole number`);
  }
  const q = quantity(c, s, s.el[1], s.el[2], "PO102", pack);
  if (!q) return undefined;
  const price = s.el[3] ?? "";
  const basis = (s.el[4] ?? "").toUpperCase();
  let amount4: number | undefined;
  if (price !== "") {
    amount4 = parseScaled(price, 4);
    if (amount4 === undefined || amount4 < 0) {
      c.add("error", "bad_price", s, "PO104", `'${price}' is not a unit price with at most 4 decimals`);
      return undefined;
    }
    if (!PER_EACH_BASES.has(basis)) {
      c.add("error", "bad_price_basis", s, "PO105", `price basis '${basis}' is not a price per each`);
      return undefined;
    }
  }
  const ids = new Map<string, string>();
  const otherIds: string[] = [];
  for (let i = 5; i + 1 < s.el.length; i += 2) {
    const qual = (s.el[i] ?? "").toUpperCase();
    const id = s.el[i + 1] ?? "";
    if (!qual || !id) continue;
    if (!ids.has(qual)) ids.set(qual, id);
    if (["EN", "UP", "UK", "IB", "IS", "EO", "CB", "SK", "IN", "BP"].includes(qual)) otherIds.push(id);
  }
  const bp = ids.get("BP");
  const asin = bp && ASIN.test(bp) ? bp : undefined;
  const vendorSku = ids.get("VN") ?? ids.get("VP") ?? ids.get("VA");
  const line: PoLine = {
    sequence: Number(seqText),
    sequenceText: seqText,
    ...(asin ? { asin } : {}),
    ...(vendorSku ? { vendorSku } : {}),
    otherIds: otherIds.filter((id) => id !== asin),
    orderedEaches: q.eaches,
    ordered: q.stated,
    cancelled: q.eaches === 0,
    ...(amount4 !== undefined ? { netCost: { amount4, currency } } : {}),
    sources: [`${c.file}#segment ${s.n}`],
  };
  if (type === "855") {
    let accepted = 0;
    let rejected = 0;
    for (const a of d.acks) {
      const r = quantity(c, a, a.el[1] || "0", a.el[2] || s.el[2], "ACK02", pack);
      if (!r) continue;
      if (REJECT_CODES.has((a.el[0] ?? "").toUpperCase())) rejected += r.eaches;
      else accepted += r.eaches;
      line.sources.push(`${c.file}#segment ${a.n}`);
    }
    if (d.acks.length === 0) {
      line.confirmationStatus = "UNCONFIRMED";
    } else {
      // An IR line carries ACK02 = 0: what it rejects is the ordered quantity not accepted.
      rejected = Math.max(rejected, q.eaches - accepted);
      const status: ConfirmationStatus =
        accepted === 0 ? "REJECTED" : accepted >= q.eaches ? "ACCEPTED" : "PARTIALLY_ACCEPTED";
      line.confirmationStatus = status;
      line.acceptedEaches = accepted;
      line.rejectedEaches = Math.max(0, rejected);
    }
  }
  return line;
}

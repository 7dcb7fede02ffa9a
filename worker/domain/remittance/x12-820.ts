import { X12Parser, type X12Segment } from "node-x12";
import { currencyScale, decimalToMinor, formatMoneyHuman, sumMinor } from "../money";
import { checkPayments } from "./checks";
import { Classifier, DEFAULT_RULES, X12_REASON_CODES } from "./classify";
import { isoDate } from "./dates";
import { showCell } from "./grid";
import type { Adjustment, Check, Payment, Remittance, RemittanceLine } from "./model";
import type { IngestOptions } from "./options";
import { Problems } from "./problems";

/**
 * EDI X12 820 (Payment Order/Remittance Advice) → the remittance model. node-x12 does the tokenising
 * (delimiters from ISA, envelopes); the loops and the money rules here are VCX's.
 *
 * Both shapes Amazon may use are accepted: deductions as ADX adjustments under the invoice's RMR, and
 * deductions as their own (negative) RMR lines carrying Amazon's document number. Identities enforced:
 * per RMR, RMR05 − RMR06 + ΣADX01 = RMR04; per 820, Σ RMR04 (+ entity-level ADX) = BPR02.
 */

const TRANSACTION_NAMES: Record<string, string> = {
  "810": "an invoice",
  "850": "a purchase order",
  "855": "a purchase order acknowledgement",
  "856": "a ship notice",
  "997": "a functional acknowledgement",
};

interface Seg {
  tag: string;
  el: string[];
  /** 1-based position of the segment in the interchange. */
  n: number;
}

export function readX12_820(fileName: string, text: string, options: IngestOptions): Remittance {
  const problems = new Problems(fileName);
  const result: Remittance = { format: "x12-820", fileName, payments: [], problems: problems.list };
  let interchange: ReturnType<X12Parser["parse"]>;
  try {
    interchange = new X12Parser(true).parse(text) as ReturnType<X12Parser["parse"]>;
  } catch (e) {
    problems.add({
      severity: "error",
      code: "bad_x12",
      message: `The X12 file is malformed: ${e instanceof Error ? e.message : String(e)}`,
    });
    return result;
  }
  const classifier = new Classifier(options.classificationRules ?? DEFAULT_RULES);
  let n = 1; // ISA
  const sets: Seg[][] = [];
  for (const group of (interchange as { functionalGroups?: { transactions: unknown[] }[] })
    .functionalGroups ?? []) {
    n++; // GS
    for (const t of group.transactions as { header: X12Segment; segments: X12Segment[] }[]) {
      const set: Seg[] = [toSeg(t.header, ++n)];
      for (const s of t.segments) set.push(toSeg(s, ++n));
      n++; // SE
      sets.push(set);
    }
    n++; // GE
  }
  if (sets.length === 0) {
    problems.add({
      severity: "error",
      code: "bad_x12",
      message: "The X12 file has no transaction set (ST … SE)",
    });
    return result;
  }
  const bprChecks = new Map<Payment, Check[]>();
  for (const set of sets) {
    const st = set[0];
    const type = st?.el[0] ?? "";
    if (type !== "820") {
      problems.add({
        severity: "error",
        code: "not_a_remittance",
        row: st?.n ?? 1,
        column: "ST01",
        message: `Transaction set ${showCell(st?.el[1] ?? "")} is an X12 ${showCell(type)} (${TRANSACTION_NAMES[type] ?? "not a remittance"}), not an 820 remittance advice`,
      });
      continue;
    }
    const p = readSet(fileName, set, problems, options, classifier);
    if (p) {
      result.payments.push(p.payment);
      bprChecks.set(p.payment, p.checks);
    }
  }
  checkPayments(result.payments, new Set());
  for (const [payment, checks] of bprChecks) payment.checks.push(...checks);
  return result;
}

function toSeg(s: X12Segment, n: number): Seg {
  return { tag: s.tag, el: s.elements.map((e) => e.value ?? ""), n };
}

function readSet(
  file: string,
  set: Seg[],
  problems: Problems,
  options: IngestOptions,
  classifier: Classifier,
): { payment: Payment; checks: Check[] } | undefined {
  const find = (tag: string) => set.find((s) => s.tag === tag);
  const bpr = find("BPR");
  const trn = find("TRN");
  const st = set[0];
  if (!bpr) {
    problems.add({
      severity: "error",
      code: "missing_segment",
      row: st?.n ?? 1,
      column: "BPR",
      message: `The 820 starting at segment ${st?.n} has no BPR segment (payment amount)`,
    });
    return undefined;
  }
  const cur = find("CUR");
  let currency = cur?.el[1]?.trim().toUpperCase() || options.currency?.toUpperCase() || "";
  if (currency && !/^[A-Z]{3}$/.test(currency)) {
    problems.add({
      severity: "error",
      code: "bad_currency",
      row: cur?.n ?? bpr.n,
      column: "CUR02",
      message: `CUR02 in segment ${cur?.n ?? bpr.n} is '${showCell(currency)}', expected a currency code such as USD`,
    });
    return undefined;
  }
  if (!currency) {
    currency = "USD";
    problems.add({
      severity: "warning",
      code: "assumed_currency",
      row: bpr.n,
      message:
        "The 820 has no CUR segment; amounts are read as USD (choose the marketplace currency if that is wrong)",
    });
  }
  const scale = currencyScale(currency);
  const money = (seg: Seg, i: number, required: boolean): number | undefined => {
    const raw = (seg.el[i - 1] ?? "").trim();
    const id = `${seg.tag}${String(i).padStart(2, "0")}`;
    if (raw === "") {
      if (required)
        problems.add({
          severity: "error",
          code: "missing_amount",
          row: seg.n,
          column: id,
          message: `${id} in segment ${seg.n} (${seg.tag}) is empty, expected an amount`,
        });
      return undefined;
    }
    const v = decimalToMinor(raw, scale);
    if (v === undefined) {
      problems.add({
        severity: "error",
        code: "bad_amount",
        row: seg.n,
        column: id,
        message: `${id} in segment ${seg.n} (${seg.tag}) is '${raw.slice(0, 40)}', expected an amount in ${currency}`,
      });
    }
    return v;
  };
  const date = (seg: Seg, i: number): string | undefined => {
    const raw = (seg.el[i - 1] ?? "").trim();
    if (raw === "") return undefined;
    const m = /^(\d{4})(\d{2})(\d{2})$/.exec(raw) ?? /^(\d{2})(\d{2})(\d{2})$/.exec(raw);
    const iso = m
      ? isoDate(m[1]?.length === 2 ? 2000 + Number(m[1]) : Number(m[1]), Number(m[2]), Number(m[3]))
      : undefined;
    if (!iso) {
      const id = `${seg.tag}${String(i).padStart(2, "0")}`;
      problems.add({
        severity: "error",
        code: "bad_date",
        row: seg.n,
        column: id,
        message: `${id} in segment ${seg.n} is '${raw.slice(0, 20)}', expected a date CCYYMMDD`,
      });
    }
    return iso;
  };

  const total = money(bpr, 2, true) ?? 0;
  if ((bpr.el[2] ?? "C") === "D") {
    problems.add({
      severity: "warning",
      code: "debit_payment",
      row: bpr.n,
      column: "BPR03",
      message: "BPR03 is D (debit): this 820 takes money from the vendor",
    });
  }
  const paymentNumber = trn?.el[1]?.trim() || "";
  if (!paymentNumber) {
    problems.add({
      severity: "error",
      code: "missing_segment",
      row: trn?.n ?? bpr.n,
      column: "TRN02",
      message: "The 820 has no TRN02 trace number (the payment number)",
    });
  }
  // Payment date: BPR16 (effective date), else a header DTM (settlement 234, or 097 transaction creation).
  const firstEnt = set.findIndex((s) => s.tag === "ENT" || s.tag === "RMR");
  const header = firstEnt < 0 ? set : set.slice(0, firstEnt);
  const dtm = header.find((s) => s.tag === "DTM" && (s.el[0] === "234" || s.el[0] === "097"));
  const paymentDate = date(bpr, 16) ?? (dtm ? date(dtm, 2) : undefined) ?? null;
  if (paymentDate === null) {
    problems.add({
      severity: "error",
      code: "missing_date",
      row: bpr.n,
      column: "BPR16",
      message: "The 820 has no payment date (BPR16 or a DTM 234/097)",
    });
  }

  // Group RMR loops: each RMR owns the REF/DTM/ADX segments after it until the next RMR or ENT.
  interface Loop {
    rmr: Seg;
    refs: Seg[];
    dtms: Seg[];
    adx: Seg[];
  }
  const loops: Loop[] = [];
  const entityAdx: Seg[] = [];
  let current: Loop | undefined;
  for (const s of firstEnt < 0 ? [] : set.slice(firstEnt)) {
    if (s.tag === "ENT") current = undefined;
    else if (s.tag === "RMR") {
      current = { rmr: s, refs: [], dtms: [], adx: [] };
      loops.push(current);
    } else if (s.tag === "ADX") (current ? current.adx : entityAdx).push(s);
    else if (current && s.tag === "REF") current.refs.push(s);
    else if (current && s.tag === "DTM") current.dtms.push(s);
  }
  const known = new Set<string>(options.knownInvoiceNumbers ?? []);
  for (const l of loops) if (l.rmr.el[1]) known.add(l.rmr.el[1].trim());

  const source = (seg: Seg) => ({ file, row: seg.n });
  const adjustment = (a: Seg): Adjustment | undefined => {
    const amount = money(a, 1, true);
    if (amount === undefined) return undefined;
    const code = (a.el[1] ?? "").trim();
    const meaning = X12_REASON_CODES[code];
    // Amazon's own document number in ADX04 says more than a generic reason code (ZZ, 16 …).
    const byNumber = a.el[3]
      ? classifier.classify({ documentNumber: a.el[3].trim() }, (x) => known.has(x)).kind
      : "unknown";
    return {
      amount,
      reasonCode: code,
      ...(meaning ? { reasonText: meaning.text } : {}),
      kind: byNumber !== "unknown" ? byNumber : (meaning?.kind ?? "unknown"),
      ...(a.el[2] ? { referenceQualifier: a.el[2] } : {}),
      ...(a.el[3] ? { referenceId: a.el[3] } : {}),
      source: source(a),
    };
  };

  const lines: RemittanceLine[] = [];
  const identityFailures: string[] = [];
  const identityRows: number[] = [];
  for (const loop of loops) {
    const r = loop.rmr;
    const documentNumber = (r.el[1] ?? "").trim();
    if (documentNumber.length > 255) {
      problems.add({
        severity: "error",
        code: "number_too_long",
        row: r.n,
        column: "RMR02",
        message: `RMR02 in segment ${r.n} is longer than 255 characters`,
      });
      continue;
    }
    if (!documentNumber) {
      problems.add({
        severity: "error",
        code: "missing_document_number",
        row: r.n,
        column: "RMR02",
        message: `RMR02 in segment ${r.n} is empty, expected a document number`,
      });
      continue;
    }
    const paid = money(r, 4, true);
    const invoiceAmount = money(r, 5, false);
    const discount = money(r, 6, false) ?? 0;
    const adjustments = loop.adx.map(adjustment).filter((a): a is Adjustment => a !== undefined);
    if (paid === undefined) continue;
    const qualifier = (r.el[0] ?? "").trim();
    let c = classifier.classify({ documentNumber }, (x) => known.has(x));
    // An IV line is the invoice itself when it is paid, or when it states the invoice amount its ADX
    // adjustments reduce (it may then net below zero); a bare negative IV line is never guessed to be one.
    if (c.kind === "unknown" && qualifier === "IV" && (paid >= 0 || invoiceAmount !== undefined)) {
      c = { kind: "invoice_payment", evidence: { by: "x12_qualifier", value: qualifier } };
    }
    const refs = loop.refs.map((s) => `${s.el[0] ?? ""} ${s.el[1] ?? ""}`.trim()).filter(Boolean);
    const dtm = loop.dtms.find((s) => s.el[0] === "003") ?? loop.dtms.find((s) => s.el[0] === "097");
    const invoiceDate = dtm ? date(dtm, 2) : undefined;
    const line: RemittanceLine = {
      documentNumber,
      kind: c.kind,
      evidence: c.evidence,
      amount: paid,
      currency,
      termsDiscount: discount,
      withholding: 0,
      adjustments,
      source: source(r),
      ...(invoiceAmount !== undefined ? { invoiceAmount } : {}),
      ...(invoiceDate ? { invoiceDate } : {}),
      ...(refs.length ? { referenceDetails: refs.join("; ") } : {}),
      ...(c.originalDocumentNumber ? { originalDocumentNumber: c.originalDocumentNumber } : {}),
    };
    const invoiceNumber = c.kind === "invoice_payment" ? documentNumber : c.invoiceNumber;
    if (invoiceNumber) line.invoiceNumber = invoiceNumber;
    lines.push(line);
    if (invoiceAmount !== undefined) {
      const expected = invoiceAmount - discount + sumMinor(adjustments.map((a) => a.amount));
      if (expected !== paid) {
        identityFailures.push(
          `${showCell(documentNumber)} (segment ${r.n}): RMR05 − RMR06 + ΣADX01 = ${formatMoneyHuman(expected, currency)} but RMR04 = ${formatMoneyHuman(paid, currency)}`,
        );
        identityRows.push(r.n);
      }
    }
  }
  // Entity-level adjustments (ADX directly under ENT) are lines of their own.
  for (const a of entityAdx) {
    const adj = adjustment(a);
    if (!adj) continue;
    const documentNumber = adj.referenceId ?? `ADX-${a.n}`;
    const c = classifier.classify({ documentNumber }, (x) => known.has(x));
    lines.push({
      documentNumber,
      kind: c.kind !== "unknown" ? c.kind : adj.kind,
      evidence: c.kind !== "unknown" ? c.evidence : { by: "x12_qualifier", value: `ADX02=${adj.reasonCode}` },
      ...(c.originalDocumentNumber ? { originalDocumentNumber: c.originalDocumentNumber } : {}),
      ...(c.invoiceNumber ? { invoiceNumber: c.invoiceNumber } : {}),
      ...(adj.reasonText ? { referenceDetails: `ADX ${adj.reasonCode} ${adj.reasonText}` } : {}),
      amount: adj.amount,
      currency,
      termsDiscount: 0,
      withholding: 0,
      adjustments: [],
      source: source(a),
    });
  }

  const payment: Payment = {
    paymentNumber,
    paymentDate,
    currency,
    amount: total,
    lines,
    checks: [],
    source: source(bpr),
    ...(bpr.el[3] ? { paymentType: bpr.el[3] } : {}),
  };
  const deposit = options.bankDeposits?.[paymentNumber];
  if (deposit !== undefined) {
    const minor = decimalToMinor(deposit.trim(), scale);
    if (minor === undefined) {
      problems.add({
        severity: "error",
        code: "bad_bank_deposit",
        message: `The bank deposit given for payment ${paymentNumber} ('${deposit}') is not an amount in ${currency}`,
      });
    } else payment.bankDeposit = minor;
  }
  const rmrTotal = sumMinor(lines.map((l) => l.amount));
  const checks: Check[] = [
    {
      name: "x12_rmr_identity",
      ok: identityFailures.length === 0,
      severity: "error",
      message:
        identityFailures.length === 0
          ? "RMR05 − RMR06 + ΣADX01 = RMR04 on every remittance line"
          : `Remittance lines that do not add up: ${identityFailures.slice(0, 5).join("; ")}${identityFailures.length > 5 ? ` and ${identityFailures.length - 5} more` : ""}`,
      ...(identityRows.length ? { rows: identityRows } : {}),
    },
    {
      name: "x12_bpr_total",
      ok: rmrTotal === total,
      severity: "error",
      message:
        rmrTotal === total
          ? `Σ RMR04 = BPR02 = ${formatMoneyHuman(total, currency)} ${currency}`
          : `Σ RMR04 = ${formatMoneyHuman(rmrTotal, currency)} but BPR02 = ${formatMoneyHuman(total, currency)} ${currency}`,
    },
  ];
  return { payment, checks };
}

import { currencyScale, decimalToMinor, sumMinor } from "../money";
import { parseAmount, parseRate } from "./amounts";
import { checkPayments } from "./checks";
import { Classifier, DEFAULT_RULES } from "./classify";
import {
  type ColumnMap,
  LINE_COLUMNS,
  type LineField,
  mapColumns,
  PAYMENT_COLUMNS,
  type PaymentField,
  REQUIRED_LINE,
  REQUIRED_PAYMENT,
} from "./columns";
import { type ColumnAt, DateReader } from "./date-reader";
import { type Cell, cellText, type RowSink } from "./grid";
import type { Payment, Remittance, RemittanceFormat, RemittanceLine } from "./model";
import { type IngestOptions, optionDateOrder } from "./options";
import { Problems } from "./problems";

/** Shared by every line VC exports give (they carry no X12 adjustments); never mutated. */
const NO_ADJUSTMENTS: RemittanceLine["adjustments"] = Object.freeze(
  [],
) as unknown as RemittanceLine["adjustments"];
const UNCLASSIFIED = Object.freeze({ by: "none" }) as RemittanceLine["evidence"];
const HEADER_CELL = /^\s*payment\s+number\s*$/i;
/** Longest payment or document number accepted (Xero's InvoiceNumber and Reference hold 255). */
const MAX_NUMBER = 255;
const CURRENCY_CODE = /^[A-Z]{3}$/;
const TOTAL_ROW = /^(grand\s+)?totals?\b/i;

/** A header row's columns: field → index in the pushed cells, plus where to point messages. */
type Columns<F extends string> = { map: ColumnMap<F>; at: Partial<Record<F, ColumnAt>> };

/**
 * Reads the Vendor Central remittance export from a grid, row by row: a payments section (header row
 * starting "Payment Number", one row per payment), then a row "Invoices", then the document lines (a header
 * row that has both "Payment Number" and "Invoice Number"). Header rows are found by their text; title and
 * blank rows, repeated header blocks and "Total" rows are tolerated.
 *
 * Rows become model objects as they arrive (a 100k-line file is never held twice). Only what needs the
 * whole file waits for `finish`: numeric dates (the file's date order) and lines whose kind rests on a
 * document-number prefix that may appear further down.
 */
export class VcExportReader implements RowSink {
  private sheet: string | undefined;
  private section: "none" | "payments" | "lines" = "none";
  private paymentCols: Columns<PaymentField> = { map: {}, at: {} };
  private lineCols: Columns<LineField> = { map: {}, at: {} };
  private headersSeen = 0;
  private lineCount = 0;
  readonly problems: Problems;
  private readonly dates: DateReader;
  private readonly payments = new Map<string, Payment>();
  private readonly withoutSummary = new Set<string>();
  private readonly known: Set<string>;
  private readonly classifier: Classifier;
  private readonly unclassified: { line: RemittanceLine; originalInvoice: string }[] = [];
  /** Lines whose currency is not known yet (no currency column and their payment row not seen yet). */
  private readonly waiting: { cells: readonly Cell[]; row: number; cols: Columns<LineField> }[] = [];
  private readonly fallbackCurrency: string | undefined;

  constructor(
    readonly file: string,
    readonly format: RemittanceFormat,
    private readonly options: IngestOptions = {},
  ) {
    this.problems = new Problems(file);
    this.dates = new DateReader(this.problems, optionDateOrder(options));
    this.known = new Set(options.knownInvoiceNumbers ?? []);
    this.classifier = new Classifier(options.classificationRules ?? DEFAULT_RULES);
    this.fallbackCurrency = options.currency?.toUpperCase();
  }

  /** Rows that follow belong to this sheet (a workbook may hold the export on more than one). */
  startSheet(name: string | undefined): void {
    this.sheet = name;
    this.section = "none";
  }

  push(cells: readonly Cell[], row: number, firstColumn: number): void {
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      if (typeof c === "string" && c.length >= 14 && c.length <= 40 && HEADER_CELL.test(c)) {
        this.header(cells, row, firstColumn);
        return;
      }
    }
    if (this.section === "none") return; // title rows before the first header
    const pnCol =
      this.section === "payments" ? this.paymentCols.map.paymentNumber : this.lineCols.map.paymentNumber;
    const pn = pnCol ? cellText(cells[pnCol.index]) : "";
    const marker = pn.length === 8 && pn.toLowerCase() === "invoices" && onlyOneValue(cells);
    if (pn === "" || marker || TOTAL_ROW.test(pn)) {
      if (!marker) this.other(cells, row);
      return;
    }
    if (this.section === "payments") this.payment(cells, row, pn);
    else this.line(cells, row, pn, this.lineCols);
  }

  private header(cells: readonly Cell[], row: number, firstColumn: number): void {
    this.headersSeen++;
    const headers = cells.map((c) => cellText(c));
    const isLines = headers.some((h) => /^(invoice|document) number$/i.test(h));
    const located = <F extends string>(map: ColumnMap<F>): Columns<F> => {
      const at: Partial<Record<F, ColumnAt>> = {};
      for (const f of Object.keys(map) as F[]) {
        const c = map[f];
        if (c)
          at[f] = {
            header: c.header,
            columnIndex: c.index + firstColumn,
            ...(this.sheet ? { sheet: this.sheet } : {}),
          };
      }
      return { map, at };
    };
    if (isLines) {
      this.section = "lines";
      this.lineCols = located(mapColumns(LINE_COLUMNS, headers));
      for (const f of REQUIRED_LINE) if (!this.lineCols.map[f]) this.missing(row, LINE_COLUMNS[f]);
    } else {
      this.section = "payments";
      this.paymentCols = located(mapColumns(PAYMENT_COLUMNS, headers));
      for (const f of REQUIRED_PAYMENT) if (!this.paymentCols.map[f]) this.missing(row, PAYMENT_COLUMNS[f]);
    }
  }

  private missing(row: number, aliases: readonly string[]): void {
    const name = titleCase(aliases[0] ?? "");
    this.problems.add({
      severity: "error",
      code: "missing_column",
      row,
      column: name,
      ...(this.sheet ? { sheet: this.sheet } : {}),
      message: `The header on row ${row} has no '${name}' column (looked for: ${aliases.map(titleCase).join(", ")})`,
    });
  }

  /** A row under a header without a payment number: a total, or a stray row. */
  private other(cells: readonly Cell[], row: number): void {
    const texts: string[] = [];
    for (const c of cells) {
      const t = cellText(c);
      if (t !== "") texts.push(t);
    }
    if (texts.length === 0 || (texts[0] ?? "").toLowerCase().startsWith("total")) return;
    const amountCol = this.section === "lines" ? this.lineCols.map.amountPaid : this.paymentCols.map.amount;
    const hasAmount = amountCol !== undefined && cellText(cells[amountCol.index]) !== "";
    this.problems.add({
      severity: hasAmount ? "error" : "warning",
      code: "row_without_payment_number",
      row,
      column: "Payment Number",
      ...(this.sheet ? { sheet: this.sheet } : {}),
      message: hasAmount
        ? `Row ${row} has an amount but no Payment Number, so it cannot be assigned to a payment`
        : `Row ${row} has no Payment Number and was ignored ('${texts.join(" ").slice(0, 60)}')`,
    });
  }

  private source(row: number) {
    return this.sheet ? { file: this.file, sheet: this.sheet, row } : { file: this.file, row };
  }

  private payment(cells: readonly Cell[], row: number, number: string): void {
    const { map, at } = this.paymentCols;
    const where = (f: PaymentField) => ({ row, ...(at[f] ?? { header: PAYMENT_COLUMNS[f][0] }) });
    if (number.length > MAX_NUMBER) {
      this.problems.cell(
        "error",
        "number_too_long",
        where("paymentNumber"),
        cellAt(cells, map.paymentNumber),
        `which is longer than ${MAX_NUMBER} characters`,
      );
      return;
    }
    const currency = this.currency(cellAt(cells, map.currency), row, at.currency) || this.fallbackCurrency;
    if (!currency) {
      this.problems.add({
        severity: "error",
        code: "no_currency",
        row,
        message: `Payment ${number} on row ${row} states no currency; choose the marketplace currency`,
      });
      return;
    }
    const existing = this.payments.get(number);
    if (existing && !this.withoutSummary.has(number)) {
      this.problems.add({
        severity: "error",
        code: "duplicate_payment",
        row,
        column: map.paymentNumber?.header ?? "Payment Number",
        message: `Payment ${number} appears twice in the payments section (again on row ${row})`,
      });
      return;
    }
    // Lines may have come first (then the payment was synthesised): the payment row completes it.
    const payment: Payment = existing ?? {
      paymentNumber: number,
      paymentDate: null,
      currency,
      amount: 0,
      lines: [],
      checks: [],
      source: this.source(row),
    };
    this.withoutSummary.delete(number);
    payment.currency = currency;
    payment.source = this.source(row);
    payment.amount = this.amount(cellAt(cells, map.amount), currency, row, at.amount, true) ?? 0;
    if (map.paymentDate)
      this.dates.read(
        cellAt(cells, map.paymentDate),
        row,
        at.paymentDate ?? { header: "Payment Date" },
        true,
        payment,
        "paymentDate",
      );
    const payCurrency = this.currency(cellAt(cells, map.paymentCurrency), row, at.paymentCurrency);
    if (payCurrency && payCurrency !== currency) {
      const paid = this.amount(cellAt(cells, map.paymentAmount), payCurrency, row, at.paymentAmount, true);
      const rate = parseRate(cellAt(cells, map.exchangeRate) ?? null);
      payment.exchange = {
        paymentCurrency: payCurrency,
        paymentAmount: paid ?? 0,
        ...(rate ? { rate } : {}),
      };
    }
    const type = cellText(cellAt(cells, map.paymentType));
    const status = cellText(cellAt(cells, map.paymentStatus));
    const voided = cellText(cellAt(cells, map.voidedReason));
    if (type) payment.paymentType = type;
    if (status) payment.paymentStatus = status;
    if (voided) payment.voidedReason = voided;
    this.payments.set(number, payment);
    // Lines that were waiting for this payment's currency can be read now.
    if (this.waiting.length > 0) {
      const ready = this.waiting.filter(
        (w) => cellText(w.cells[w.cols.map.paymentNumber?.index ?? 0]) === number,
      );
      for (const w of ready) {
        this.waiting.splice(this.waiting.indexOf(w), 1);
        this.line(w.cells, w.row, number, w.cols);
      }
    }
  }

  private line(cells: readonly Cell[], row: number, paymentNumber: string, cols: Columns<LineField>): void {
    // No closures or per-cell objects here: this runs for every line of a 100k-line file.
    const { map, at } = cols;
    const documentNumber = cellText(cellAt(cells, map.documentNumber));
    if (documentNumber === "") {
      this.problems.cell(
        "error",
        "missing_document_number",
        lineAt(row, at, "documentNumber"),
        cellAt(cells, map.documentNumber),
        "expected a document number",
      );
      return;
    }
    if (documentNumber.length > MAX_NUMBER || paymentNumber.length > MAX_NUMBER) {
      const f = documentNumber.length > MAX_NUMBER ? "documentNumber" : "paymentNumber";
      this.problems.cell(
        "error",
        "number_too_long",
        lineAt(row, at, f),
        cellAt(cells, map[f]),
        `which is longer than ${MAX_NUMBER} characters`,
      );
      return;
    }
    let payment = this.payments.get(paymentNumber);
    const currency =
      this.currency(cellAt(cells, map.currency), row, at.currency) ||
      payment?.currency ||
      this.fallbackCurrency ||
      "";
    if (!currency) {
      this.waiting.push({ cells, row, cols });
      return;
    }
    const optional = (c: { index: number } | undefined, column: ColumnAt | undefined) =>
      c ? this.amount(cells[c.index], currency, row, column, false) : undefined;
    const transactionType = this.intern(cellText(cellAt(cells, map.transactionType)));
    const transactionDescription = this.intern(
      cellText(cellAt(cells, map.transactionDescription)) || cellText(cellAt(cells, map.description)),
    );
    const referenceDetails = cellText(cellAt(cells, map.referenceDetails));
    const originalInvoice = cellText(cellAt(cells, map.originalInvoiceNumber));
    // Every property in one literal: one hidden class with in-object fields for all 100k lines
    // (adding fields later would give each line an out-of-object backing store).
    const line: RemittanceLine = {
      documentNumber,
      kind: "unknown",
      evidence: UNCLASSIFIED,
      amount: this.amount(cellAt(cells, map.amountPaid), currency, row, at.amountPaid, true) ?? 0,
      currency,
      termsDiscount: optional(map.termsDiscount, at.termsDiscount) ?? 0,
      withholding: optional(map.withholding, at.withholding) ?? 0,
      invoiceAmount: optional(map.invoiceAmount, at.invoiceAmount),
      remainingAmount: optional(map.remainingAmount, at.remainingAmount),
      invoiceDate: undefined,
      transactionType: transactionType || undefined,
      transactionDescription: transactionDescription || undefined,
      referenceDetails: referenceDetails || undefined,
      originalDocumentNumber: undefined,
      invoiceNumber: undefined,
      adjustments: NO_ADJUSTMENTS,
      source: this.source(row),
    };
    if (map.invoiceDate) {
      const column = at.invoiceDate ?? { header: "Invoice Date" };
      this.dates.read(cellAt(cells, map.invoiceDate), row, column, false, line, "invoiceDate");
    }
    this.known.add(documentNumber);
    if (originalInvoice) this.known.add(originalInvoice);

    const byText = this.classifier.byText(
      { documentNumber, transactionType, description: transactionDescription },
      documentNumber,
    );
    if (byText) classifyInto(line, byText, originalInvoice);
    else this.unclassified.push({ line, originalInvoice }); // number patterns may need an invoice further down

    if (!payment) {
      payment = {
        paymentNumber,
        paymentDate: null,
        currency,
        amount: 0,
        lines: [],
        checks: [],
        source: this.source(row),
      };
      this.payments.set(paymentNumber, payment);
      this.withoutSummary.add(paymentNumber);
    }
    payment.lines.push(line);
    this.lineCount++;
  }

  /** Turn what was read into the model. */
  finish(): Remittance {
    const problems = this.problems;
    for (const w of this.waiting) {
      problems.add({
        severity: "error",
        code: "no_currency",
        row: w.row,
        message: `Row ${w.row} states no currency and its payment has none; choose the marketplace currency`,
      });
    }
    if (this.headersSeen === 0) {
      problems.add({
        severity: "error",
        code: "not_a_remittance",
        message:
          "No 'Payment Number' header row found. Is this a Vendor Central remittance export (Payments › Remittance › Export)?",
      });
    } else if (this.lineCount === 0 && !problems.hasErrors) {
      problems.add({
        severity: "error",
        code: "no_lines",
        message:
          "The file has no invoice lines (no header row with both 'Payment Number' and 'Invoice Number')",
      });
    }
    const isKnown = (n: string) => this.known.has(n);
    for (const { line, originalInvoice } of this.unclassified) {
      classifyInto(line, this.classifier.byNumber(line.documentNumber, isKnown), originalInvoice);
    }
    const order = this.dates.resolve();

    const all = [...this.payments.values()];
    const deposits = this.options.bankDeposits ?? {};
    for (const p of all) {
      // Without a payment row the amount can only be the lines' sum; the summary check says so.
      if (this.withoutSummary.has(p.paymentNumber)) p.amount = sumMinor(p.lines.map((l) => l.amount));
      const deposit = deposits[p.paymentNumber];
      if (deposit === undefined) continue;
      const cur = p.exchange?.paymentCurrency ?? p.currency;
      const minor = decimalToMinor(deposit.trim(), currencyScale(cur));
      if (minor === undefined) {
        problems.add({
          severity: "error",
          code: "bad_bank_deposit",
          message: `The bank deposit given for payment ${p.paymentNumber} ('${deposit}') is not an amount in ${cur}`,
        });
      } else p.bankDeposit = minor;
    }
    checkPayments(all, this.withoutSummary);
    return {
      format: this.format,
      fileName: this.file,
      ...(order ? { dateOrder: order } : {}),
      payments: all,
      problems: problems.list,
    };
  }

  /** One string instance per distinct label (transaction types repeat on every line). */
  private readonly labels = new Map<string, string>();
  private intern(s: string): string {
    if (s === "") return s;
    const hit = this.labels.get(s);
    if (hit !== undefined) return hit;
    if (this.labels.size < 10_000) this.labels.set(s, s);
    return s;
  }

  /** An ISO 4217 code, or "" (absent or reported as bad). */
  private currency(cell: Cell, row: number, column: ColumnAt | undefined): string {
    if (cell === undefined || cell === null || cell === "") return "";
    const text = cellText(cell).toUpperCase();
    if (text === "" || CURRENCY_CODE.test(text)) return text;
    this.problems.cell(
      "error",
      "bad_currency",
      { row, ...(column ?? { header: "Currency" }) },
      cell,
      "expected a currency code such as USD",
    );
    return "";
  }

  private amount(
    cell: Cell,
    currency: string,
    row: number,
    column: ColumnAt | undefined,
    required: boolean,
  ): number | undefined {
    const r = parseAmount(cell ?? null, currency);
    if (r.ok && r.currencyHint === undefined) return r.minor;
    const at = { row, ...(column ?? { header: "Amount" }) };
    if (r.ok) {
      if (r.currencyHint && r.currencyHint !== currency) {
        this.problems.cell(
          "warning",
          "currency_mismatch",
          at,
          cell,
          `which is in ${r.currencyHint}, not ${currency}`,
        );
      }
      return r.minor;
    }
    if (r.empty) {
      if (required) this.problems.cell("error", "missing_amount", at, cell, "expected an amount");
      return undefined;
    }
    this.problems.cell(
      "error",
      "bad_amount",
      at,
      cell,
      r.reason === "is not an amount" ? "expected an amount" : `which ${r.reason} for ${currency}`,
    );
    return undefined;
  }
}

/** Set kind, evidence and links. Reversals point at what they reverse; others at the invoice they hit. */
function classifyInto(
  line: RemittanceLine,
  c: ReturnType<Classifier["byNumber"]>,
  originalInvoice: string,
): void {
  line.kind = c.kind;
  line.evidence = c.evidence;
  const original =
    c.kind.endsWith("_reversal") && c.originalDocumentNumber
      ? c.originalDocumentNumber
      : originalInvoice || c.originalDocumentNumber;
  // Assigned only when present: deleting a property would push 100k objects into V8's slow mode.
  if (original && original !== line.documentNumber) line.originalDocumentNumber = original;
  const invoiceNumber =
    c.kind === "invoice_payment" ? line.documentNumber : originalInvoice || c.invoiceNumber;
  if (invoiceNumber) line.invoiceNumber = invoiceNumber;
}

/** True when exactly one cell of the row has a value (a section marker such as "Invoices"). */
function lineAt(row: number, at: Partial<Record<LineField, ColumnAt>>, f: LineField) {
  return { row, ...(at[f] ?? { header: LINE_COLUMNS[f][0] }) };
}

function cellAt(cells: readonly Cell[], column: { index: number } | undefined): Cell {
  return column ? cells[column.index] : undefined;
}

function onlyOneValue(cells: readonly Cell[]): boolean {
  let n = 0;
  for (const c of cells) if (cellText(c) !== "" && ++n > 1) return false;
  return n === 1;
}

function titleCase(s: string): string {
  return s.replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

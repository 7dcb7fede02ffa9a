import { currencyScale, decimalToMinor, sumMinor } from "../money";
import { type AmountResult, parseAmount, parseRate } from "./amounts";
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
import { DateReader } from "./date-reader";
import { type Cell, cellText, type RowSink } from "./grid";
import type { Payment, Remittance, RemittanceFormat, RemittanceLine } from "./model";
import { type IngestOptions, optionDateOrder } from "./options";
import { Problems } from "./problems";

interface RawRow<F extends string> {
  row: number;
  sheet: string | undefined;
  firstColumn: number;
  cells: readonly Cell[];
  cols: ColumnMap<F>;
}

const HEADER_CELL = /^\s*payment\s+number\s*$/i;
/** Longest payment or document number accepted (Xero's InvoiceNumber and Reference hold 255). */
const MAX_NUMBER = 255;
const CURRENCY_CODE = /^[A-Z]{3}$/;
const TOTAL_ROW = /^(grand\s+)?totals?\b/i;

/**
 * Reads the Vendor Central remittance export from a grid, row by row: a payments section (header row
 * starting "Payment Number", one row per payment), then a row "Invoices", then the document lines (a header
 * row that has both "Payment Number" and "Invoice Number"). Header rows are found by their text; title and
 * blank rows, repeated header blocks and "Total" rows are tolerated.
 */
export class VcExportReader implements RowSink {
  private sheet: string | undefined;
  private section: "none" | "payments" | "lines" = "none";
  private paymentCols: ColumnMap<PaymentField> = {};
  private lineCols: ColumnMap<LineField> = {};
  private readonly payments: RawRow<PaymentField>[] = [];
  private readonly lines: RawRow<LineField>[] = [];
  private headersSeen = 0;
  readonly problems: Problems;

  constructor(
    readonly file: string,
    readonly format: RemittanceFormat,
  ) {
    this.problems = new Problems(file);
  }

  /** Rows that follow belong to this sheet (a workbook may hold the export on more than one). */
  startSheet(name: string | undefined): void {
    this.sheet = name;
    this.section = "none";
  }

  push(cells: readonly Cell[], row: number, firstColumn: number): void {
    let header = false;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      if (typeof c === "string" && c.length >= 14 && c.length <= 40 && HEADER_CELL.test(c)) {
        header = true;
        break;
      }
    }
    if (header) {
      this.header(cells, row);
      return;
    }
    if (this.section === "none") return; // title rows before the first header
    const cols = this.section === "payments" ? this.paymentCols : this.lineCols;
    const pn = cols.paymentNumber ? cellText(cells[cols.paymentNumber.index]) : "";
    const marker = pn.length === 8 && pn.toLowerCase() === "invoices" && onlyOneValue(cells);
    if (pn !== "" && !marker && !TOTAL_ROW.test(pn)) {
      const raw = { row, sheet: this.sheet, firstColumn, cells };
      if (this.section === "payments") this.payments.push({ ...raw, cols: this.paymentCols });
      else this.lines.push({ ...raw, cols: this.lineCols });
      return;
    }
    this.other(cells, row);
  }

  private header(cells: readonly Cell[], row: number): void {
    this.headersSeen++;
    const headers = cells.map((c) => cellText(c));
    const isLines = headers.some((h) => /^(invoice|document) number$/i.test(h));
    const at = (field: string) => ({ row, header: field, sheet: this.sheet });
    if (isLines) {
      this.section = "lines";
      this.lineCols = mapColumns(LINE_COLUMNS, headers);
      for (const f of REQUIRED_LINE) {
        if (!this.lineCols[f]) this.missing(at(LINE_COLUMNS[f][0]), LINE_COLUMNS[f]);
      }
    } else {
      this.section = "payments";
      this.paymentCols = mapColumns(PAYMENT_COLUMNS, headers);
      for (const f of REQUIRED_PAYMENT) {
        if (!this.paymentCols[f]) this.missing(at(PAYMENT_COLUMNS[f][0]), PAYMENT_COLUMNS[f]);
      }
    }
  }

  private missing(
    at: { row: number; header: string; sheet: string | undefined },
    aliases: readonly string[],
  ): void {
    this.problems.add({
      severity: "error",
      code: "missing_column",
      row: at.row,
      column: titleCase(at.header),
      ...(at.sheet ? { sheet: at.sheet } : {}),
      message: `The header on row ${at.row} has no '${titleCase(at.header)}' column (looked for: ${aliases.map(titleCase).join(", ")})`,
    });
  }

  /** A row under a header without a payment number: the "Invoices" marker, a total, or a stray row. */
  private other(cells: readonly Cell[], row: number): void {
    const texts: string[] = [];
    for (const c of cells) {
      const t = cellText(c);
      if (t !== "") texts.push(t);
    }
    if (texts.length === 0) return;
    const first = (texts[0] ?? "").toLowerCase();
    if (texts.length === 1 && first === "invoices") return;
    if (first.startsWith("total")) return;
    const amountCol = this.section === "lines" ? this.lineCols.amountPaid : this.paymentCols.amount;
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

  /** Turn the collected rows into the model. */
  finish(options: IngestOptions): Remittance {
    const problems = this.problems;
    if (this.headersSeen === 0) {
      problems.add({
        severity: "error",
        code: "not_a_remittance",
        message:
          "No 'Payment Number' header row found. Is this a Vendor Central remittance export (Payments › Remittance › Export)?",
      });
    } else if (this.lines.length === 0 && !problems.hasErrors) {
      problems.add({
        severity: "error",
        code: "no_lines",
        message:
          "The file has no invoice lines (no header row with both 'Payment Number' and 'Invoice Number')",
      });
    }
    const dates = new DateReader(problems, optionDateOrder(options));
    const fallbackCurrency = options.currency?.toUpperCase();

    // Payments (section A).
    const payments = new Map<string, Payment>();
    const paymentDate = new Map<string, () => string | undefined>();
    for (const r of this.payments) {
      const get = (f: PaymentField) => (r.cols[f] ? r.cells[r.cols[f].index] : undefined);
      const at = (f: PaymentField) => ({
        row: r.row,
        header: r.cols[f]?.header ?? f,
        columnIndex: (r.cols[f]?.index ?? 0) + r.firstColumn,
        ...(r.sheet ? { sheet: r.sheet } : {}),
      });
      const number = cellText(get("paymentNumber"));
      if (number.length > MAX_NUMBER) {
        problems.cell(
          "error",
          "number_too_long",
          at("paymentNumber"),
          get("paymentNumber"),
          `which is longer than ${MAX_NUMBER} characters`,
        );
        continue;
      }
      const currency = this.currency(problems, get("currency"), at("currency")) || fallbackCurrency;
      if (!currency) {
        problems.add({
          severity: "error",
          code: "no_currency",
          row: r.row,
          message: `Payment ${number} on row ${r.row} states no currency; choose the marketplace currency`,
        });
        continue;
      }
      const amount = this.amount(problems, get("amount"), currency, at("amount"), true);
      const date = dates.read(get("paymentDate"), at("paymentDate"), true);
      const payment: Payment = {
        paymentNumber: number,
        paymentDate: null,
        currency,
        amount: amount ?? 0,
        lines: [],
        checks: [],
        source: { file: this.file, ...(r.sheet ? { sheet: r.sheet } : {}), row: r.row },
      };
      const payCurrency = this.currency(problems, get("paymentCurrency"), at("paymentCurrency"));
      if (payCurrency && payCurrency !== currency) {
        const paid = this.amount(problems, get("paymentAmount"), payCurrency, at("paymentAmount"), true);
        const rate = parseRate(get("exchangeRate") ?? null);
        payment.exchange = {
          paymentCurrency: payCurrency,
          paymentAmount: paid ?? 0,
          ...(rate ? { rate } : {}),
        };
      }
      const type = cellText(get("paymentType"));
      const status = cellText(get("paymentStatus"));
      const voided = cellText(get("voidedReason"));
      if (type) payment.paymentType = type;
      if (status) payment.paymentStatus = status;
      if (voided) payment.voidedReason = voided;
      if (payments.has(number)) {
        problems.add({
          severity: "error",
          code: "duplicate_payment",
          row: r.row,
          column: r.cols.paymentNumber?.header ?? "Payment Number",
          message: `Payment ${number} appears twice in the payments section (again on row ${r.row})`,
        });
        continue;
      }
      payments.set(number, payment);
      paymentDate.set(number, date);
    }

    // Known invoice numbers, for weak suffix patterns: every document and original invoice in the file.
    const known = new Set<string>(options.knownInvoiceNumbers ?? []);
    for (const r of this.lines) {
      const doc = r.cols.documentNumber ? cellText(r.cells[r.cols.documentNumber.index]) : "";
      const orig = r.cols.originalInvoiceNumber ? cellText(r.cells[r.cols.originalInvoiceNumber.index]) : "";
      if (doc) known.add(doc);
      if (orig) known.add(orig);
    }
    const isKnown = (n: string) => known.has(n);
    const classifier = new Classifier(options.classificationRules ?? DEFAULT_RULES);

    // Lines (section B).
    const withoutSummary = new Set<string>();
    const invoiceDates: { line: RemittanceLine; date: () => string | undefined }[] = [];
    for (const r of this.lines) {
      const get = (f: LineField) => (r.cols[f] ? r.cells[r.cols[f].index] : undefined);
      const at = (f: LineField) => ({
        row: r.row,
        header: r.cols[f]?.header ?? f,
        columnIndex: (r.cols[f]?.index ?? 0) + r.firstColumn,
        ...(r.sheet ? { sheet: r.sheet } : {}),
      });
      const paymentNumber = cellText(get("paymentNumber"));
      const documentNumber = cellText(get("documentNumber"));
      if (documentNumber === "") {
        problems.cell(
          "error",
          "missing_document_number",
          at("documentNumber"),
          get("documentNumber"),
          "expected a document number",
        );
        continue;
      }
      if (documentNumber.length > MAX_NUMBER || paymentNumber.length > MAX_NUMBER) {
        const f = documentNumber.length > MAX_NUMBER ? "documentNumber" : "paymentNumber";
        problems.cell(
          "error",
          "number_too_long",
          at(f),
          get(f),
          `which is longer than ${MAX_NUMBER} characters`,
        );
        continue;
      }
      let payment = payments.get(paymentNumber);
      const currency =
        this.currency(problems, get("currency"), at("currency")) ||
        payment?.currency ||
        fallbackCurrency ||
        "";
      if (!currency) {
        problems.add({
          severity: "error",
          code: "no_currency",
          row: r.row,
          message: `Row ${r.row} states no currency and payment ${paymentNumber} has none; choose the marketplace currency`,
        });
        continue;
      }
      const amount = this.amount(problems, get("amountPaid"), currency, at("amountPaid"), true);
      const invoiceAmount = this.amount(problems, get("invoiceAmount"), currency, at("invoiceAmount"), false);
      const termsDiscount = this.amount(problems, get("termsDiscount"), currency, at("termsDiscount"), false);
      const withholding = this.amount(problems, get("withholding"), currency, at("withholding"), false);
      const remaining = this.amount(problems, get("remainingAmount"), currency, at("remainingAmount"), false);
      const date = dates.read(get("invoiceDate"), at("invoiceDate"), false);
      const transactionType = cellText(get("transactionType"));
      const transactionDescription = cellText(get("transactionDescription")) || cellText(get("description"));
      const referenceDetails = cellText(get("referenceDetails"));
      const originalInvoice = cellText(get("originalInvoiceNumber"));
      const c = classifier.classify(
        { documentNumber, transactionType, description: transactionDescription },
        isKnown,
      );
      const line: RemittanceLine = {
        documentNumber,
        kind: c.kind,
        evidence: c.evidence,
        amount: amount ?? 0,
        currency,
        termsDiscount: termsDiscount ?? 0,
        withholding: withholding ?? 0,
        adjustments: [],
        source: { file: this.file, ...(r.sheet ? { sheet: r.sheet } : {}), row: r.row },
      };
      if (invoiceAmount !== undefined) line.invoiceAmount = invoiceAmount;
      if (remaining !== undefined) line.remainingAmount = remaining;
      if (transactionType) line.transactionType = transactionType;
      if (transactionDescription) line.transactionDescription = transactionDescription;
      if (referenceDetails) line.referenceDetails = referenceDetails;
      // Reversals point at the document they reverse (from the number); others at the invoice they hit.
      const original =
        c.kind.endsWith("_reversal") && c.originalDocumentNumber
          ? c.originalDocumentNumber
          : originalInvoice || c.originalDocumentNumber;
      if (original && original !== documentNumber) line.originalDocumentNumber = original;
      const invoiceNumber =
        c.kind === "invoice_payment" ? documentNumber : originalInvoice || c.invoiceNumber;
      if (invoiceNumber) line.invoiceNumber = invoiceNumber;
      if (!payment) {
        payment = {
          paymentNumber,
          paymentDate: null,
          currency,
          amount: 0,
          lines: [],
          checks: [],
          source: { file: this.file, ...(r.sheet ? { sheet: r.sheet } : {}), row: r.row },
        };
        payments.set(paymentNumber, payment);
        withoutSummary.add(paymentNumber);
      }
      payment.lines.push(line);
      invoiceDates.push({ line, date });
    }

    // Dates are finished last: their order may only be known once the whole file has been read.
    const order = dates.resolve();
    for (const [number, date] of paymentDate) {
      const p = payments.get(number);
      if (p) p.paymentDate = date() ?? null;
    }
    for (const { line, date } of invoiceDates) {
      const d = date();
      if (d) line.invoiceDate = d;
    }

    const deposits = options.bankDeposits ?? {};
    const all = [...payments.values()];
    for (const p of all) {
      // Without a payment row the amount can only be the lines' sum; the summary check says so.
      if (withoutSummary.has(p.paymentNumber)) p.amount = sumMinor(p.lines.map((l) => l.amount));
      const deposit = deposits[p.paymentNumber];
      if (deposit !== undefined) {
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
    }
    checkPayments(all, withoutSummary);
    return {
      format: this.format,
      fileName: this.file,
      ...(order ? { dateOrder: order } : {}),
      payments: all,
      problems: problems.list,
    };
  }

  /** An ISO 4217 code, or "" (absent or reported as bad). */
  private currency(
    problems: Problems,
    cell: Cell,
    at: { row: number; header: string; columnIndex: number; sheet?: string },
  ): string {
    const text = cellText(cell).toUpperCase();
    if (text === "" || CURRENCY_CODE.test(text)) return text;
    problems.cell("error", "bad_currency", at, cell, "expected a currency code such as USD");
    return "";
  }

  private amount(
    problems: Problems,
    cell: Cell,
    currency: string,
    at: { row: number; header: string; columnIndex: number; sheet?: string },
    required: boolean,
  ): number | undefined {
    const r: AmountResult = parseAmount(cell ?? null, currency);
    if (r.ok) {
      if (r.currencyHint && r.currencyHint !== currency) {
        problems.cell(
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
      if (required) problems.cell("error", "missing_amount", at, cell, "expected an amount");
      return undefined;
    }
    problems.cell(
      "error",
      "bad_amount",
      at,
      cell,
      r.reason === "is not an amount" ? "expected an amount" : `which ${r.reason} for ${currency}`,
    );
    return undefined;
  }
}

/** True when exactly one cell of the row has a value (a section marker such as "Invoices"). */
function onlyOneValue(cells: readonly Cell[]): boolean {
  let n = 0;
  for (const c of cells) if (cellText(c) !== "" && ++n > 1) return false;
  return n === 1;
}

function titleCase(s: string): string {
  return s.replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

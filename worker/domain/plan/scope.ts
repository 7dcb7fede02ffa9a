/**
 * Everything the planning of one payment needs, gathered once: settings, organisation lookups, the dating
 * decision, the currency conversion to base, and the shared exception list and remaining amounts due
 * (shared across payments so two payments can never both settle the same amount due).
 */
import type { DeductionRule, Settings } from "../mapping/model";
import type { OrgIndex } from "../org/accounts";
import type { InvoiceState } from "../org/model";
import type { Payment, RemittanceLine } from "../remittance/model";
import { convertAtRate, invertRate, toXeroMinor } from "./amounts";
import { documentKey, type KeyRole } from "./keys";
import type { ExceptionCode, ExchangeNote, PlanException } from "./model";
import { showMoney, type XeroContactRef } from "./wire";

export interface PlanState {
  vendorCode: string;
  settings: Settings;
  rules: readonly DeductionRule[];
  org: OrgIndex;
  invoices: ReadonlyMap<string, InvoiceState>;
  /** Amount due still unsettled per invoice number after what earlier lines planned. */
  remainingDue: Map<string, number>;
  exceptions: PlanException[];
  contact: XeroContactRef;
}

/** A remittance line with its amounts in Xero minor units (2 dp) of the document currency. */
export interface XLine {
  line: RemittanceLine;
  row: number;
  amount: number;
  discount: number;
  withholding: number;
  /** 1-based occurrence of this document number in the payment (for unique keys). */
  occurrence: number;
}

export class PaymentScope {
  readonly lines: XLine[];
  /** What reaches the bank, base-currency minor units. */
  readonly netBase: number;
  /** Payment amount in document currency, Xero minor units. */
  readonly net: number;

  constructor(
    readonly state: PlanState,
    readonly payment: Payment,
    readonly date: string,
    readonly dateNote: string | undefined,
    /** Remittance rate into base currency when the documents are in another currency. */
    readonly rate: string | undefined,
  ) {
    const seen = new Map<string, number>();
    this.lines = payment.lines.map((line) => {
      const occurrence = (seen.get(line.documentNumber) ?? 0) + 1;
      seen.set(line.documentNumber, occurrence);
      return {
        line,
        row: line.source.row,
        amount: toXeroMinor(line.amount, line.currency),
        discount: toXeroMinor(line.termsDiscount, line.currency),
        withholding: toXeroMinor(line.withholding, line.currency),
        occurrence,
      };
    });
    this.net = toXeroMinor(payment.amount, payment.currency);
    this.netBase =
      rate !== undefined && payment.exchange
        ? toXeroMinor(payment.exchange.paymentAmount, payment.exchange.paymentCurrency)
        : this.net;
  }

  get settings(): Settings {
    return this.state.settings;
  }

  get paymentNumber(): string {
    return this.payment.paymentNumber;
  }

  key(role: KeyRole, x?: XLine): string {
    return documentKey({
      vendorCode: this.state.vendorCode,
      paymentNumber: this.payment.paymentNumber,
      role,
      ...(x ? { document: x.line.documentNumber, occurrence: x.occurrence } : {}),
    });
  }

  /** Document-currency 2 dp → base-currency 2 dp. */
  toBase(minor: number): number {
    return this.rate === undefined ? minor : convertAtRate(minor, this.rate);
  }

  /** Xero CurrencyRate for documents in the invoice currency, when it is not the base currency. */
  get currencyRate(): number | undefined {
    return this.rate === undefined ? undefined : invertRate(this.rate);
  }

  get exchange(): ExchangeNote | undefined {
    const ex = this.payment.exchange;
    return this.rate !== undefined && ex
      ? { from: this.payment.currency, to: ex.paymentCurrency, rate: this.rate }
      : undefined;
  }

  raise(
    code: ExceptionCode,
    severity: PlanException["severity"],
    x: XLine | undefined,
    reason: string,
    fix: string,
  ): void {
    this.state.exceptions.push({
      code,
      severity,
      paymentNumber: this.payment.paymentNumber,
      ...(x ? { row: x.row, documentNumber: x.line.documentNumber } : {}),
      reason,
      fix,
    });
  }

  /** Human amount in the document currency ("USD 12,770.00"). */
  show(minor: number): string {
    return `${this.payment.currency} ${showMoney(minor)}`;
  }
}

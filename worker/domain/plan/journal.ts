/**
 * Manual journal lines, kept in exact minor units until the wire body is made. Lines are in base currency
 * (Xero journals have no currency). The journal is balanced by construction: the caller supplies the
 * clearing amount it wants, and any sub-cent residue of currency conversion goes to the rounding account.
 *
 * One line per deduction (not per account): each line carries its Amazon document number, the original
 * invoice and Amazon's reference, and can carry its own tracking — so a reviewer, a dispute and the add-in's
 * write-back can all find the exact line, and Xero's Description limit (4,000 chars) is never hit by
 * concatenating thousands of document numbers into one per-account line.
 */
import type { Tracking } from "../mapping/model";
import type { XeroJournalLine, XeroManualJournal } from "./wire";
import { clip, wireAmount } from "./wire";

export interface JournalLine {
  accountCode: string;
  /** Debit positive, credit negative, base-currency minor units. */
  amount: number;
  description: string;
  taxType?: string;
  tracking?: readonly Tracking[];
}

export class JournalLines {
  readonly lines: JournalLine[] = [];

  add(line: JournalLine): void {
    if (line.amount !== 0) this.lines.push(line);
  }

  total(): number {
    return this.lines.reduce((s, l) => s + l.amount, 0);
  }
}

function wireLine(l: JournalLine): XeroJournalLine {
  return {
    LineAmount: wireAmount(l.amount),
    AccountCode: l.accountCode,
    Description: clip(l.description, 4000),
    ...(l.taxType !== undefined ? { TaxType: l.taxType } : {}),
    ...(l.tracking && l.tracking.length > 0
      ? { Tracking: l.tracking.map((t) => ({ Name: t.name, Option: t.option })) }
      : {}),
  };
}

export function manualJournalBody(
  narration: string,
  date: string,
  lines: readonly JournalLine[],
): XeroManualJournal {
  return {
    Narration: clip(narration, 4000),
    Date: date,
    Status: "POSTED",
    // Amazon's amounts are gross: with a tax type the line is tax-inclusive, so the journal still balances.
    LineAmountTypes: lines.some((l) => l.taxType !== undefined) ? "Inclusive" : "NoTax",
    JournalLines: lines.map(wireLine),
  };
}

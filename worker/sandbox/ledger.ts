/**
 * General-ledger postings derived from the documents, for the trial-balance inspection endpoint.
 * Debits positive, credits negative, integer cents. Every document posts a balanced set of entries.
 */
import { msDate } from "./dates";
import { money } from "./money";
import type { Account, BankTransaction, Line, ManualJournal, Payment, SalesDoc } from "./records";
import type { Repo } from "./repo";

interface Entry {
  accountId: string;
  cents: number;
}

function lineEntries(lines: Line[], inclusive: boolean, sign: 1 | -1, taxAccountId: string): Entry[] {
  const out: Entry[] = [];
  for (const l of lines) {
    const net = inclusive ? l.lineCents - l.taxCents : l.lineCents;
    out.push({ accountId: l.AccountID ?? "", cents: sign * net });
    if (l.taxCents) out.push({ accountId: taxAccountId, cents: sign * l.taxCents });
  }
  return out;
}

export function ledgerEntries(repo: Repo, tenantId: string, asAt?: number): Entry[] {
  const accounts = repo.list<Account>(tenantId, "account");
  const sys = (s: string) => accounts.find((a) => a.SystemAccount === s)?.AccountID ?? "";
  const ar = sys("DEBTORS");
  const ap = sys("CREDITORS");
  const tax = sys("GST");
  const inRange = (d: number) => asAt === undefined || d <= asAt;
  const out: Entry[] = [];
  for (const kind of ["invoice", "creditnote"] as const) {
    for (const d of repo.list<SalesDoc>(tenantId, kind)) {
      if (d.Status !== "AUTHORISED" || !inRange(d.date)) continue;
      const receivable = d.Type === "ACCREC" || d.Type === "ACCRECCREDIT";
      const control = receivable ? ar : ap;
      // ACCREC: Dr AR / Cr revenue; credit notes and bills the other way round.
      const sign: 1 | -1 = d.Type === "ACCREC" || d.Type === "ACCPAYCREDIT" ? -1 : 1;
      out.push({ accountId: control, cents: -sign * d.totalCents });
      out.push(...lineEntries(d.lines, d.LineAmountTypes === "Inclusive", sign, tax));
    }
  }
  for (const p of repo.list<Payment>(tenantId, "payment")) {
    if (p.Status !== "AUTHORISED" || !inRange(p.date)) continue;
    const doc = repo.get<SalesDoc>(tenantId, p.docKind, p.docId);
    const control = doc && (doc.Type === "ACCPAY" || doc.Type === "ACCPAYCREDIT") ? ap : ar;
    const inflow = p.PaymentType === "ACCRECPAYMENT" ? 1 : -1;
    out.push({ accountId: p.AccountID, cents: inflow * p.amountCents });
    out.push({ accountId: control, cents: -inflow * p.amountCents });
  }
  for (const j of repo.list<ManualJournal>(tenantId, "journal")) {
    if (j.Status !== "POSTED" || !inRange(j.date)) continue;
    for (const l of j.lines) {
      const net = j.LineAmountTypes === "Inclusive" ? l.lineCents - l.taxCents : l.lineCents;
      out.push({ accountId: l.AccountID, cents: net });
      if (l.taxCents) out.push({ accountId: tax, cents: l.taxCents });
    }
  }
  for (const t of repo.list<BankTransaction>(tenantId, "banktx")) {
    if (t.Status !== "AUTHORISED" || !inRange(t.date)) continue;
    const sign: 1 | -1 = t.Type === "RECEIVE" ? -1 : 1;
    out.push({ accountId: t.BankAccountID, cents: -sign * t.totalCents });
    out.push(...lineEntries(t.lines, t.LineAmountTypes === "Inclusive", sign, tax));
  }
  return out;
}

export function trialBalance(repo: Repo, tenantId: string, now: number, asAt?: number) {
  const accounts = repo.list<Account>(tenantId, "account");
  const sums = new Map<string, number>();
  for (const e of ledgerEntries(repo, tenantId, asAt))
    sums.set(e.accountId, (sums.get(e.accountId) ?? 0) + e.cents);
  const rows = accounts
    .filter((a) => sums.has(a.AccountID))
    .map((a) => {
      const bal = sums.get(a.AccountID) ?? 0;
      return {
        AccountID: a.AccountID,
        Code: a.Code,
        Name: a.Name,
        Type: a.Type,
        Debit: money(Math.max(bal, 0)),
        Credit: money(bal < 0 ? -bal : 0),
        Balance: money(bal),
        balanceCents: bal,
      };
    });
  const unknown = sums.get("") ?? 0;
  const total = [...sums.values()].reduce((s, v) => s + v, 0);
  return {
    TenantID: tenantId,
    AsAt: msDate(asAt ?? now),
    Accounts: rows,
    UncodedCents: unknown,
    TotalDebit: money(rows.reduce((s, r) => s + Math.max(0, r.balanceCents), 0)),
    TotalCredit: money(rows.reduce((s, r) => s + Math.max(0, -r.balanceCents), 0)),
    Balanced: total === 0,
  };
}

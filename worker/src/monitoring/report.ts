/**
 * The month-end control report for one organisation (domain/monitoring monthEndReport) from the Worker's
 * records: every previewed remittance with its saved plan, the documents VCX posted, the live organisation
 * snapshot (accounts, the invoices the remittances name), open alerts, and the Xero ledger's own figures
 * from Reports/TrialBalance at the period end (month movements and balances) to tie every figure to.
 */
import { settingsFor } from "../../domain/mapping/model";
import { decimalToMinor } from "../../domain/money";
import type { Alert } from "../../domain/monitoring/alerts";
import {
  type MonthEndReport,
  monthEndReport,
  periodBounds,
  type Settlement,
} from "../../domain/monitoring/month-end";
import type { Plan } from "../../domain/plan/model";
import { ingestSource, liveSnapshot, loadMappings, referencedNumbers } from "../remittances/preview";
import { listRemittances, readSource } from "../remittances/store";
import type { OrgRow } from "../store/organisations";
import type { XeroClient } from "../xero/client";
import { type AccountRef, readReference } from "../xero/reference";
import { alertFromRow, listAlerts, postedDocuments } from "./store";

const minor = (v: unknown): number => {
  if (typeof v === "number") return v;
  const m = decimalToMinor(String(v ?? "0"), 2);
  if (m === undefined) throw new Error(`'${String(v)}' is not an amount`);
  return m;
};

/** The inverse of domain/plan/report planToJson (which only turns summary amounts into decimals). */
export function planFromJson(json: unknown): Plan {
  // biome-ignore lint/suspicious/noExplicitAny: stored plan JSON
  const p = json as any;
  return {
    ...p,
    payments: p.payments.map((x: Record<string, unknown>) => ({
      ...x,
      gross: minor(x.gross),
      net: minor(x.net),
      held: minor(x.held),
      deductionsByKind: Object.fromEntries(
        Object.entries((x.deductionsByKind ?? {}) as Record<string, unknown>).map(([k, v]) => [k, minor(v)]),
      ),
    })),
    lines: p.lines.map((l: Record<string, unknown>) => ({ ...l, amount: minor(l.amount) })),
  } as Plan;
}

export interface LedgerFigures {
  /** Movement of the report's month up to `date`, by account code, debit positive, minor units. */
  movements: Record<string, number>;
  /** Balance at `date` (year to date for revenue/expense accounts), by account code. */
  balances: Record<string, number>;
}

// biome-ignore lint/suspicious/noExplicitAny: Xero report JSON
type ReportRow = any;

/** Read Xero's Trial Balance at `date` (YYYY-MM-DD): Debit/Credit = the month, YTD = the balance. */
export async function readTrialBalance(
  x: XeroClient,
  date: string,
  accounts: readonly AccountRef[],
): Promise<LedgerFigures> {
  const body = await x.get<{ Reports?: ReportRow[] }>("/Reports/TrialBalance", { date, paymentsOnly: false });
  const report = body.Reports?.[0];
  const byId = new Map(
    accounts.filter((a) => a.accountId).map((a) => [String(a.accountId).toLowerCase(), a.code]),
  );
  // Xero leaves accounts without movement or balance out of the report: they are zero.
  const out: LedgerFigures = {
    movements: Object.fromEntries(accounts.map((a) => [a.code, 0])),
    balances: Object.fromEntries(accounts.map((a) => [a.code, 0])),
  };
  const amount = (c: ReportRow) =>
    c?.Value === "" || c?.Value === undefined ? 0 : minor(String(c.Value).replace(/,/g, ""));
  for (const section of report?.Rows ?? []) {
    if (section.RowType !== "Section") continue;
    for (const row of section.Rows ?? []) {
      if (row.RowType !== "Row") continue;
      const [name, debit, credit, ytdDebit, ytdCredit] = row.Cells ?? [];
      const id = name?.Attributes?.find((a: ReportRow) => a.Id === "account")?.Value;
      const code =
        (id && byId.get(String(id).toLowerCase())) ?? /\(([^()]+)\)\s*$/.exec(String(name?.Value ?? ""))?.[1];
      if (!code) continue;
      out.movements[code] = amount(debit) - amount(credit);
      out.balances[code] = amount(ytdDebit) - amount(ytdCredit);
    }
  }
  return out;
}

export interface MonthEndOptions {
  period: string;
  basis?: "posted" | "planned";
  vendorCode?: string;
}

/** Build the report; `notes` lists remittances left out (never previewed) for the caller to show. */
export async function buildMonthEnd(
  db: D1Database,
  org: OrgRow,
  x: XeroClient,
  options: MonthEndOptions,
): Promise<{ report: MonthEndReport; ledger: LedgerFigures }> {
  const { to } = periodBounds(options.period);
  const mappings = await loadMappings(db, org.id);
  const settings = settingsFor(mappings, options.vendorCode);
  const marketplace = settings?.marketplace ? { marketplace: settings.marketplace } : {};
  const rows = (await listRemittances(db, org.id)).filter((r) => r.status !== "failed").reverse();
  const posted = await postedDocuments(db, org.id);
  const postedKeys = new Set(posted.map((p) => p.doc_key));
  const settlements: Settlement[] = [];
  const history = [];
  const skipped: string[] = [];
  const numbers = new Set<string>();
  for (const r of rows) {
    const remittance = ingestSource(await readSource(db, r), marketplace);
    history.push(remittance);
    if (!r.plan_json) {
      skipped.push(r.file_name);
      continue;
    }
    const plan = planFromJson(JSON.parse(r.plan_json));
    for (const n of referencedNumbers(remittance)) numbers.add(n);
    settlements.push({
      remittance,
      plan,
      postedKeys: plan.documents.map((d) => d.key).filter((k) => postedKeys.has(k)),
    });
  }
  const basis = options.basis ?? (posted.length > 0 ? "posted" : "planned");
  const snapshot = await liveSnapshot(db, org.id, x, numbers);
  const ref = await readReference(db, org.id);
  const ledger = await readTrialBalance(x, to, ref.accounts);
  const alerts: Alert[] = (await listAlerts(db, org.id, { status: "active" })).map(alertFromRow);
  const report = monthEndReport({
    period: options.period,
    organisation: { id: org.id, name: snapshot.name ?? org.name, baseCurrency: snapshot.baseCurrency },
    mappings,
    settlements,
    basis,
    org: snapshot,
    snapshotIncludesPostings: basis === "posted",
    ledgerMovements: ledger.movements,
    ledgerBalances: ledger.balances,
    history,
    alerts,
  });
  for (const f of skipped)
    report.flags.push(`Remittance ${f} has not been previewed; it is not in the report (preview it first)`);
  return { report, ledger };
}

/**
 * Manual journals: ≥ 2 lines, debits (positive) must equal credits (negative), no BANK, system
 * (AR/AP/retained earnings/tax/rounding…) or INVENTORY accounts, archived accounts rejected.
 * DRAFT → POSTED | DELETED; POSTED → VOIDED. Drafts may be saved in a locked period; posting may not.
 */
import { lineAccount } from "./accounts";
import { jsonBody, resourceRouter } from "./api-app";
import {
  type ApiContext,
  batchResponse,
  type ElementResult,
  elementsOf,
  envelope,
  fail,
  isRecord,
  lockError,
  ok,
  str,
  type Wire,
} from "./api-context";
import { msDate, parseDate, parseTimestamp, startOfDay } from "./dates";
import { jsonResponse } from "./json";
import { parseLineAmountTypes } from "./line-items";
import { lineTax, money, moneyText, toScaled } from "./money";
import { paginate } from "./paging";
import { notFound } from "./problems";
import type { JournalLine, ManualJournal } from "./records";
import { findTaxRate } from "./tax-rates";
import { applyWhere } from "./where";

export const balanceMessage = (debits: number, credits: number) =>
  `The total debits (${moneyText(debits)}) must equal total credits (${moneyText(credits)})`;
/** [unverified] exact texts. */
export const MSG_NARRATION = "Narration must be specified.";
export const MSG_TWO_LINES = "A manual journal must have at least two journal lines.";
export const MSG_JOURNAL_STATUS = "Manual journal not of valid status for modification";
export const bankAccountMessage = (code: string) =>
  `Account code '${code}' is a bank account and cannot be used in a manual journal. Use a bank transaction instead.`;
export const systemAccountMessage = (code: string) =>
  `Account code '${code}' is a system account and cannot be used in a manual journal.`;

type JournalStatus = ManualJournal["Status"];

function allowed(from: JournalStatus | undefined, to: JournalStatus): boolean {
  if (from === undefined) return to === "DRAFT" || to === "POSTED";
  if (from === "DRAFT") return to === "DRAFT" || to === "POSTED" || to === "DELETED";
  if (from === "POSTED") return to === "POSTED" || to === "VOIDED";
  return false;
}

export function renderJournal(j: ManualJournal): Wire {
  return {
    ManualJournalID: j.ManualJournalID,
    Date: msDate(j.date),
    Status: j.Status,
    LineAmountTypes: j.LineAmountTypes,
    UpdatedDateUTC: msDate(j.updatedMs),
    ShowOnCashBasisReports: j.ShowOnCashBasisReports,
    HasAttachments: false,
    Narration: j.Narration,
    ...(j.Url ? { Url: j.Url } : {}),
    JournalLines: j.lines.map((l) => ({
      AccountID: l.AccountID,
      AccountCode: l.AccountCode,
      ...(l.Description !== undefined ? { Description: l.Description } : {}),
      LineAmount: money(l.lineCents),
      TaxType: l.TaxType ?? "NONE",
      TaxAmount: money(l.taxCents),
      Tracking: l.Tracking ?? [],
      IsBlank: false,
    })),
  };
}

function buildJournalLines(ctx: ApiContext, raw: unknown, lat: ManualJournal["LineAmountTypes"]) {
  const errors: string[] = [];
  const lines: JournalLine[] = [];
  for (const el of Array.isArray(raw) ? raw : []) {
    if (!isRecord(el)) continue;
    const acc = lineAccount(ctx, str(el["AccountCode"]), str(el["AccountID"])?.toLowerCase());
    if (acc === undefined) {
      errors.push("Account code must be specified.");
      continue;
    }
    if (typeof acc === "string") {
      errors.push(acc);
      continue;
    }
    if (acc.Type === "BANK") errors.push(bankAccountMessage(acc.Code));
    else if (acc.SystemAccount || acc.Type === "INVENTORY") errors.push(systemAccountMessage(acc.Code));
    const cents = toScaled(el["LineAmount"], 2) ?? 0;
    const taxType = str(el["TaxType"]);
    const rate = taxType && lat !== "NoTax" ? findTaxRate(ctx, taxType) : undefined;
    if (taxType && !findTaxRate(ctx, taxType))
      errors.push(`The TaxType code '${taxType}' is not a valid tax type.`);
    lines.push({
      AccountID: acc.AccountID,
      AccountCode: acc.Code,
      Description: str(el["Description"]),
      lineCents: cents,
      TaxType: taxType,
      taxCents: rate ? lineTax(cents, rate.rate4, lat === "Inclusive") : 0,
      ...(Array.isArray(el["Tracking"]) ? { Tracking: el["Tracking"] } : {}),
    });
  }
  return { lines, errors };
}

function saveJournal(
  ctx: ApiContext,
  input: unknown,
  mode: "create" | "upsert",
  pathId?: string,
): ElementResult {
  if (!isRecord(input)) return fail(input, [MSG_NARRATION]);
  const id = pathId ?? (mode === "upsert" ? str(input["ManualJournalID"]) : undefined);
  const existing = id ? ctx.repo.get<ManualJournal>(ctx.tenantId, "journal", id.toLowerCase()) : undefined;
  if (id && !existing)
    return fail(input, ["The document with the supplied id was not found for this endpoint."]);
  const statusIn = str(input["Status"])?.toUpperCase() as JournalStatus | undefined;
  const status = statusIn ?? existing?.Status ?? "DRAFT";
  if (!allowed(existing?.Status, status)) return fail(input, [MSG_JOURNAL_STATUS]);
  if (existing?.Status === "POSTED") {
    const lock = lockError(ctx, existing.date);
    if (lock) return fail(input, [lock]);
  }
  const errors: string[] = [];
  const narration = str(input["Narration"]) ?? existing?.Narration;
  if (!narration) errors.push(MSG_NARRATION);
  const date =
    input["Date"] === undefined ? (existing?.date ?? startOfDay(ctx.now)) : parseDate(input["Date"]);
  if (date === null) errors.push("Date is not a valid date.");
  const lat = parseLineAmountTypes(input["LineAmountTypes"], existing?.LineAmountTypes ?? "NoTax");
  if (!lat) errors.push("LineAmountTypes must be Exclusive, Inclusive or NoTax.");
  let lines = existing?.lines ?? [];
  if (input["JournalLines"] !== undefined || !existing) {
    const built = buildJournalLines(ctx, input["JournalLines"], lat ?? "NoTax");
    errors.push(...built.errors);
    lines = built.lines;
  }
  if (lines.length < 2) errors.push(MSG_TWO_LINES);
  const gross = (l: JournalLine) => (lat === "Exclusive" ? l.lineCents + l.taxCents : l.lineCents);
  const debits = lines.filter((l) => l.lineCents > 0).reduce((s, l) => s + gross(l), 0);
  const credits = lines.filter((l) => l.lineCents < 0).reduce((s, l) => s + gross(l), 0);
  if (debits + credits !== 0) errors.push(balanceMessage(debits, credits));
  if ((status === "POSTED" || status === "VOIDED") && date !== null) {
    const lock = lockError(ctx, date);
    if (lock) errors.push(lock);
  }
  if (errors.length || !narration || date === null || !lat) return fail(input, errors);
  const journal: ManualJournal = {
    ManualJournalID: existing?.ManualJournalID ?? crypto.randomUUID(),
    Narration: narration,
    date,
    Status: status,
    LineAmountTypes: lat,
    lines,
    Url: str(input["Url"]) ?? existing?.Url,
    ShowOnCashBasisReports:
      typeof input["ShowOnCashBasisReports"] === "boolean"
        ? input["ShowOnCashBasisReports"]
        : (existing?.ShowOnCashBasisReports ?? true),
    updatedMs: ctx.now,
  };
  ctx.repo.put(ctx.tenantId, "journal", journal.ManualJournalID, journal);
  return ok(renderJournal(journal));
}

export const manualJournalsRoutes = resourceRouter();

manualJournalsRoutes.get("/ManualJournals", (c) => {
  const ctx = c.get("api");
  let list = ctx.repo.list<ManualJournal>(ctx.tenantId, "journal");
  const since = parseTimestamp(c.req.header("If-Modified-Since"));
  if (since !== null) list = list.filter((j) => j.updatedMs >= since);
  const where = ctx.query.get("where");
  if (where) {
    list = applyWhere(list, where, (j) => ({
      Status: j.Status,
      Narration: j.Narration,
      Date: j.date,
      Url: j.Url ?? "",
      ManualJournalID: j.ManualJournalID,
      UpdatedDateUTC: j.updatedMs,
    }));
  }
  const page = paginate(list, ctx.query);
  return jsonResponse(
    envelope(
      ctx,
      "ManualJournals",
      page.items.map(renderJournal),
      page.paged ? { pagination: page.pagination } : {},
    ),
  );
});

manualJournalsRoutes.get("/ManualJournals/:id", (c) => {
  const ctx = c.get("api");
  const j = ctx.repo.get<ManualJournal>(ctx.tenantId, "journal", c.req.param("id").toLowerCase());
  return j ? jsonResponse(envelope(ctx, "ManualJournals", [renderJournal(j)])) : notFound();
});

for (const [method, mode] of [
  ["put", "create"],
  ["post", "upsert"],
] as const) {
  manualJournalsRoutes[method]("/ManualJournals", async (c) => {
    const ctx = c.get("api");
    const els = elementsOf(await jsonBody(c.req.raw), "ManualJournals") ?? [];
    return batchResponse(
      ctx,
      "ManualJournals",
      els.map((el) => saveJournal(ctx, el, mode)),
    );
  });
}

manualJournalsRoutes.post("/ManualJournals/:id", async (c) => {
  const ctx = c.get("api");
  const id = c.req.param("id").toLowerCase();
  if (!ctx.repo.get<ManualJournal>(ctx.tenantId, "journal", id)) return notFound();
  const els = elementsOf(await jsonBody(c.req.raw), "ManualJournals") ?? [];
  return batchResponse(ctx, "ManualJournals", [saveJournal(ctx, els[0], "upsert", id)]);
});

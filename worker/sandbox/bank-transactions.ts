/**
 * Bank transactions (RECEIVE / SPEND): money in or out of a BANK account, coded to line accounts.
 * Created AUTHORISED; deleted by POST {"Status":"DELETED"}; the date must be open (lock dates).
 */
import { findAccount } from "./accounts";
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
import { contactRef, resolveDocContact } from "./contacts";
import { isoUtc, msDate, parseDate, parseTimestamp, startOfDay } from "./dates";
import { jsonResponse } from "./json";
import { buildLines, parseLineAmountTypes, renderLine, totalsOf } from "./line-items";
import { money } from "./money";
import { paginate } from "./paging";
import { notFound } from "./problems";
import type { Account, BankTransaction, Contact } from "./records";
import { applyWhere } from "./where";

/** [unverified] exact texts. */
export const MSG_BANK_ACCOUNT = "The BankAccount must be a valid bank account.";
export const MSG_BANK_TYPE = "Bank transaction Type must be RECEIVE or SPEND.";
export const MSG_BANK_STATUS = "Bank transaction not of valid status for modification";

export function renderBankTransaction(ctx: ApiContext, t: BankTransaction): Wire {
  const acc = ctx.repo.get<Account>(ctx.tenantId, "account", t.BankAccountID);
  const contact = ctx.repo.get<Contact>(ctx.tenantId, "contact", t.ContactID);
  return {
    BankTransactionID: t.BankTransactionID,
    Type: t.Type,
    Contact: contactRef(contact),
    BankAccount: acc
      ? { AccountID: acc.AccountID, Code: acc.Code, Name: acc.Name }
      : { AccountID: t.BankAccountID },
    Date: msDate(t.date),
    DateString: isoUtc(t.date),
    ...(t.Reference ? { Reference: t.Reference } : {}),
    ...(t.Url ? { Url: t.Url } : {}),
    Status: t.Status,
    IsReconciled: t.IsReconciled,
    LineAmountTypes: t.LineAmountTypes,
    LineItems: t.lines.map((l) => renderLine(ctx, l)),
    SubTotal: money(t.subTotalCents),
    TotalTax: money(t.totalTaxCents),
    Total: money(t.totalCents),
    CurrencyCode: t.CurrencyCode,
    UpdatedDateUTC: msDate(t.updatedMs),
    HasAttachments: false,
  };
}

function createBankTransaction(ctx: ApiContext, input: unknown): ElementResult {
  if (!isRecord(input)) return fail(input, [MSG_BANK_TYPE]);
  const errors: string[] = [];
  const type = str(input["Type"])?.toUpperCase();
  if (type !== "RECEIVE" && type !== "SPEND") errors.push(MSG_BANK_TYPE);
  const contact = resolveDocContact(ctx, input["Contact"]);
  if (typeof contact === "string") errors.push(contact);
  const bankRef = isRecord(input["BankAccount"]) ? input["BankAccount"] : {};
  const bank = findAccount(ctx, { id: str(bankRef["AccountID"])?.toLowerCase(), code: str(bankRef["Code"]) });
  if (bank?.Type !== "BANK" || bank.Status !== "ACTIVE") errors.push(MSG_BANK_ACCOUNT);
  const date = input["Date"] === undefined ? startOfDay(ctx.now) : parseDate(input["Date"]);
  if (date === null) errors.push("Date is not a valid date.");
  const lat = parseLineAmountTypes(input["LineAmountTypes"], "Exclusive");
  if (!lat) errors.push("LineAmountTypes must be Exclusive, Inclusive or NoTax.");
  const built = buildLines(ctx, input["LineItems"], lat ?? "Exclusive");
  errors.push(...built.errors);
  if (built.lines.length === 0) errors.push("A bank transaction must have at least one line item.");
  const totals = totalsOf(built.lines, lat ?? "Exclusive");
  if (totals.totalCents < 0) errors.push("The document total cannot be negative.");
  if (date !== null) {
    const lock = lockError(ctx, date);
    if (lock) errors.push(lock);
  }
  if (errors.length || !bank || typeof contact === "string" || date === null || !lat || !type) {
    return fail(input, errors);
  }
  const t: BankTransaction = {
    BankTransactionID: crypto.randomUUID(),
    Type: type as BankTransaction["Type"],
    ContactID: contact.ContactID,
    BankAccountID: bank.AccountID,
    date,
    Reference: str(input["Reference"]),
    Status: "AUTHORISED",
    IsReconciled: input["IsReconciled"] === true,
    LineAmountTypes: lat,
    lines: built.lines,
    ...totals,
    CurrencyCode: ctx.org.baseCurrency,
    Url: str(input["Url"]),
    updatedMs: ctx.now,
  };
  ctx.repo.put(ctx.tenantId, "banktx", t.BankTransactionID, t);
  return ok(renderBankTransaction(ctx, t));
}

function updateBankTransaction(ctx: ApiContext, t: BankTransaction, input: unknown): ElementResult {
  const status = isRecord(input) ? str(input["Status"])?.toUpperCase() : undefined;
  if (t.Status === "DELETED" || (status !== undefined && status !== "DELETED"))
    return fail(input, [MSG_BANK_STATUS]);
  const lock = lockError(ctx, t.date);
  if (lock) return fail(input, [lock]);
  const next: BankTransaction = {
    ...t,
    Status: status === "DELETED" ? "DELETED" : t.Status,
    Reference: isRecord(input) && input["Reference"] !== undefined ? str(input["Reference"]) : t.Reference,
    updatedMs: ctx.now,
  };
  ctx.repo.put(ctx.tenantId, "banktx", t.BankTransactionID, next);
  return ok(renderBankTransaction(ctx, next));
}

export const bankTransactionsRoutes = resourceRouter();

bankTransactionsRoutes.get("/BankTransactions", (c) => {
  const ctx = c.get("api");
  let list = ctx.repo.list<BankTransaction>(ctx.tenantId, "banktx");
  const since = parseTimestamp(c.req.header("If-Modified-Since"));
  if (since !== null) list = list.filter((t) => t.updatedMs >= since);
  const where = ctx.query.get("where");
  if (where) {
    list = applyWhere(list, where, (t) => ({
      Type: t.Type,
      Status: t.Status,
      Reference: t.Reference ?? "",
      Date: t.date,
      Total: t.totalCents / 100,
      UpdatedDateUTC: t.updatedMs,
      Contact: { ContactID: t.ContactID },
      BankAccount: { AccountID: t.BankAccountID },
    }));
  }
  const page = paginate(list, ctx.query);
  return jsonResponse(
    envelope(
      ctx,
      "BankTransactions",
      page.items.map((t) => renderBankTransaction(ctx, t)),
      page.paged ? { pagination: page.pagination } : {},
    ),
  );
});

bankTransactionsRoutes.get("/BankTransactions/:id", (c) => {
  const ctx = c.get("api");
  const t = ctx.repo.get<BankTransaction>(ctx.tenantId, "banktx", c.req.param("id").toLowerCase());
  return t ? jsonResponse(envelope(ctx, "BankTransactions", [renderBankTransaction(ctx, t)])) : notFound();
});

for (const method of ["put", "post"] as const) {
  bankTransactionsRoutes[method]("/BankTransactions", async (c) => {
    const ctx = c.get("api");
    const els = elementsOf(await jsonBody(c.req.raw), "BankTransactions") ?? [];
    return batchResponse(
      ctx,
      "BankTransactions",
      els.map((el) => {
        const id = isRecord(el) ? str(el["BankTransactionID"]) : undefined;
        const existing = id
          ? ctx.repo.get<BankTransaction>(ctx.tenantId, "banktx", id.toLowerCase())
          : undefined;
        return method === "post" && existing
          ? updateBankTransaction(ctx, existing, el)
          : createBankTransaction(ctx, el);
      }),
    );
  });
}

bankTransactionsRoutes.post("/BankTransactions/:id", async (c) => {
  const ctx = c.get("api");
  const t = ctx.repo.get<BankTransaction>(ctx.tenantId, "banktx", c.req.param("id").toLowerCase());
  if (!t) return notFound();
  const els = elementsOf(await jsonBody(c.req.raw), "BankTransactions") ?? [];
  return batchResponse(ctx, "BankTransactions", [updateBankTransaction(ctx, t, els[0])]);
});

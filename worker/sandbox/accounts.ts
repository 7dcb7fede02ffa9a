import { jsonBody, resourceRouter } from "./api-app";
import { type ApiContext, batchResponse, envelope, fail, isRecord, ok, str, type Wire } from "./api-context";
import { msDate } from "./dates";
import { jsonResponse } from "./json";
import { notFound } from "./problems";
import type { Account } from "./records";
import { applyWhere } from "./where";

const CLASS_OF: Record<string, string> = {
  BANK: "ASSET",
  CURRENT: "ASSET",
  FIXED: "ASSET",
  INVENTORY: "ASSET",
  NONCURRENT: "ASSET",
  PREPAYMENT: "ASSET",
  CURRLIAB: "LIABILITY",
  LIABILITY: "LIABILITY",
  TERMLIAB: "LIABILITY",
  EQUITY: "EQUITY",
  REVENUE: "REVENUE",
  SALES: "REVENUE",
  OTHERINCOME: "REVENUE",
  EXPENSE: "EXPENSE",
  DIRECTCOSTS: "EXPENSE",
  OVERHEADS: "EXPENSE",
  DEPRECIATN: "EXPENSE",
};

export const accountClass = (type: string): string | undefined => CLASS_OF[type];

export function findAccount(ctx: ApiContext, ref: { code?: string; id?: string }): Account | undefined {
  if (ref.id) return ctx.repo.get<Account>(ctx.tenantId, "account", ref.id);
  if (ref.code) return ctx.repo.byNumber<Account>(ctx.tenantId, "account", ref.code);
  return undefined;
}

/** Resolve a line's account; returns the account or the Xero validation message. */
export function lineAccount(ctx: ApiContext, code?: string, id?: string): Account | string | undefined {
  if (!code && !id) return undefined;
  const acc = findAccount(ctx, { code, id });
  if (!acc) return `Account code '${code ?? id}' is not a valid code for this document.`;
  if (acc.Status !== "ACTIVE") {
    return `Account code '${acc.Code}' has been archived, or has been deleted. Each line item must reference a valid account.`;
  }
  return acc;
}

export function renderAccount(a: Account): Wire {
  return {
    AccountID: a.AccountID,
    Code: a.Code,
    Name: a.Name,
    Status: a.Status,
    Type: a.Type,
    TaxType: a.TaxType,
    Class: a.Class,
    ...(a.SystemAccount ? { SystemAccount: a.SystemAccount } : {}),
    EnablePaymentsToAccount: a.EnablePaymentsToAccount,
    ShowInExpenseClaims: false,
    ...(a.BankAccountNumber ? { BankAccountNumber: a.BankAccountNumber, BankAccountType: "BANK" } : {}),
    ...(a.Description ? { Description: a.Description } : {}),
    ReportingCode: a.Class.slice(0, 3),
    HasAttachments: false,
    UpdatedDateUTC: msDate(a.updatedMs),
  };
}

function accountWhereView(a: Account): Wire {
  return { ...a, UpdatedDateUTC: a.updatedMs };
}

export const accountsRoutes = resourceRouter();

accountsRoutes.get("/Accounts", (c) => {
  const ctx = c.get("api");
  let list = ctx.repo.list<Account>(ctx.tenantId, "account");
  const where = ctx.query.get("where");
  if (where) list = applyWhere(list, where, accountWhereView);
  return jsonResponse(envelope(ctx, "Accounts", list.map(renderAccount)));
});

accountsRoutes.get("/Accounts/:id", (c) => {
  const ctx = c.get("api");
  const acc = ctx.repo.get<Account>(ctx.tenantId, "account", c.req.param("id"));
  return acc ? jsonResponse(envelope(ctx, "Accounts", [renderAccount(acc)])) : notFound();
});

function validateAccount(ctx: ApiContext, input: Wire, existing?: Account): Account | string[] {
  const errors: string[] = [];
  const code = str(input["Code"]) ?? existing?.Code;
  const name = str(input["Name"]) ?? existing?.Name;
  const type = str(input["Type"]) ?? existing?.Type;
  if (!code) errors.push("Please enter a Code.");
  if (!name) errors.push("Please enter a Name.");
  if (!type || !accountClass(type)) errors.push("Please select a valid account Type.");
  const others = ctx.repo
    .list<Account>(ctx.tenantId, "account")
    .filter((a) => a.AccountID !== existing?.AccountID);
  if (code && others.some((a) => a.Code.toLowerCase() === code.toLowerCase()))
    errors.push("Please enter a unique Code.");
  if (name && others.some((a) => a.Name.toLowerCase() === name.toLowerCase()))
    errors.push("Please enter a unique Name.");
  if (errors.length || !code || !name || !type) return errors;
  const status = str(input["Status"]) as Account["Status"] | undefined;
  return {
    AccountID: existing?.AccountID ?? crypto.randomUUID(),
    Code: code,
    Name: name,
    Type: type,
    Class: accountClass(type) ?? "ASSET",
    TaxType: str(input["TaxType"]) ?? existing?.TaxType ?? "NONE",
    Status: status ?? existing?.Status ?? "ACTIVE",
    SystemAccount: existing?.SystemAccount,
    EnablePaymentsToAccount:
      typeof input["EnablePaymentsToAccount"] === "boolean"
        ? input["EnablePaymentsToAccount"]
        : (existing?.EnablePaymentsToAccount ?? false),
    BankAccountNumber: str(input["BankAccountNumber"]) ?? existing?.BankAccountNumber,
    Description: str(input["Description"]) ?? existing?.Description,
    updatedMs: ctx.now,
  };
}

// PUT /Accounts creates one account per call.
accountsRoutes.put("/Accounts", async (c) => {
  const ctx = c.get("api");
  const body = await jsonBody(c.req.raw);
  const input = isRecord(body) && Array.isArray(body["Accounts"]) ? body["Accounts"][0] : body;
  if (!isRecord(input)) return batchResponse(ctx, "Accounts", [fail(input, ["Please enter a Code."])]);
  const acc = validateAccount(ctx, input);
  if (Array.isArray(acc)) return batchResponse(ctx, "Accounts", [fail(input, acc)]);
  ctx.repo.put(ctx.tenantId, "account", acc.AccountID, acc, acc.Code);
  return batchResponse(ctx, "Accounts", [ok(renderAccount(acc))]);
});

accountsRoutes.post("/Accounts/:id", async (c) => {
  const ctx = c.get("api");
  const existing = ctx.repo.get<Account>(ctx.tenantId, "account", c.req.param("id"));
  if (!existing) return notFound();
  const body = await jsonBody(c.req.raw);
  const input = isRecord(body) && Array.isArray(body["Accounts"]) ? body["Accounts"][0] : body;
  if (!isRecord(input)) return batchResponse(ctx, "Accounts", [fail(input, ["Please enter a Code."])]);
  const acc = validateAccount(ctx, input, existing);
  if (Array.isArray(acc)) return batchResponse(ctx, "Accounts", [fail(input, acc)]);
  ctx.repo.put(ctx.tenantId, "account", acc.AccountID, acc, acc.Code);
  return batchResponse(ctx, "Accounts", [ok(renderAccount(acc))]);
});

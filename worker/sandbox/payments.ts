/**
 * Payments: PUT /Payments (batch), POST /Payments (single), POST /Payments/{id} {"Status":"DELETED"}.
 * Only against AUTHORISED documents, never above the amount due, from a BANK or payments-enabled
 * account, dated in an open period. Payments cannot be edited — only deleted, which restores AmountDue.
 */
import { findAccount } from "./accounts";
import { touch } from "./allocations";
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
import { money, toScaled } from "./money";
import { notFound } from "./problems";
import type { Account, Payment, SalesDoc } from "./records";
import { MSG_NOT_FOUND } from "./sales-docs";
import { settlement } from "./settlement";
import { applyWhere } from "./where";

export const MSG_NOT_AUTHORISED = "Payments can only be made against Authorised documents";
export const MSG_OVERPAYMENT = "Payment amount exceeds the amount outstanding on this document";
export const MSG_BAD_ACCOUNT = "Account is not valid for payments";
/** [unverified] exact texts. */
export const MSG_NO_DOCUMENT = "Either an Invoice or a CreditNote must be specified for the payment.";
export const MSG_ONLY_DELETE = "Payments cannot be edited, only deleted. Set the Status to DELETED.";
export const MSG_ALREADY_DELETED = "This payment has already been deleted.";

export function renderPayment(ctx: ApiContext, p: Payment): Wire {
  const acc = ctx.repo.get<Account>(ctx.tenantId, "account", p.AccountID);
  const doc = ctx.repo.get<SalesDoc>(ctx.tenantId, p.docKind, p.docId);
  const docRef: Wire = doc
    ? p.docKind === "invoice"
      ? {
          Invoice: {
            InvoiceID: doc.id,
            InvoiceNumber: doc.number,
            Type: doc.Type,
            Contact: { ContactID: doc.ContactID },
          },
        }
      : {
          CreditNote: {
            CreditNoteID: doc.id,
            CreditNoteNumber: doc.number,
            Type: doc.Type,
            Contact: { ContactID: doc.ContactID },
          },
        }
    : {};
  return {
    PaymentID: p.PaymentID,
    Date: msDate(p.date),
    Amount: money(p.amountCents),
    BankAmount: money(p.amountCents),
    CurrencyRate: money(100),
    ...(p.Reference ? { Reference: p.Reference } : {}),
    IsReconciled: p.IsReconciled,
    Status: p.Status,
    PaymentType: p.PaymentType,
    UpdatedDateUTC: msDate(p.updatedMs),
    Account: acc ? { AccountID: acc.AccountID, Code: acc.Code, Name: acc.Name } : { AccountID: p.AccountID },
    ...docRef,
    HasAccount: true,
    HasValidationErrors: false,
  };
}

function resolveDoc(ctx: ApiContext, input: Record<string, unknown>): SalesDoc | string {
  const inv = isRecord(input["Invoice"]) ? input["Invoice"] : undefined;
  const cn = isRecord(input["CreditNote"]) ? input["CreditNote"] : undefined;
  if (inv) {
    const id = str(inv["InvoiceID"]);
    const num = str(inv["InvoiceNumber"]);
    const doc = id
      ? ctx.repo.get<SalesDoc>(ctx.tenantId, "invoice", id.toLowerCase())
      : num
        ? ctx.repo.byNumber<SalesDoc>(ctx.tenantId, "invoice", num)
        : undefined;
    return doc ?? MSG_NOT_FOUND;
  }
  if (cn) {
    const id = str(cn["CreditNoteID"]);
    const num = str(cn["CreditNoteNumber"]);
    const doc = id
      ? ctx.repo.get<SalesDoc>(ctx.tenantId, "creditnote", id.toLowerCase())
      : num
        ? ctx.repo.byNumber<SalesDoc>(ctx.tenantId, "creditnote", num)
        : undefined;
    return doc ?? MSG_NOT_FOUND;
  }
  return MSG_NO_DOCUMENT;
}

function createPayment(ctx: ApiContext, input: unknown): ElementResult {
  if (!isRecord(input)) return fail(input, [MSG_NO_DOCUMENT]);
  const errors: string[] = [];
  const doc = resolveDoc(ctx, input);
  if (typeof doc === "string") errors.push(doc);
  const accRef = isRecord(input["Account"]) ? input["Account"] : {};
  const acc = findAccount(ctx, {
    id: str(accRef["AccountID"])?.toLowerCase(),
    code: str(accRef["Code"]),
  });
  if (acc?.Status !== "ACTIVE" || (acc.Type !== "BANK" && !acc.EnablePaymentsToAccount)) {
    errors.push(MSG_BAD_ACCOUNT);
  }
  const amount = toScaled(input["Amount"], 2);
  if (amount === null || amount <= 0) errors.push("Payment amount must be greater than zero.");
  const date = input["Date"] === undefined ? startOfDay(ctx.now) : parseDate(input["Date"]);
  if (date === null) errors.push("Date is not a valid date.");
  if (typeof doc === "object") {
    const s = settlement(ctx, doc);
    if (doc.Status !== "AUTHORISED") errors.push(MSG_NOT_AUTHORISED);
    else if (amount !== null && amount > s.dueCents) errors.push(MSG_OVERPAYMENT);
  }
  if (date !== null) {
    const lock = lockError(ctx, date);
    if (lock) errors.push(lock);
  }
  if (errors.length || typeof doc === "string" || !acc || amount === null || date === null) {
    return fail(input, errors);
  }
  const p: Payment = {
    PaymentID: crypto.randomUUID(),
    docKind: doc.kind,
    docId: doc.id,
    AccountID: acc.AccountID,
    date,
    amountCents: amount,
    Reference: str(input["Reference"]),
    Status: "AUTHORISED",
    IsReconciled: input["IsReconciled"] === true,
    PaymentType: doc.kind === "invoice" ? "ACCRECPAYMENT" : "ARCREDITPAYMENT",
    updatedMs: ctx.now,
  };
  ctx.repo.put(ctx.tenantId, "payment", p.PaymentID, p);
  touch(ctx, doc);
  return ok(renderPayment(ctx, p));
}

function deletePayment(ctx: ApiContext, p: Payment, input: unknown): ElementResult {
  const status = isRecord(input) ? str(input["Status"])?.toUpperCase() : undefined;
  if (status !== "DELETED") return fail(input, [MSG_ONLY_DELETE]);
  if (p.Status === "DELETED") return fail(input, [MSG_ALREADY_DELETED]);
  const lock = lockError(ctx, p.date);
  if (lock) return fail(input, [lock]);
  const deleted: Payment = { ...p, Status: "DELETED", updatedMs: ctx.now };
  ctx.repo.put(ctx.tenantId, "payment", p.PaymentID, deleted);
  const doc = ctx.repo.get<SalesDoc>(ctx.tenantId, p.docKind, p.docId);
  if (doc) touch(ctx, doc);
  return ok(renderPayment(ctx, deleted));
}

export const paymentsRoutes = resourceRouter();

paymentsRoutes.get("/Payments", (c) => {
  const ctx = c.get("api");
  let list = ctx.repo.list<Payment>(ctx.tenantId, "payment");
  const since = parseTimestamp(c.req.header("If-Modified-Since"));
  if (since !== null) list = list.filter((p) => p.updatedMs >= since);
  const where = ctx.query.get("where");
  if (where) {
    list = applyWhere(list, where, (p) => ({
      Status: p.Status,
      PaymentType: p.PaymentType,
      Reference: p.Reference ?? "",
      Date: p.date,
      Amount: p.amountCents / 100,
      Invoice: { InvoiceID: p.docKind === "invoice" ? p.docId : "" },
      CreditNote: { CreditNoteID: p.docKind === "creditnote" ? p.docId : "" },
      UpdatedDateUTC: p.updatedMs,
    }));
  }
  return jsonResponse(
    envelope(
      ctx,
      "Payments",
      list.map((p) => renderPayment(ctx, p)),
    ),
  );
});

paymentsRoutes.get("/Payments/:id", (c) => {
  const ctx = c.get("api");
  const p = ctx.repo.get<Payment>(ctx.tenantId, "payment", c.req.param("id").toLowerCase());
  return p ? jsonResponse(envelope(ctx, "Payments", [renderPayment(ctx, p)])) : notFound();
});

for (const method of ["put", "post"] as const) {
  paymentsRoutes[method]("/Payments", async (c) => {
    const ctx = c.get("api");
    const els = elementsOf(await jsonBody(c.req.raw), "Payments") ?? [];
    return batchResponse(
      ctx,
      "Payments",
      els.map((el) => {
        const id = isRecord(el) ? str(el["PaymentID"]) : undefined;
        const existing = id ? ctx.repo.get<Payment>(ctx.tenantId, "payment", id.toLowerCase()) : undefined;
        if (method === "post" && existing) return deletePayment(ctx, existing, el);
        return createPayment(ctx, el);
      }),
    );
  });
}

paymentsRoutes.post("/Payments/:id", async (c) => {
  const ctx = c.get("api");
  const p = ctx.repo.get<Payment>(ctx.tenantId, "payment", c.req.param("id").toLowerCase());
  if (!p) return notFound();
  const els = elementsOf(await jsonBody(c.req.raw), "Payments") ?? [];
  return batchResponse(ctx, "Payments", [deletePayment(ctx, p, els[0])]);
});

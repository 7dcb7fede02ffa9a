/**
 * Credit-note allocations: PUT /CreditNotes/{id}/Allocations, DELETE …/Allocations/{AllocationID}.
 * Amount ≤ the credit note's RemainingCredit and ≤ the invoice's AmountDue; both AUTHORISED, same
 * contact and currency; the allocation date must be open (lock dates).
 */

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
import { msDate, parseDate, startOfDay } from "./dates";
import { jsonResponse } from "./json";
import { money, toScaled } from "./money";
import { notFound } from "./problems";
import type { Allocation, SalesDoc } from "./records";
import { MSG_NOT_FOUND } from "./sales-docs";
import { settlement } from "./settlement";

export const MSG_CN_NOT_FOUND = "An existing Credit Note with the specified CreditNoteID could not be found";
export const MSG_OVER_ALLOCATE =
  "Credit Note cannot be allocated as amount is greater than amount outstanding";
export const MSG_INVOICE_PAID = "The invoice you are trying to allocate to has already been paid off";
export const MSG_WRONG_TYPE = "Credit Note cannot be allocated to an incorrect invoice type";
/** [unverified] exact texts. */
export const MSG_CN_NOT_AUTHORISED = "Credit Note must be authorised before it can be allocated";
export const MSG_CONTACT_MISMATCH = "The Credit Note and Invoice must be for the same contact";
export const MSG_CURRENCY_MISMATCH = "The Credit Note and Invoice must be in the same currency";

export function renderAllocation(ctx: ApiContext, a: Allocation): Wire {
  const inv = ctx.repo.get<SalesDoc>(ctx.tenantId, "invoice", a.invoiceId);
  const cn = ctx.repo.get<SalesDoc>(ctx.tenantId, "creditnote", a.creditNoteId);
  return {
    AllocationID: a.AllocationID,
    Amount: money(a.amountCents),
    Date: msDate(a.date),
    Invoice: { InvoiceID: a.invoiceId, ...(inv ? { InvoiceNumber: inv.number, Type: inv.Type } : {}) },
    CreditNote: {
      CreditNoteID: a.creditNoteId,
      ...(cn ? { CreditNoteNumber: cn.number, Type: cn.Type } : {}),
    },
    IsDeleted: a.IsDeleted,
  };
}

function allocate(ctx: ApiContext, cn: SalesDoc, input: unknown): ElementResult {
  if (!isRecord(input)) return fail(input, ["Amount, Invoice and Date are required."]);
  const errors: string[] = [];
  const invRef = isRecord(input["Invoice"]) ? input["Invoice"] : {};
  const invId = str(invRef["InvoiceID"]);
  const invNum = str(invRef["InvoiceNumber"]);
  const inv = invId
    ? ctx.repo.get<SalesDoc>(ctx.tenantId, "invoice", invId.toLowerCase())
    : invNum
      ? ctx.repo.byNumber<SalesDoc>(ctx.tenantId, "invoice", invNum)
      : undefined;
  const amount = toScaled(input["Amount"], 2);
  const date = input["Date"] === undefined ? startOfDay(ctx.now) : parseDate(input["Date"]);
  if (!inv) return fail(input, [MSG_NOT_FOUND]);
  if (amount === null || amount <= 0) errors.push("Amount must be greater than zero.");
  if (date === null) errors.push("Date is not a valid date.");
  const cnState = settlement(ctx, cn);
  const invState = settlement(ctx, inv);
  if (cn.Status !== "AUTHORISED") errors.push(MSG_CN_NOT_AUTHORISED);
  const matchingType = cn.Type === "ACCRECCREDIT" ? "ACCREC" : "ACCPAY";
  if (inv.Type !== matchingType) errors.push(MSG_WRONG_TYPE);
  else if (invState.status === "PAID") errors.push(MSG_INVOICE_PAID);
  else if (inv.Status !== "AUTHORISED") errors.push("Invoice not of valid status for modification");
  if (inv.ContactID !== cn.ContactID) errors.push(MSG_CONTACT_MISMATCH);
  if (inv.CurrencyCode !== cn.CurrencyCode) errors.push(MSG_CURRENCY_MISMATCH);
  if (amount !== null && amount > 0 && (amount > cnState.dueCents || amount > invState.dueCents)) {
    if (!errors.includes(MSG_INVOICE_PAID)) errors.push(MSG_OVER_ALLOCATE);
  }
  if (date !== null) {
    const lock = lockError(ctx, date);
    if (lock) errors.push(lock);
  }
  if (errors.length || amount === null || date === null) return fail(input, errors);
  const alloc: Allocation = {
    AllocationID: crypto.randomUUID(),
    creditNoteId: cn.id,
    invoiceId: inv.id,
    amountCents: amount,
    date,
    IsDeleted: false,
    updatedMs: ctx.now,
  };
  ctx.repo.put(ctx.tenantId, "allocation", alloc.AllocationID, alloc);
  touch(ctx, cn);
  touch(ctx, inv);
  return ok(renderAllocation(ctx, alloc));
}

/** Settling a document changes its AmountDue/Status, so its UpdatedDateUTC moves. */
export function touch(ctx: ApiContext, doc: SalesDoc): void {
  ctx.repo.put(ctx.tenantId, doc.kind, doc.id, { ...doc, updatedMs: ctx.now }, doc.number);
}

export const allocationsRoutes = resourceRouter();

allocationsRoutes.put("/CreditNotes/:id/Allocations", async (c) => {
  const ctx = c.get("api");
  const els = elementsOf(await jsonBody(c.req.raw), "Allocations") ?? [];
  const cn = ctx.repo.get<SalesDoc>(ctx.tenantId, "creditnote", c.req.param("id").toLowerCase());
  return batchResponse(
    ctx,
    "Allocations",
    els.map((el) => (cn ? allocate(ctx, cn, el) : fail(el, [MSG_CN_NOT_FOUND]))),
  );
});

allocationsRoutes.delete("/CreditNotes/:id/Allocations/:allocationId", (c) => {
  const ctx = c.get("api");
  const a = ctx.repo.get<Allocation>(ctx.tenantId, "allocation", c.req.param("allocationId").toLowerCase());
  if (!a || a.IsDeleted || a.creditNoteId !== c.req.param("id").toLowerCase()) return notFound();
  const lock = lockError(ctx, a.date);
  if (lock) return batchResponse(ctx, "Allocations", [fail(renderAllocation(ctx, a), [lock])]);
  const deleted: Allocation = { ...a, IsDeleted: true, updatedMs: ctx.now };
  ctx.repo.put(ctx.tenantId, "allocation", a.AllocationID, deleted);
  for (const [kind, id] of [
    ["creditnote", a.creditNoteId],
    ["invoice", a.invoiceId],
  ] as const) {
    const doc = ctx.repo.get<SalesDoc>(ctx.tenantId, kind, id);
    if (doc) touch(ctx, doc);
  }
  return jsonResponse(envelope(ctx, "Allocations", [renderAllocation(ctx, deleted)]));
});

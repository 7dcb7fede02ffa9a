/**
 * Invoices and credit notes share one engine: status machine, numbering, lines, totals, lock dates.
 * Messages follow shared/reference/xero-api.md §4, §5, §8, §14.
 */
import {
  type ApiContext,
  type ElementResult,
  fail,
  isRecord,
  lockError,
  ok,
  str,
  type Wire,
} from "./api-context";
import { contactRef, resolveDocContact } from "./contacts";
import { isoUtc, msDate, parseDate, startOfDay } from "./dates";
import { buildLines, parseLineAmountTypes, renderLine, totalsOf } from "./line-items";
import { money } from "./money";
import type { Contact, SalesDoc, SalesStatus } from "./records";
import { hasPaymentsOrAllocations, settlement } from "./settlement";

export const MSG_NOT_FOUND = "The document with the supplied id was not found for this endpoint.";
export const MSG_BAD_STATUS = "Invoice not of valid status for modification";
export const MSG_HAS_PAYMENTS =
  "This document cannot be edited as it has a payment or credit note allocated to it.";
export const MSG_UNIQUE_NUMBER = "Invoice # must be unique.";
/** [unverified] exact text; Xero rejects negative-total invoices and credit notes. */
export const MSG_NEGATIVE_TOTAL = "The document total cannot be negative.";

export interface DocKindSpec {
  kind: "invoice" | "creditnote";
  key: "Invoices" | "CreditNotes";
  idField: "InvoiceID" | "CreditNoteID";
  numberField: "InvoiceNumber" | "CreditNoteNumber";
  types: readonly string[];
  /** Types whose numbers must be unique (ACCREC invoices / ACCRECCREDIT credit notes). */
  uniqueTypes: readonly string[];
  prefix: string;
}

export const INVOICE: DocKindSpec = {
  kind: "invoice",
  key: "Invoices",
  idField: "InvoiceID",
  numberField: "InvoiceNumber",
  types: ["ACCREC", "ACCPAY"],
  uniqueTypes: ["ACCREC"],
  prefix: "INV-",
};

export const CREDIT_NOTE: DocKindSpec = {
  kind: "creditnote",
  key: "CreditNotes",
  idField: "CreditNoteID",
  numberField: "CreditNoteNumber",
  types: ["ACCRECCREDIT", "ACCPAYCREDIT"],
  uniqueTypes: ["ACCRECCREDIT"],
  prefix: "CN-",
};

const CREATE_STATUSES: SalesStatus[] = ["DRAFT", "SUBMITTED", "AUTHORISED"];

/** Allowed stored-status transitions on update. */
function transitionAllowed(from: SalesStatus, to: SalesStatus): boolean {
  if (from === "DRAFT" || from === "SUBMITTED") return to !== "VOIDED";
  if (from === "AUTHORISED") return to === "AUTHORISED" || to === "VOIDED";
  return false;
}

export function findDoc(ctx: ApiContext, spec: DocKindSpec, ref: string): SalesDoc | undefined {
  return (
    ctx.repo.get<SalesDoc>(ctx.tenantId, spec.kind, ref.toLowerCase()) ??
    ctx.repo.byNumber<SalesDoc>(ctx.tenantId, spec.kind, ref)
  );
}

function numberTaken(ctx: ApiContext, spec: DocKindSpec, type: string, num: string, exceptId?: string) {
  if (!spec.uniqueTypes.includes(type)) return false;
  const other = ctx.repo.byNumber<SalesDoc>(ctx.tenantId, spec.kind, num);
  return other !== undefined && other.id !== exceptId && other.Type === type;
}

function nextNumber(ctx: ApiContext, spec: DocKindSpec, type: string): string {
  const org = ctx.org;
  const field = spec.kind === "invoice" ? "nextInvoiceNo" : "nextCreditNoteNo";
  let n = org[field];
  let num = `${spec.prefix}${String(n).padStart(4, "0")}`;
  while (numberTaken(ctx, spec, type, num)) {
    n += 1;
    num = `${spec.prefix}${String(n).padStart(4, "0")}`;
  }
  org[field] = n + 1;
  ctx.repo.put("", "org", org.tenantId, org);
  return num;
}

function parseStatus(v: unknown): SalesStatus | "INVALID" | undefined {
  if (v === undefined || v === null) return undefined;
  const s = String(v).toUpperCase();
  return ["DRAFT", "SUBMITTED", "AUTHORISED", "VOIDED", "DELETED"].includes(s)
    ? (s as SalesStatus)
    : "INVALID";
}

/**
 * Create (mode "create": PUT) or create-or-update (mode "upsert": POST) one invoice / credit note.
 * Saves it when valid and returns its wire form, else the element with its validation errors.
 */
export function saveSalesDoc(
  ctx: ApiContext,
  spec: DocKindSpec,
  input: unknown,
  mode: "create" | "upsert",
  pathRef?: string,
): ElementResult {
  if (!isRecord(input)) return fail(input, ["A valid document must be supplied."]);
  const idIn = pathRef ?? str(input[spec.idField]);
  let existing: SalesDoc | undefined;
  if (mode === "upsert") {
    if (idIn) {
      existing = findDoc(ctx, spec, idIn);
      if (!existing) return fail(input, [MSG_NOT_FOUND]);
    } else {
      const num = str(input[spec.numberField]);
      const byNum = num ? ctx.repo.byNumber<SalesDoc>(ctx.tenantId, spec.kind, num) : undefined;
      if (byNum && byNum.Type === (str(input["Type"]) ?? byNum.Type)) existing = byNum;
    }
  }
  return existing ? updateDoc(ctx, spec, input, existing) : createDoc(ctx, spec, input);
}

function createDoc(ctx: ApiContext, spec: DocKindSpec, input: Record<string, unknown>): ElementResult {
  const errors: string[] = [];
  const type = str(input["Type"])?.toUpperCase();
  if (!type || !spec.types.includes(type))
    errors.push(`The Type field must be one of: ${spec.types.join(", ")}.`);
  const contact = resolveDocContact(ctx, input["Contact"]);
  if (typeof contact === "string") errors.push(contact);
  const status = parseStatus(input["Status"]) ?? "DRAFT";
  if (status === "INVALID" || !CREATE_STATUSES.includes(status)) errors.push(MSG_BAD_STATUS);
  const date = input["Date"] === undefined ? startOfDay(ctx.now) : parseDate(input["Date"]);
  if (date === null) errors.push("Date is not a valid date.");
  const dueDate = input["DueDate"] === undefined ? undefined : parseDate(input["DueDate"]);
  if (dueDate === null) errors.push("DueDate is not a valid date.");
  const lat = parseLineAmountTypes(
    input["LineAmountTypes"],
    ctx.org.defaultSalesTax === "Tax Inclusive" ? "Inclusive" : "Exclusive",
  );
  if (!lat) errors.push("LineAmountTypes must be Exclusive, Inclusive or NoTax.");
  const built = buildLines(ctx, input["LineItems"], lat ?? "Exclusive");
  errors.push(...built.errors);
  const totals = totalsOf(built.lines, lat ?? "Exclusive");
  if (totals.totalCents < 0) errors.push(MSG_NEGATIVE_TOTAL);
  const numIn = str(input[spec.numberField]);
  if (numIn && type && numberTaken(ctx, spec, type, numIn)) errors.push(MSG_UNIQUE_NUMBER);
  if (numIn && numIn.length > 255) errors.push("Invoice number must not be more than 255 characters long.");
  if (status === "AUTHORISED" && date !== null) {
    const lock = lockError(ctx, date);
    if (lock) errors.push(lock);
  }
  if (
    errors.length ||
    !type ||
    typeof contact === "string" ||
    date === null ||
    !lat ||
    status === "INVALID"
  ) {
    return fail(input, errors);
  }
  const doc: SalesDoc = {
    id: crypto.randomUUID(),
    kind: spec.kind,
    Type: type,
    number: numIn ?? nextNumber(ctx, spec, type),
    Reference: str(input["Reference"]),
    ContactID: contact.ContactID,
    date,
    dueDate: dueDate ?? undefined,
    Status: status,
    LineAmountTypes: lat,
    lines: built.lines,
    ...totals,
    CurrencyCode: str(input["CurrencyCode"]) ?? ctx.org.baseCurrency,
    Url: str(input["Url"]),
    createdMs: ctx.now,
    updatedMs: ctx.now,
  };
  ctx.repo.put(ctx.tenantId, spec.kind, doc.id, doc, doc.number);
  return ok(renderSalesDoc(ctx, spec, doc, true));
}

function updateDoc(
  ctx: ApiContext,
  spec: DocKindSpec,
  input: Record<string, unknown>,
  existing: SalesDoc,
): ElementResult {
  if (existing.Status === "VOIDED" || existing.Status === "DELETED") return fail(input, [MSG_BAD_STATUS]);
  if (hasPaymentsOrAllocations(settlement(ctx, existing))) return fail(input, [MSG_HAS_PAYMENTS]);
  const errors: string[] = [];
  const status = parseStatus(input["Status"]) ?? existing.Status;
  if (status === "INVALID" || !transitionAllowed(existing.Status, status))
    return fail(input, [MSG_BAD_STATUS]);
  if (existing.Status === "AUTHORISED") {
    const lock = lockError(ctx, existing.date);
    if (lock) return fail(input, [lock]);
  }
  let contact: Contact | string | undefined;
  if (input["Contact"] !== undefined) {
    contact = resolveDocContact(ctx, input["Contact"]);
    if (typeof contact === "string") errors.push(contact);
  }
  const date = input["Date"] === undefined ? existing.date : parseDate(input["Date"]);
  if (date === null) errors.push("Date is not a valid date.");
  const dueDate = input["DueDate"] === undefined ? existing.dueDate : parseDate(input["DueDate"]);
  if (dueDate === null) errors.push("DueDate is not a valid date.");
  const lat = parseLineAmountTypes(input["LineAmountTypes"], existing.LineAmountTypes);
  if (!lat) errors.push("LineAmountTypes must be Exclusive, Inclusive or NoTax.");
  let lines = existing.lines;
  if (input["LineItems"] !== undefined || (lat && lat !== existing.LineAmountTypes)) {
    const built = buildLines(
      ctx,
      input["LineItems"] ?? existing.lines.map((l) => relineInput(l)),
      lat ?? existing.LineAmountTypes,
      existing.lines,
    );
    errors.push(...built.errors);
    lines = built.lines;
  }
  const totals = totalsOf(lines, lat ?? existing.LineAmountTypes);
  if (totals.totalCents < 0) errors.push(MSG_NEGATIVE_TOTAL);
  const numIn = str(input[spec.numberField]);
  if (numIn && numberTaken(ctx, spec, existing.Type, numIn, existing.id)) errors.push(MSG_UNIQUE_NUMBER);
  if (status === "AUTHORISED" && date !== null) {
    const lock = lockError(ctx, date);
    if (lock) errors.push(lock);
  }
  if (errors.length || date === null || dueDate === null || !lat) return fail(input, errors);
  const doc: SalesDoc = {
    ...existing,
    number: numIn ?? existing.number,
    Reference: input["Reference"] === undefined ? existing.Reference : str(input["Reference"]),
    ContactID: typeof contact === "object" ? contact.ContactID : existing.ContactID,
    date,
    dueDate,
    Status: status,
    LineAmountTypes: lat,
    lines,
    ...totals,
    Url: str(input["Url"]) ?? existing.Url,
    updatedMs: ctx.now,
  };
  ctx.repo.put(ctx.tenantId, spec.kind, doc.id, doc, doc.number);
  return ok(renderSalesDoc(ctx, spec, doc, true));
}

/** Existing lines re-expressed as input (used when only LineAmountTypes changes). */
function relineInput(l: SalesDoc["lines"][number]): Record<string, unknown> {
  return {
    LineItemID: l.LineItemID,
    Description: l.Description,
    Quantity: l.quantity4 / 10_000,
    UnitAmount: l.unitAmount4 / 10_000,
    AccountCode: l.AccountCode,
    TaxType: l.TaxType,
    ItemCode: l.ItemCode,
  };
}

export function renderSalesDoc(ctx: ApiContext, spec: DocKindSpec, doc: SalesDoc, withLines: boolean): Wire {
  const s = settlement(ctx, doc);
  const contact = ctx.repo.get<Contact>(ctx.tenantId, "contact", doc.ContactID);
  const dateString = (ms: number) => `${isoUtc(ms)}`;
  const common: Wire = {
    Type: doc.Type,
    Contact: contactRef(contact),
    Date: msDate(doc.date),
    DateString: dateString(doc.date),
    ...(doc.dueDate !== undefined
      ? { DueDate: msDate(doc.dueDate), DueDateString: dateString(doc.dueDate) }
      : {}),
    Status: s.status,
    LineAmountTypes: doc.LineAmountTypes,
    ...(withLines ? { LineItems: doc.lines.map((l) => renderLine(ctx, l)) } : {}),
    SubTotal: money(doc.subTotalCents),
    TotalTax: money(doc.totalTaxCents),
    Total: money(doc.totalCents),
    UpdatedDateUTC: msDate(doc.updatedMs),
    CurrencyCode: doc.CurrencyCode,
    CurrencyRate: money(100),
    ...(s.fullyPaidOn !== undefined ? { FullyPaidOnDate: msDate(s.fullyPaidOn) } : {}),
    ...(doc.Reference !== undefined ? { Reference: doc.Reference } : {}),
    ...(doc.Url !== undefined ? { Url: doc.Url } : {}),
    HasAttachments: false,
    Payments: s.payments.map((p) => ({
      PaymentID: p.PaymentID,
      Date: msDate(p.date),
      Amount: money(p.amountCents),
      ...(p.Reference ? { Reference: p.Reference } : {}),
      CurrencyRate: money(100),
      HasAccount: true,
      HasValidationErrors: false,
    })),
  };
  if (spec.kind === "invoice") {
    return {
      ...common,
      InvoiceID: doc.id,
      InvoiceNumber: doc.number,
      IsDiscounted: false,
      HasErrors: false,
      AmountDue: money(s.dueCents),
      AmountPaid: money(s.paidCents),
      AmountCredited: money(s.creditedCents),
      CreditNotes: s.allocations.map((a) => {
        const cn = ctx.repo.get<SalesDoc>(ctx.tenantId, "creditnote", a.creditNoteId);
        return {
          CreditNoteID: a.creditNoteId,
          CreditNoteNumber: cn?.number,
          AppliedAmount: money(a.amountCents),
          Total: money(cn?.totalCents ?? 0),
          Date: msDate(a.date),
        };
      }),
    };
  }
  return {
    ...common,
    CreditNoteID: doc.id,
    CreditNoteNumber: doc.number,
    RemainingCredit: money(s.dueCents),
    Allocations: s.allocations.map((a) => {
      const inv = ctx.repo.get<SalesDoc>(ctx.tenantId, "invoice", a.invoiceId);
      return {
        AllocationID: a.AllocationID,
        Amount: money(a.amountCents),
        Date: msDate(a.date),
        Invoice: { InvoiceID: a.invoiceId, InvoiceNumber: inv?.number },
      };
    }),
  };
}

/** The view `where` filters evaluate: dates as ms, amounts as numbers, derived Status. */
export function salesWhereView(ctx: ApiContext, doc: SalesDoc): Wire {
  const s = settlement(ctx, doc);
  const contact = ctx.repo.get<Contact>(ctx.tenantId, "contact", doc.ContactID);
  return {
    Type: doc.Type,
    Status: s.status,
    Reference: doc.Reference ?? "",
    InvoiceNumber: doc.number,
    CreditNoteNumber: doc.number,
    InvoiceID: doc.id,
    CreditNoteID: doc.id,
    Date: doc.date,
    DueDate: doc.dueDate ?? null,
    UpdatedDateUTC: doc.updatedMs,
    Contact: {
      ContactID: doc.ContactID,
      Name: contact?.Name ?? "",
      ContactNumber: contact?.ContactNumber ?? "",
    },
    AmountDue: s.dueCents / 100,
    AmountPaid: s.paidCents / 100,
    AmountCredited: s.creditedCents / 100,
    Total: doc.totalCents / 100,
    SubTotal: doc.subTotalCents / 100,
    CurrencyCode: doc.CurrencyCode,
  };
}

import type { ApiContext } from "./api-context";
import type { Allocation, Payment, SalesDoc } from "./records";
import type { Repo } from "./repo";

/** What has been paid/credited against a document; AmountDue and PAID derive from this. */
export interface Settlement {
  payments: Payment[];
  allocations: Allocation[];
  paidCents: number;
  creditedCents: number;
  dueCents: number;
  /** AUTHORISED with nothing outstanding reads PAID. */
  status: string;
  fullyPaidOn?: number;
}

export function settlementOf(repo: Repo, tenantId: string, doc: SalesDoc): Settlement {
  const payments = repo
    .list<Payment>(tenantId, "payment")
    .filter((p) => p.docKind === doc.kind && p.docId === doc.id && p.Status === "AUTHORISED");
  const allocations = repo
    .list<Allocation>(tenantId, "allocation")
    .filter(
      (a) => !a.IsDeleted && (doc.kind === "invoice" ? a.invoiceId === doc.id : a.creditNoteId === doc.id),
    );
  const paidCents = payments.reduce((s, p) => s + p.amountCents, 0);
  const creditedCents = allocations.reduce((s, a) => s + a.amountCents, 0);
  const dueCents = doc.totalCents - paidCents - creditedCents;
  const settled = doc.Status === "AUTHORISED" && dueCents === 0;
  const dates = [...payments.map((p) => p.date), ...allocations.map((a) => a.date)];
  return {
    payments,
    allocations,
    paidCents,
    creditedCents,
    dueCents,
    status: settled ? "PAID" : doc.Status,
    fullyPaidOn: settled && dates.length ? Math.max(...dates) : undefined,
  };
}

export const settlement = (ctx: ApiContext, doc: SalesDoc) => settlementOf(ctx.repo, ctx.tenantId, doc);

export const hasPaymentsOrAllocations = (s: Settlement) => s.payments.length > 0 || s.allocations.length > 0;

/**
 * The live organisation snapshot the planner needs: Organisation (currency, lock dates) and the invoices a
 * remittance refers to, read from Xero now; chart of accounts, tax rates, items and contacts from the
 * reference cache (refreshed with If-Modified-Since just before). Validated by the core's parseOrgSnapshot.
 */
import { type OrgSnapshot, type OrgSnapshotInput, parseOrgSnapshot } from "../../domain/org/model";
import type { XeroClient } from "./client";
import { fromXero, xeroDay } from "./models";
import type { ReferenceData } from "./reference";

/** Xero's InvoiceNumbers filter takes a comma list; keep URLs short. */
export const INVOICE_LOOKUP_BATCH = 40;

export interface OrganisationInfo {
  name?: string;
  baseCurrency?: string;
  periodLockDate?: string;
  endOfYearLockDate?: string;
}

export async function readOrganisation(x: XeroClient): Promise<OrganisationInfo> {
  const body = await x.get<{ Organisations?: unknown[] }>("/Organisation");
  const o = fromXero("Organisation", body.Organisations)[0];
  const info: OrganisationInfo = {};
  if (o?.name) info.name = o.name;
  if (o?.baseCurrency) info.baseCurrency = String(o.baseCurrency);
  const pld = xeroDay(o?.periodLockDate);
  const eoy = xeroDay(o?.endOfYearLockDate);
  if (pld) info.periodLockDate = pld;
  if (eoy) info.endOfYearLockDate = eoy;
  return info;
}

export async function lookUpInvoices(x: XeroClient, numbers: Iterable<string>) {
  const unique = [...new Set([...numbers].filter((n) => n.trim() !== ""))];
  const out: NonNullable<OrgSnapshotInput["invoices"]> = [];
  for (let i = 0; i < unique.length; i += INVOICE_LOOKUP_BATCH) {
    const batch = unique.slice(i, i + INVOICE_LOOKUP_BATCH);
    const body = await x.get<{ Invoices?: unknown[] }>("/Invoices", {
      InvoiceNumbers: batch.join(","),
      unitdp: 4,
    });
    for (const inv of fromXero("Invoice", body.Invoices)) {
      if (!inv.invoiceNumber || !inv.status) continue;
      out.push({
        number: inv.invoiceNumber,
        ...(inv.invoiceID ? { id: inv.invoiceID } : {}),
        type: String(inv.type) === "ACCPAY" ? "ACCPAY" : "ACCREC",
        status: String(inv.status) as never,
        total: inv.total ?? 0,
        amountDue: inv.amountDue ?? 0,
        date: xeroDay(inv.date) ?? "1970-01-01",
        currency: String(inv.currencyCode ?? ""),
        ...(inv.contact?.name
          ? {
              contact: {
                name: inv.contact.name,
                ...(inv.contact.contactID ? { contactId: inv.contact.contactID } : {}),
              },
            }
          : {}),
      });
    }
  }
  return out;
}

export function snapshotInput(
  org: OrganisationInfo,
  ref: ReferenceData,
  invoices: NonNullable<OrgSnapshotInput["invoices"]>,
): OrgSnapshotInput {
  return {
    ...(org.name ? { name: org.name } : {}),
    baseCurrency: org.baseCurrency ?? "USD",
    ...(org.periodLockDate ? { periodLockDate: org.periodLockDate } : {}),
    ...(org.endOfYearLockDate ? { endOfYearLockDate: org.endOfYearLockDate } : {}),
    // Xero's API does not say whether the connecting user is an adviser; assume not (the stricter rule).
    isAdviser: false,
    accounts: ref.accounts.map((a) => ({
      ...(a.accountId ? { accountId: a.accountId } : {}),
      code: a.code,
      name: a.name,
      type: a.type as never,
      status: a.status as never,
      enablePaymentsToAccount: a.enablePaymentsToAccount,
      ...(a.taxType ? { taxType: a.taxType } : {}),
      ...(a.systemAccount ? { systemAccount: a.systemAccount } : {}),
    })),
    taxRates: ref.taxRates.map((t) => ({
      taxType: t.taxType,
      name: t.name,
      status: t.status as never,
      ...Object.fromEntries(Object.entries(t).filter(([k]) => k.startsWith("canApplyTo"))),
    })),
    items: ref.items.map((i) => ({ code: i.code, name: i.name, ...(i.itemId ? { itemId: i.itemId } : {}) })),
    contacts: ref.contacts
      .filter((c) => c.status !== "ARCHIVED")
      .map((c) => ({ contactId: c.id, name: c.name })),
    invoices,
  };
}

export function toSnapshot(input: OrgSnapshotInput): OrgSnapshot {
  const r = parseOrgSnapshot(input);
  if (!r.ok) throw new Error(`Xero organisation data did not fit the snapshot: ${r.errors.join("; ")}`);
  return r.org;
}

/**
 * Read the organisation snapshot the planner needs straight from Xero (Organisation, Accounts, TaxRates,
 * Items, Contacts, and the invoices a remittance names) — for previews in tests and for re-planning when
 * the world changed before sending. The API Worker has its own cached reader; this one is transport-only.
 */
import { type OrgSnapshot, parseOrgSnapshot } from "../domain/org/model";
import type { XeroTransport } from "./transport";
import { xeroDay } from "./wire";

type Rec = Record<string, unknown>;

async function get(t: XeroTransport, path: string, query: Record<string, string> = {}): Promise<Rec> {
  const r = await t({ method: "GET", path, query: { ...query, unitdp: "4" } });
  if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}`);
  return r.body as Rec;
}

const list = (body: Rec, key: string): Rec[] => (Array.isArray(body[key]) ? (body[key] as Rec[]) : []);

export async function readOrgSnapshot(
  t: XeroTransport,
  invoiceNumbers: Iterable<string>,
  opts: { isAdviser?: boolean } = {},
): Promise<OrgSnapshot> {
  const org = list(await get(t, "/Organisation"), "Organisations")[0] ?? {};
  const accounts = list(await get(t, "/Accounts"), "Accounts");
  const taxRates = list(await get(t, "/TaxRates"), "TaxRates");
  const items = list(await get(t, "/Items"), "Items");
  const contacts = list(await get(t, "/Contacts"), "Contacts");
  const numbers = [...new Set(invoiceNumbers)].filter((n) => n.trim() !== "");
  const invoices: Rec[] = [];
  for (let i = 0; i < numbers.length; i += 40) {
    const batch = numbers.slice(i, i + 40);
    invoices.push(...list(await get(t, "/Invoices", { InvoiceNumbers: batch.join(",") }), "Invoices"));
  }
  const period = xeroDay(org["PeriodLockDate"]);
  const eoy = xeroDay(org["EndOfYearLockDate"]);
  const r = parseOrgSnapshot({
    name: org["Name"],
    baseCurrency: org["BaseCurrency"] ?? "USD",
    ...(period ? { periodLockDate: period } : {}),
    ...(eoy ? { endOfYearLockDate: eoy } : {}),
    isAdviser: opts.isAdviser ?? false,
    accounts: accounts.map((a) => ({
      accountId: a["AccountID"],
      code: a["Code"],
      name: a["Name"],
      type: a["Type"],
      status: a["Status"],
      enablePaymentsToAccount: a["EnablePaymentsToAccount"] === true,
      ...(a["TaxType"] ? { taxType: a["TaxType"] } : {}),
      ...(a["SystemAccount"] ? { systemAccount: a["SystemAccount"] } : {}),
    })),
    taxRates: taxRates.map((x) => ({
      taxType: x["TaxType"],
      name: x["Name"],
      status: x["Status"],
      ...Object.fromEntries(
        Object.entries(x)
          .filter(([k]) => k.startsWith("CanApplyTo"))
          .map(([k, v]) => [`canApplyTo${k.slice(10)}`, v]),
      ),
    })),
    items: items.map((i) => ({ code: i["Code"], itemId: i["ItemID"], name: i["Name"] })),
    contacts: contacts
      .filter((c) => c["ContactStatus"] !== "ARCHIVED")
      .map((c) => ({ contactId: c["ContactID"], name: c["Name"] })),
    invoices: invoices.map((inv) => {
      const c = (inv["Contact"] ?? {}) as Rec;
      return {
        number: inv["InvoiceNumber"],
        id: inv["InvoiceID"],
        type: inv["Type"] === "ACCPAY" ? "ACCPAY" : "ACCREC",
        status: inv["Status"],
        total: inv["Total"],
        amountDue: inv["AmountDue"],
        date: inv["Date"],
        currency: inv["CurrencyCode"],
        ...(c["Name"]
          ? { contact: { name: c["Name"], ...(c["ContactID"] ? { contactId: c["ContactID"] } : {}) } }
          : {}),
      };
    }),
  });
  if (!r.ok) throw new Error(`Xero data did not fit the snapshot: ${r.errors.join("; ")}`);
  return r.org;
}

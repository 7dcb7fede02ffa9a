/**
 * Demo organisations (US and UK) with the chart of shared/reference/accounting-model.md, tax rates,
 * items for the fixture SKUs, the Amazon contact and invoices INV-A/INV-B (open) and INV-C (paid, in
 * the locked period). PeriodLockDate 2026-01-31. Also the demo OAuth apps and a custom connection.
 */
import type { Account, App, Contact, Item, Org, Payment, SalesDoc, TaxRate, Version } from "./records";
import type { Repo } from "./repo";

export const DEMO_US_TENANT = "a3f0c1de-5b1e-4c5a-9d1e-000000000001";
export const DEMO_UK_TENANT = "a3f0c1de-5b1e-4c5a-9d1e-000000000002";
export const DEMO_USER = "demo-user";
export const DEMO_APP: App = {
  clientId: "VCXSANDBOXCLIENTID",
  clientSecret: "vcx-sandbox-secret",
  name: "VCX",
  redirectUris: ["http://localhost:8787/oauth/callback", "http://localhost:8788/callback"],
};
export const CUSTOM_APP: App = {
  clientId: "VCXCUSTOMCONNECTIONID",
  clientSecret: "vcx-custom-secret",
  name: "VCX Custom Connection",
  redirectUris: [],
  customTenantId: DEMO_US_TENANT,
};

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

type AccountSeed = [code: string, name: string, type: string, tax: string, extra?: Partial<Account>];

function chart(v: Version): AccountSeed[] {
  const out = v === "UK" ? "OUTPUT2" : "OUTPUT";
  const none = "NONE";
  return [
    ["090", "Business Bank", "BANK", none, { BankAccountNumber: "121200001234" }],
    ["610", "Accounts Receivable", "CURRENT", none, { SystemAccount: "DEBTORS" }],
    ["630", "Inventory", "INVENTORY", none],
    ["800", "Accounts Payable", "CURRLIAB", none, { SystemAccount: "CREDITORS" }],
    ["820", v === "UK" ? "VAT" : "Sales Tax", "CURRLIAB", none, { SystemAccount: "GST" }],
    ["860", "Rounding", "CURRLIAB", none, { SystemAccount: "ROUNDING" }],
    ["960", "Retained Earnings", "EQUITY", none, { SystemAccount: "RETAINEDEARNINGS" }],
    ["1210", "Amazon Vendor Clearing", "CURRENT", none, { EnablePaymentsToAccount: true }],
    ["1220", "Amazon Provisions Withheld", "CURRENT", none],
    ["1290", "Amazon Unmatched Receipts", "CURRENT", none],
    ["200", "Sales – Amazon", "REVENUE", v === "UK" ? out : none],
    ["260", "Other Revenue", "REVENUE", out],
    ["310", "Cost of Goods Sold", "DIRECTCOSTS", none],
    ["6110", "Amazon Co-op & Marketing", "EXPENSE", none],
    ["6120", "Amazon Chargebacks", "EXPENSE", none],
    ["6130", "Amazon Shortage Claims", "EXPENSE", none],
    ["6140", "Amazon Price Claims", "EXPENSE", none],
    ["6160", "Early Payment Discounts", "EXPENSE", none],
    ["499", "Old Marketplace Fees", "EXPENSE", none, { Status: "ARCHIVED" }],
  ];
}

const CLASS: Record<string, string> = {
  BANK: "ASSET",
  CURRENT: "ASSET",
  INVENTORY: "ASSET",
  CURRLIAB: "LIABILITY",
  EQUITY: "EQUITY",
  REVENUE: "REVENUE",
  DIRECTCOSTS: "EXPENSE",
  EXPENSE: "EXPENSE",
};

function rate(
  Name: string,
  TaxType: string,
  ReportTaxType: string,
  percent: number,
  sales: boolean,
): TaxRate {
  return {
    Name,
    TaxType,
    ReportTaxType,
    Status: "ACTIVE",
    rate4: percent * 10_000,
    CanApplyToRevenue: sales,
    CanApplyToExpenses: !sales || TaxType === "NONE",
    CanApplyToLiabilities: true,
    CanApplyToAssets: true,
    CanApplyToEquity: true,
  };
}

function taxRates(v: Version): TaxRate[] {
  if (v === "UK") {
    return [
      rate("20% (VAT on Income)", "OUTPUT2", "OUTPUT", 20, true),
      rate("20% (VAT on Expenses)", "INPUT2", "INPUT", 20, false),
      rate("5% (VAT on Income)", "RROUTPUT", "OUTPUT", 5, true),
      rate("Zero Rated Income", "ZERORATEDOUTPUT", "OUTPUT", 0, true),
      { ...rate("No VAT", "NONE", "NONE", 0, true), CanApplyToExpenses: true },
    ];
  }
  return [
    { ...rate("Tax Exempt", "NONE", "NONE", 0, true), CanApplyToExpenses: true },
    rate("Tax on Sales", "OUTPUT", "OUTPUT", 8.875, true),
    rate("Tax on Purchases", "INPUT", "INPUT", 0, false),
  ];
}

const ITEMS: [code: string, name: string, price4: number][] = [
  ["028877454078", "Espresso Cups (set of 4)", 12_5000],
  ["0017817748000", "Stainless Kettle 1.7L", 24_9900],
  ["8806093095123", "Wireless Earbuds", 39_5000],
  ["B07DFVDRAB", "Travel Mug 450ml", 8_7500],
];

export interface SeedOptions {
  tenantId: string;
  version: Version;
  name: string;
  now: number;
}

/** Create one organisation with its demo data. */
export function seedOrganisation(repo: Repo, o: SeedOptions): Org {
  const t = o.tenantId;
  const org: Org = {
    tenantId: t,
    name: o.name,
    shortCode: `!${t.slice(0, 5)}`,
    version: o.version,
    baseCurrency: o.version === "UK" ? "GBP" : "USD",
    countryCode: o.version === "UK" ? "GB" : "US",
    timezone: o.version === "UK" ? "GMTUKIRELAND" : "EASTERNSTANDARDTIME",
    defaultSalesTax: "Tax Exclusive",
    periodLockDate: day("2026-01-31"),
    dailyLimit: 5000,
    nextInvoiceNo: 1,
    nextCreditNoteNo: 1,
    createdMs: o.now,
  };
  repo.put("", "org", t, org);
  const accounts = new Map<string, Account>();
  for (const [code, name, type, tax, extra] of chart(o.version)) {
    const a: Account = {
      AccountID: crypto.randomUUID(),
      Code: code,
      Name: name,
      Type: type,
      Class: CLASS[type] ?? "ASSET",
      TaxType: tax,
      Status: "ACTIVE",
      EnablePaymentsToAccount: false,
      updatedMs: o.now,
      ...extra,
    };
    accounts.set(code, a);
    repo.put(t, "account", a.AccountID, a, a.Code);
  }
  for (const r of taxRates(o.version)) repo.put(t, "taxrate", r.TaxType, r, r.TaxType);
  for (const [code, name, price4] of ITEMS) {
    const item: Item = {
      ItemID: crypto.randomUUID(),
      Code: code,
      Name: name,
      Description: name,
      IsSold: true,
      IsPurchased: true,
      sales: { unitPrice4: price4, AccountCode: "200", TaxType: o.version === "UK" ? "OUTPUT2" : "NONE" },
      updatedMs: o.now,
    };
    repo.put(t, "item", item.ItemID, item, item.Code);
  }
  const amazon: Contact = {
    ContactID: crypto.randomUUID(),
    Name: o.version === "UK" ? "Amazon EU S.à r.l., UK Branch" : "Amazon.com Services LLC",
    ContactNumber: "AMAZON-VC",
    ContactStatus: "ACTIVE",
    IsCustomer: true,
    IsSupplier: false,
    updatedMs: o.now,
  };
  repo.put(t, "contact", amazon.ContactID, amazon, amazon.ContactNumber);
  const archived: Contact = {
    ContactID: crypto.randomUUID(),
    Name: "Old Distributor Ltd",
    ContactStatus: "ARCHIVED",
    IsCustomer: true,
    IsSupplier: false,
    updatedMs: o.now,
  };
  repo.put(t, "contact", archived.ContactID, archived);
  const invoice = (num: string, date: string, cents: number, reference: string): SalesDoc => {
    const doc: SalesDoc = {
      id: crypto.randomUUID(),
      kind: "invoice",
      Type: "ACCREC",
      number: num,
      Reference: reference,
      ContactID: amazon.ContactID,
      date: day(date),
      dueDate: day(date) + 60 * 86_400_000,
      Status: "AUTHORISED",
      LineAmountTypes: "NoTax",
      lines: [
        {
          LineItemID: crypto.randomUUID(),
          Description: `Amazon PO shipment ${num}`,
          quantity4: 10_000,
          unitAmount4: cents * 100,
          AccountCode: "200",
          AccountID: accounts.get("200")?.AccountID,
          TaxType: "NONE",
          taxCents: 0,
          lineCents: cents,
        },
      ],
      subTotalCents: cents,
      totalTaxCents: 0,
      totalCents: cents,
      CurrencyCode: org.baseCurrency,
      createdMs: o.now,
      updatedMs: o.now,
    };
    repo.put(t, "invoice", doc.id, doc, doc.number);
    return doc;
  };
  invoice("INV-A", "2026-02-02", 1_000_000, "PO 4XK29QAA");
  invoice("INV-B", "2026-02-04", 500_000, "PO 4XK29QBB");
  const invC = invoice("INV-C", "2026-01-15", 200_000, "PO 3ZT81QCC");
  const paid: Payment = {
    PaymentID: crypto.randomUUID(),
    docKind: "invoice",
    docId: invC.id,
    AccountID: accounts.get("090")?.AccountID ?? "",
    date: day("2026-01-28"),
    amountCents: 200_000,
    Reference: "Amazon 40298811",
    Status: "AUTHORISED",
    IsReconciled: true,
    PaymentType: "ACCRECPAYMENT",
    updatedMs: o.now,
  };
  repo.put(t, "payment", paid.PaymentID, paid);
  return org;
}

/** First use of the sandbox: the two demo organisations, the demo apps and a custom connection. */
export function seedSandbox(repo: Repo, now: number): void {
  if (repo.setting<boolean>("seeded")) return;
  seedOrganisation(repo, { tenantId: DEMO_US_TENANT, version: "US", name: "VCX Demo Co (US)", now });
  seedOrganisation(repo, { tenantId: DEMO_UK_TENANT, version: "UK", name: "VCX Demo Ltd (UK)", now });
  repo.put("", "app", DEMO_APP.clientId, DEMO_APP);
  repo.put("", "app", CUSTOM_APP.clientId, CUSTOM_APP);
  repo.put("", "connection", "custom-connection-us", {
    id: "custom-connection-us",
    clientId: CUSTOM_APP.clientId,
    userId: DEMO_USER,
    tenantId: DEMO_US_TENANT,
    authEventId: "custom-connection-us",
    adviser: false,
    createdMs: now,
    updatedMs: now,
  });
  repo.setSetting("seeded", true);
}

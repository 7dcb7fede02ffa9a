import { resourceRouter } from "./api-app";
import { type ApiContext, envelope, type Wire } from "./api-context";
import { msDate } from "./dates";
import { jsonResponse } from "./json";
import { problem } from "./problems";
import type { Org } from "./records";

export function renderOrg(org: Org): Wire {
  return {
    OrganisationID: org.tenantId,
    APIKey: "",
    Name: org.name,
    LegalName: org.name,
    PaysTax: true,
    Version: org.version,
    OrganisationType: "COMPANY",
    BaseCurrency: org.baseCurrency,
    CountryCode: org.countryCode,
    IsDemoCompany: false,
    OrganisationStatus: "ACTIVE",
    FinancialYearEndDay: 31,
    FinancialYearEndMonth: 12,
    SalesTaxBasis: org.version === "UK" ? "ACCRUAL" : "ACCRUALS",
    SalesTaxPeriod: org.version === "UK" ? "QUARTERLY1" : "MONTHLY",
    DefaultSalesTax: org.defaultSalesTax,
    DefaultPurchasesTax: org.defaultSalesTax,
    ...(org.periodLockDate !== undefined ? { PeriodLockDate: msDate(org.periodLockDate) } : {}),
    ...(org.endOfYearLockDate !== undefined ? { EndOfYearLockDate: msDate(org.endOfYearLockDate) } : {}),
    CreatedDateUTC: msDate(org.createdMs),
    Timezone: org.timezone,
    OrganisationEntityType: "COMPANY",
    ShortCode: org.shortCode,
    Class: "STANDARD",
    Edition: "BUSINESS",
    LineOfBusiness: "Consumer goods",
    Addresses: [],
    Phones: [],
    ExternalLinks: [],
    PaymentTerms: {},
  };
}

const ACTIONS = [
  "UseMulticurrency",
  "CreateApprovedInvoice",
  "CreateApprovedBill",
  "CreateApprovedPayment",
  "CreateManualJournal",
  "ApproveTransactionsBeforePeriodLockDate",
];

export const organisationRoutes = resourceRouter();

organisationRoutes.get("/Organisation", (c) => {
  const ctx = c.get("api");
  return jsonResponse(envelope(ctx, "Organisations", [renderOrg(ctx.org)]));
});

organisationRoutes.get("/Organisation/Actions", (c) => {
  const ctx: ApiContext = c.get("api");
  const actions = ACTIONS.map((Name) => ({
    Name,
    Status: Name === "ApproveTransactionsBeforePeriodLockDate" && !ctx.adviser ? "NOT-ALLOWED" : "ALLOWED",
  }));
  return jsonResponse({ ...envelope(ctx, "Actions", []), Actions: actions });
});

organisationRoutes.post("/Organisation", () =>
  problem(501, "NotImplemented", "The method is not implemented"),
);

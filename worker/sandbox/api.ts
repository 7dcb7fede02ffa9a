/** The Accounting API router (/api.xro/2.0): every resource, plus Xero-style 404 and query errors. */
import { Hono } from "hono";
import { accountsRoutes } from "./accounts";
import { allocationsRoutes } from "./allocations";
import type { ApiEnv } from "./api-app";
import { bankTransactionsRoutes } from "./bank-transactions";
import { contactsRoutes } from "./contacts";
import { creditNotesRoutes } from "./credit-notes";
import { invoicesRoutes } from "./invoices";
import { itemsRoutes } from "./items";
import { jsonResponse } from "./json";
import { manualJournalsRoutes } from "./manual-journals";
import { organisationRoutes } from "./organisation";
import { paymentsRoutes } from "./payments";
import { notFound, problem } from "./problems";
import { reportsRoutes } from "./reports";
import { taxRatesRoutes } from "./tax-rates";
import { WhereError } from "./where";

export const API_BASE = "/api.xro/2.0";

export function accountingApi(): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>({ strict: false }).basePath(API_BASE);
  api.use("*", async (c, next) => {
    c.set("api", c.env.api);
    await next();
  });
  for (const r of [
    organisationRoutes,
    accountsRoutes,
    taxRatesRoutes,
    itemsRoutes,
    contactsRoutes,
    allocationsRoutes,
    invoicesRoutes,
    creditNotesRoutes,
    paymentsRoutes,
    manualJournalsRoutes,
    bankTransactionsRoutes,
    reportsRoutes,
  ]) {
    api.route("/", r);
  }
  api.notFound(() => notFound());
  api.onError((err) => {
    if (err instanceof WhereError) {
      return jsonResponse({ ErrorNumber: 16, Type: "QueryParseException", Message: err.message }, 400);
    }
    return problem(500, "Internal Server Error", String(err));
  });
  return api;
}

import { jsonBody, resourceRouter } from "./api-app";
import { type ApiContext, batchResponse, envelope, fail, isRecord, ok, str, type Wire } from "./api-context";
import { jsonResponse } from "./json";
import { toScaled, unit4 } from "./money";
import type { TaxRate } from "./records";
import { applyWhere } from "./where";

export function findTaxRate(ctx: ApiContext, taxType: string): TaxRate | undefined {
  return ctx.repo.get<TaxRate>(ctx.tenantId, "taxrate", taxType.toUpperCase());
}

export function renderTaxRate(t: TaxRate): Wire {
  return {
    Name: t.Name,
    TaxType: t.TaxType,
    ReportTaxType: t.ReportTaxType,
    CanApplyToAssets: t.CanApplyToAssets,
    CanApplyToEquity: t.CanApplyToEquity,
    CanApplyToExpenses: t.CanApplyToExpenses,
    CanApplyToLiabilities: t.CanApplyToLiabilities,
    CanApplyToRevenue: t.CanApplyToRevenue,
    DisplayTaxRate: unit4(t.rate4),
    EffectiveRate: unit4(t.rate4),
    Status: t.Status,
    TaxComponents: [{ Name: t.Name, Rate: unit4(t.rate4), IsCompound: false, IsNonRecoverable: false }],
  };
}

/** Can a tax rate be used on an account of this class? */
export function taxAppliesTo(t: TaxRate, accountClass: string): boolean {
  switch (accountClass) {
    case "REVENUE":
      return t.CanApplyToRevenue;
    case "EXPENSE":
      return t.CanApplyToExpenses;
    case "LIABILITY":
      return t.CanApplyToLiabilities;
    case "EQUITY":
      return t.CanApplyToEquity;
    default:
      return t.CanApplyToAssets;
  }
}

export const taxRatesRoutes = resourceRouter();

taxRatesRoutes.get("/TaxRates", (c) => {
  const ctx = c.get("api");
  let list = ctx.repo.list<TaxRate>(ctx.tenantId, "taxrate");
  const where = ctx.query.get("where");
  if (where) list = applyWhere(list, where, (t) => ({ ...t }));
  const taxType = ctx.query.get("TaxType");
  if (taxType) list = list.filter((t) => t.TaxType === taxType.toUpperCase());
  return jsonResponse(envelope(ctx, "TaxRates", list.map(renderTaxRate)));
});

// PUT /TaxRates creates one user rate (TAX001…) per call.
taxRatesRoutes.put("/TaxRates", async (c) => {
  const ctx = c.get("api");
  const body = await jsonBody(c.req.raw);
  const input = isRecord(body) && Array.isArray(body["TaxRates"]) ? body["TaxRates"][0] : body;
  if (!isRecord(input)) return batchResponse(ctx, "TaxRates", [fail(input, ["Name is required"])]);
  const name = str(input["Name"]);
  const comps = Array.isArray(input["TaxComponents"]) ? input["TaxComponents"] : [];
  let rate4 = 0;
  for (const comp of comps) if (isRecord(comp)) rate4 += toScaled(comp["Rate"], 4) ?? 0;
  const existing = ctx.repo.list<TaxRate>(ctx.tenantId, "taxrate");
  const errors: string[] = [];
  if (!name) errors.push("Name is required");
  if (name && existing.some((t) => t.Name.toLowerCase() === name.toLowerCase()))
    errors.push("Tax rate name must be unique");
  if (errors.length || !name) return batchResponse(ctx, "TaxRates", [fail(input, errors)]);
  const n = existing.filter((t) => t.TaxType.startsWith("TAX")).length + 1;
  const rate: TaxRate = {
    Name: name,
    TaxType: `TAX${String(n).padStart(3, "0")}`,
    ReportTaxType: str(input["ReportTaxType"]) ?? "OUTPUT",
    Status: "ACTIVE",
    rate4,
    CanApplyToRevenue: true,
    CanApplyToExpenses: true,
    CanApplyToLiabilities: true,
    CanApplyToAssets: true,
    CanApplyToEquity: true,
  };
  ctx.repo.put(ctx.tenantId, "taxrate", rate.TaxType, rate, rate.TaxType);
  return batchResponse(ctx, "TaxRates", [ok(renderTaxRate(rate))]);
});

import { accountClass, lineAccount } from "./accounts";
import { type ApiContext, isRecord, str, type Wire } from "./api-context";
import { findItem } from "./items";
import { divRound, lineCents, lineTax, money, moneyText, toScaled, unit4 } from "./money";
import type { Line, LineAmountTypes } from "./records";
import { findTaxRate, taxAppliesTo } from "./tax-rates";

export interface Totals {
  subTotalCents: number;
  totalTaxCents: number;
  totalCents: number;
}

export function parseLineAmountTypes(v: unknown, fallback: LineAmountTypes): LineAmountTypes | null {
  if (v === undefined || v === null) return fallback;
  const s = String(v).toLowerCase();
  if (s === "exclusive") return "Exclusive";
  if (s === "inclusive") return "Inclusive";
  if (s === "notax") return "NoTax";
  return null;
}

/**
 * Build document lines exactly as Xero computes them: UnitAmount rounded to 2 dp unless unitdp=4,
 * LineAmount = round2(Quantity × UnitAmount × (1 − DiscountRate)), tax per line rounded to 2 dp.
 * Collects validation messages rather than throwing.
 */
export function buildLines(
  ctx: ApiContext,
  input: unknown,
  lat: LineAmountTypes,
  existing: Line[] = [],
): { lines: Line[]; errors: string[] } {
  const errors: string[] = [];
  const lines: Line[] = [];
  const raw = Array.isArray(input) ? input : [];
  for (const el of raw) {
    if (!isRecord(el)) continue;
    const itemCode = str(el["ItemCode"]);
    const item = itemCode ? findItem(ctx, itemCode) : undefined;
    if (itemCode && !item) errors.push(`Item code '${itemCode}' is not valid.`);
    const quantity4 = toScaled(el["Quantity"], 4) ?? 10_000;
    const discountRate4 = toScaled(el["DiscountRate"], 4) ?? 0;
    const unitIn = toScaled(el["UnitAmount"], ctx.unitdp);
    const lineIn = toScaled(el["LineAmount"], 2);
    let unitAmount4 = unitIn === null ? null : unitIn * (ctx.unitdp === 4 ? 1 : 100);
    if (unitAmount4 === null && lineIn === null && item?.sales?.unitPrice4 !== undefined)
      unitAmount4 = item.sales.unitPrice4;
    let cents: number;
    if (unitAmount4 !== null) {
      cents = lineCents(quantity4, unitAmount4, discountRate4);
      if (lineIn !== null && lineIn !== cents) {
        errors.push(
          `The line total ${moneyText(lineIn)} does not match the expected line total ${moneyText(cents)}`,
        );
      }
    } else if (lineIn !== null) {
      cents = lineIn;
      unitAmount4 = quantity4 === 0 ? 0 : Number(divRound(BigInt(lineIn) * 1_000_000n, BigInt(quantity4)));
    } else {
      cents = 0;
      unitAmount4 = 0;
    }
    const acc = lineAccount(ctx, str(el["AccountCode"]) ?? item?.sales?.AccountCode, str(el["AccountID"]));
    if (typeof acc === "string") errors.push(acc);
    const account = typeof acc === "object" ? acc : undefined;
    const taxType = str(el["TaxType"]) ?? item?.sales?.TaxType ?? account?.TaxType;
    let rate4 = 0;
    if (taxType) {
      const rate = findTaxRate(ctx, taxType);
      if (rate?.Status !== "ACTIVE") errors.push(`The TaxType code '${taxType}' is not a valid tax type.`);
      else {
        rate4 = rate.rate4;
        const cls = account ? accountClass(account.Type) : undefined;
        if (account && cls && !taxAppliesTo(rate, cls)) {
          errors.push(`The TaxType code '${taxType}' cannot be used with account code '${account.Code}'.`);
        }
      }
    }
    const taxOverride = toScaled(el["TaxAmount"], 2);
    const taxCents =
      lat === "NoTax"
        ? 0
        : el["TaxAmount"] !== undefined && taxOverride !== null
          ? taxOverride
          : lineTax(cents, rate4, lat === "Inclusive");
    const idIn = str(el["LineItemID"]);
    const keepId = idIn && existing.some((l) => l.LineItemID === idIn.toLowerCase());
    lines.push({
      LineItemID: keepId ? idIn.toLowerCase() : crypto.randomUUID(),
      Description: str(el["Description"]) ?? item?.Description ?? item?.Name,
      quantity4,
      unitAmount4,
      ItemCode: item?.Code ?? itemCode,
      AccountCode: account?.Code,
      AccountID: account?.AccountID,
      TaxType: lat === "NoTax" ? "NONE" : taxType,
      taxCents,
      lineCents: cents,
      ...(discountRate4 ? { discountRate4 } : {}),
      ...(Array.isArray(el["Tracking"]) ? { Tracking: el["Tracking"] } : {}),
    });
  }
  return { lines, errors };
}

export function totalsOf(lines: Line[], lat: LineAmountTypes): Totals {
  const lineSum = lines.reduce((s, l) => s + l.lineCents, 0);
  const tax = lines.reduce((s, l) => s + l.taxCents, 0);
  if (lat === "Inclusive") return { subTotalCents: lineSum - tax, totalTaxCents: tax, totalCents: lineSum };
  return { subTotalCents: lineSum, totalTaxCents: tax, totalCents: lineSum + tax };
}

export function renderLine(ctx: ApiContext, l: Line): Wire {
  return {
    LineItemID: l.LineItemID,
    ...(l.Description !== undefined ? { Description: l.Description } : {}),
    Quantity: unit4(l.quantity4),
    UnitAmount:
      ctx.unitdp === 4 ? unit4(l.unitAmount4) : money(Number(divRound(BigInt(l.unitAmount4), 100n))),
    ...(l.ItemCode ? { ItemCode: l.ItemCode } : {}),
    ...(l.AccountCode ? { AccountCode: l.AccountCode, AccountID: l.AccountID } : {}),
    ...(l.TaxType ? { TaxType: l.TaxType } : {}),
    TaxAmount: money(l.taxCents),
    LineAmount: money(l.lineCents),
    ...(l.discountRate4 ? { DiscountRate: money(Number(divRound(BigInt(l.discountRate4), 100n))) } : {}),
    Tracking: l.Tracking ?? [],
  };
}

/**
 * Zod schemas for the SP-API Retail Procurement Orders payloads (vendorOrders.json), one per API shape —
 * orders, the single order and the order status differ (status uses `buyerProductIdentifier`, nests the
 * ordered quantity, reports receipts) — and lenient where Amazon's own examples break the model
 * (shared/reference/amazon-vendor-central.md §2.5): enums compared case-insensitively ("CASES"),
 * `PARTIALLY_RECEIVE` accepted for `PARTIALLY_RECEIVED`, sequence numbers as "1", 1 or "001", money amounts
 * as decimal strings with an optional exponent (parsed exactly, never with parseFloat).
 */
import { z } from "zod";
import { parseScaled } from "./decimal";
import type { ConfirmationStatus, ReceiveStatus, StatedQuantity, UnitCost, WeightUnit } from "./model";

/** Case-insensitive enum: returns the canonical spelling. */
function ciEnum<const T extends string>(values: readonly T[], aliases: Record<string, T> = {}) {
  return z.string().transform((s, ctx): T => {
    const key = s.trim().toUpperCase();
    const hit = values.find((v) => v.toUpperCase() === key) ?? aliases[key];
    if (hit === undefined) {
      ctx.addIssue({ code: "custom", message: `"${s}" is not one of ${values.join(", ")}` });
      return z.NEVER;
    }
    return hit;
  });
}

/** An integer given as a JSON number or a digit string. */
const intLike = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = typeof v === "number" ? v : /^\s*-?\d+\s*$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    ctx.addIssue({ code: "custom", message: `"${String(v)}" is not a whole number` });
    return z.NEVER;
  }
  return n;
});

/** itemSequenceNumber: "1", 1 and "001" are the same line. */
export const sequenceSchema = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const text = String(v).trim();
  if (!/^\d{1,9}$/.test(text)) {
    ctx.addIssue({ code: "custom", message: `itemSequenceNumber "${text}" is not a positive number` });
    return z.NEVER;
  }
  return { sequence: Number(text), sequenceText: text };
});

const UOMS = ["Cases", "Eaches"] as const;
export const itemQuantitySchema = z
  .object({
    amount: intLike.refine((n) => n >= 0, "a quantity cannot be negative"),
    unitOfMeasure: ciEnum(UOMS, { CASE: "Cases", CS: "Cases", CA: "Cases", EACH: "Eaches", EA: "Eaches" }),
    unitSize: intLike.refine((n) => n > 0, "unitSize must be positive").optional(),
  })
  .transform(
    (q): StatedQuantity => ({
      amount: q.amount,
      unit: q.unitOfMeasure,
      ...(q.unitSize !== undefined ? { unitSize: q.unitSize } : {}),
    }),
  );

export const WEIGHT_UNITS = ["POUNDS", "OUNCES", "GRAMS", "KILOGRAMS"] as const;

/** Money → exact 4 dp unit cost. */
export const moneySchema = z
  .object({
    currencyCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/, "a currency code has 3 letters")
      .transform((s) => s.toUpperCase()),
    amount: z.union([z.string(), z.number()]).transform((v, ctx) => {
      const n = parseScaled(String(v), 4);
      if (n === undefined) {
        ctx.addIssue({
          code: "custom",
          message: `"${String(v)}" is not a decimal amount with at most 4 decimals`,
        });
        return z.NEVER;
      }
      return n;
    }),
    unitOfMeasure: ciEnum<WeightUnit>(WEIGHT_UNITS, {
      POUND: "POUNDS",
      LB: "POUNDS",
      LBS: "POUNDS",
      OUNCE: "OUNCES",
      OZ: "OUNCES",
      GRAM: "GRAMS",
      G: "GRAMS",
      KILOGRAM: "KILOGRAMS",
      KG: "KILOGRAMS",
    }).optional(),
  })
  .transform(
    (m): UnitCost => ({
      amount4: m.amount,
      currency: m.currencyCode,
      ...(m.unitOfMeasure ? { weightUnit: m.unitOfMeasure } : {}),
    }),
  );

/** ISO date-time (or date) → YYYY-MM-DD, lenient about fractional seconds. */
export const dateTimeSchema = z.string().transform((s, ctx) => {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s.trim());
  if (!m?.[1] || Number.isNaN(Date.parse(`${m[1]}T00:00:00Z`))) {
    ctx.addIssue({ code: "custom", message: `"${s}" is not an ISO 8601 date-time` });
    return z.NEVER;
  }
  return m[1];
});

/** "start--end" window. */
export const windowSchema = z.string().transform((s, ctx) => {
  const [start, end, ...rest] = s.split("--");
  if (!start || !end || rest.length > 0) {
    ctx.addIssue({ code: "custom", message: `"${s}" is not a window "start--end"` });
    return z.NEVER;
  }
  return { start: start.trim(), end: end.trim() };
});

/** Orders API party: `taxInfo` object and `postalCode` (the invoices API differs). */
export const orderPartySchema = z.object({
  partyId: z.string().trim().min(1),
  address: z
    .object({
      name: z.string().optional(),
      addressLine1: z.string().optional(),
      addressLine2: z.string().optional(),
      addressLine3: z.string().optional(),
      city: z.string().optional(),
      county: z.string().optional(),
      district: z.string().optional(),
      stateOrRegion: z.string().optional(),
      postalCode: z.string().optional(),
      countryCode: z.string().optional(),
      phone: z.string().optional(),
    })
    .optional(),
  taxInfo: z
    .object({ taxRegistrationType: z.string().optional(), taxRegistrationNumber: z.string().optional() })
    .optional(),
});

export const orderItemSchema = z.object({
  itemSequenceNumber: sequenceSchema,
  amazonProductIdentifier: z.string().trim().min(1).optional(),
  vendorProductIdentifier: z.string().trim().min(1).optional(),
  orderedQuantity: itemQuantitySchema,
  isBackOrderAllowed: z.boolean().optional(),
  netCost: moneySchema.optional(),
  listPrice: moneySchema.optional(),
});

export const PO_STATES = ["New", "Acknowledged", "Closed"] as const;

export const orderDetailsSchema = z.object({
  purchaseOrderDate: dateTimeSchema,
  purchaseOrderChangedDate: dateTimeSchema.optional(),
  purchaseOrderStateChangedDate: dateTimeSchema.optional(),
  purchaseOrderType: z.string().optional(),
  importDetails: z.record(z.string(), z.unknown()).optional(),
  dealCode: z.string().optional(),
  paymentMethod: z.string().optional(),
  buyingParty: orderPartySchema.optional(),
  sellingParty: orderPartySchema.optional(),
  shipToParty: orderPartySchema.optional(),
  billToParty: orderPartySchema.optional(),
  shipWindow: windowSchema.optional(),
  deliveryWindow: windowSchema.optional(),
  items: z.array(z.unknown()),
});

export const orderSchema = z.object({
  purchaseOrderNumber: z.string().trim().min(1),
  purchaseOrderState: ciEnum(PO_STATES).optional(),
  orderDetails: z.unknown().optional(),
});

export const RECEIVE_STATUSES = ["NOT_RECEIVED", "PARTIALLY_RECEIVED", "RECEIVED"] as const;
export const CONFIRMATION_STATUSES = ["ACCEPTED", "PARTIALLY_ACCEPTED", "REJECTED", "UNCONFIRMED"] as const;

export const statusItemSchema = z.object({
  itemSequenceNumber: sequenceSchema,
  buyerProductIdentifier: z.string().trim().min(1).optional(),
  vendorProductIdentifier: z.string().trim().min(1).optional(),
  netCost: moneySchema.optional(),
  listPrice: moneySchema.optional(),
  orderedQuantity: z
    .object({
      orderedQuantity: itemQuantitySchema.optional(),
      orderedQuantityDetails: z
        .array(
          z.object({
            updatedDate: dateTimeSchema.optional(),
            orderedQuantity: itemQuantitySchema.optional(),
            cancelledQuantity: itemQuantitySchema.optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  acknowledgementStatus: z
    .object({
      confirmationStatus: ciEnum<ConfirmationStatus>(CONFIRMATION_STATUSES).optional(),
      acceptedQuantity: itemQuantitySchema.optional(),
      rejectedQuantity: itemQuantitySchema.optional(),
      acknowledgementStatusDetails: z.array(z.unknown()).optional(),
    })
    .optional(),
  receivingStatus: z
    .object({
      receiveStatus: ciEnum<ReceiveStatus>(RECEIVE_STATUSES, {
        PARTIALLY_RECEIVE: "PARTIALLY_RECEIVED",
      }).optional(),
      receivedQuantity: itemQuantitySchema.optional(),
      lastReceiveDate: dateTimeSchema.optional(),
    })
    .optional(),
});

export const orderStatusSchema = z.object({
  purchaseOrderNumber: z.string().trim().min(1),
  purchaseOrderStatus: ciEnum(["OPEN", "CLOSED"] as const).optional(),
  purchaseOrderDate: dateTimeSchema.optional(),
  lastUpdatedDate: dateTimeSchema.optional(),
  sellingParty: orderPartySchema.optional(),
  shipToParty: orderPartySchema.optional(),
  itemStatus: z.array(z.unknown()),
});

export const errorListSchema = z.object({
  errors: z.array(z.object({ code: z.string(), message: z.string(), details: z.string().optional() })),
});

/** Eaches of a stated quantity: Cases × unitSize; Eaches as given. Undefined when Cases has no unitSize. */
export function toEaches(q: StatedQuantity): number | undefined {
  if (q.unit === "Eaches") return q.amount;
  return q.unitSize === undefined ? undefined : q.amount * q.unitSize;
}

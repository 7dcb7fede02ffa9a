import type { Clock } from "./clock";
import { msDate } from "./dates";
import { jsonResponse } from "./json";
import { lockDateError } from "./lock-dates";
import { validationException } from "./problems";
import type { App, Org } from "./records";
import type { Repo } from "./repo";

/** Everything an Accounting API handler needs for one request. */
export interface ApiContext {
  repo: Repo;
  clock: Clock;
  now: number;
  org: Org;
  tenantId: string;
  app: App;
  adviser: boolean;
  /** 4 when the request sent unitdp=4, else 2. */
  unitdp: 2 | 4;
  /** false only when summarizeErrors=false was sent (the API's real default summarises). */
  summarize: boolean;
  query: URLSearchParams;
}

export type Wire = Record<string, unknown>;

/** One element of a batch write: either saved (wire = the stored document) or rejected. */
export interface ElementResult {
  wire: Wire;
  errors: string[];
  warnings?: string[];
}

export const ok = (wire: Wire, warnings?: string[]): ElementResult => ({ wire, errors: [], warnings });
export const fail = (input: unknown, errors: string[]): ElementResult => ({
  wire: isRecord(input) ? input : {},
  errors,
});

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v : undefined;

export function lockError(ctx: ApiContext, date: number): string | null {
  return lockDateError(ctx.org, ctx.adviser, date);
}

/** The response envelope every Accounting response shares. */
export function envelope(ctx: ApiContext, key: string, items: unknown[], extra: Wire = {}): Wire {
  return {
    Id: crypto.randomUUID(),
    Status: "OK",
    ProviderName: ctx.app.name,
    DateTimeUTC: msDate(ctx.now),
    ...extra,
    [key]: items,
  };
}

/**
 * Answer a batch write as Xero does. summarizeErrors=false → 200 with every element and its
 * StatusAttributeString; default → 400 ValidationException listing only failed elements (the valid
 * ones have already been saved — Xero's partial commit).
 */
export function batchResponse(ctx: ApiContext, key: string, results: ElementResult[]): Response {
  const failed = results.filter((r) => r.errors.length > 0);
  const withStatus = (r: ElementResult): Wire =>
    r.errors.length > 0
      ? {
          ...r.wire,
          HasErrors: true,
          StatusAttributeString: "ERROR",
          ValidationErrors: r.errors.map((Message) => ({ Message })),
        }
      : {
          ...r.wire,
          StatusAttributeString: r.warnings?.length ? "WARNING" : "OK",
          ...(r.warnings?.length ? { Warnings: r.warnings.map((Message) => ({ Message })) } : {}),
        };
  if (!ctx.summarize) return jsonResponse(envelope(ctx, key, results.map(withStatus)));
  if (failed.length > 0) return validationException(failed.map(withStatus));
  return jsonResponse(
    envelope(
      ctx,
      key,
      results.map((r) => r.wire),
    ),
  );
}

/** Read the plural array of a write body, e.g. {"Invoices":[…]}; a bare single object is accepted too. */
export function elementsOf(body: unknown, key: string): unknown[] | null {
  if (!isRecord(body)) return null;
  const arr = body[key];
  if (Array.isArray(arr)) return arr;
  return [body];
}

/**
 * One JSON error envelope for every status ≥ 400 (docs/api-contract.md "Conventions"):
 * { error: { code, message, requestId, issues? } }. Routes throw ApiError; onError renders it.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { XeroApiError } from "../xero/client";

export interface Issue {
  path: (string | number)[];
  message: string;
  row?: number;
  column?: string;
  cell?: string;
  sheet?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const unauthorized = () =>
  new ApiError(401, "unauthorized", "Sign in again: the session or API key is missing, expired or revoked.");
/** Used for anything the caller may not see, so existence never leaks. */
export const notFound = (what = "resource") => new ApiError(404, "not_found", `No such ${what}.`);
export const badRequest = (message: string, issues?: Issue[]) =>
  new ApiError(400, "bad_request", message, issues);
export const reconnectNeeded = () =>
  new ApiError(
    409,
    "reconnect_needed",
    "Xero no longer accepts this organisation's connection; reconnect it with Sign in with Xero.",
  );

export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
    message: i.message,
  }));
}

export function validationFailed(error: z.ZodError, where: string): ApiError {
  return new ApiError(422, "validation_failed", `The ${where} is not valid.`, zodIssues(error));
}

export function requestIdOf(c: Context): string {
  return (c.get("requestId" as never) as string | undefined) ?? "";
}

export function errorBody(c: Context, err: ApiError) {
  return {
    error: {
      code: err.code,
      message: err.message,
      requestId: requestIdOf(c),
      ...(err.issues ? { issues: err.issues } : {}),
    },
    ...(err.extra ?? {}),
  };
}

/** Xero refusing or failing a read the route needed: never a bare 500. */
function fromXero(err: XeroApiError): ApiError {
  const r = err.response;
  if (r.status === 429) {
    return new ApiError(
      503,
      "xero_rate_limited",
      `Xero's ${r.rateLimitProblem ?? "API"} limit was reached; try again later.`,
      undefined,
      {
        retryAfterSeconds: r.retryAfterSeconds ?? null,
      },
    );
  }
  return new ApiError(502, "xero_error", `Xero answered HTTP ${r.status}; nothing was changed.`);
}

export function renderError(c: Context, err: unknown): Response {
  if (err instanceof XeroApiError) {
    const mapped = fromXero(err);
    if (err.response.retryAfterSeconds !== undefined)
      c.header("retry-after", String(err.response.retryAfterSeconds));
    return c.json(errorBody(c, mapped), mapped.status);
  }
  if (err instanceof ApiError) return c.json(errorBody(c, err), err.status);
  console.error(err);
  return c.json(
    errorBody(c, new ApiError(500, "internal", "Something went wrong on our side; nothing was changed.")),
    500,
  );
}

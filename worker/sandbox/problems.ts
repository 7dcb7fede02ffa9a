import { jsonResponse } from "./json";

/** Problem-JSON bodies Xero uses for 401/403/404/429/5xx (shape as reported in xero-node issues). */
export function problem(status: number, title: string, detail: string, headers: Record<string, string> = {}) {
  return jsonResponse(
    {
      Type: null,
      Title: title,
      Status: status,
      Detail: detail,
      Instance: crypto.randomUUID(),
      Extensions: {},
    },
    status,
    headers,
  );
}

export const unauthorized = (detail = "AuthenticationUnsuccessful") => problem(401, "Unauthorized", detail);
export const forbidden = (detail = "AuthenticationUnsuccessful") => problem(403, "Forbidden", detail);
export const notFound = () =>
  problem(404, "NotFound", "The resource you're looking for cannot be found or has been removed.");

export const VALIDATION_MESSAGE = "A validation exception occurred";

/** HTTP 400 ValidationException with the failing elements echoed (ErrorNumber 10). */
export function validationException(elements: unknown[]): Response {
  return jsonResponse(
    { ErrorNumber: 10, Type: "ValidationException", Message: VALIDATION_MESSAGE, Elements: elements },
    400,
  );
}

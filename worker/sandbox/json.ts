import { Dec } from "./money";

/** JSON.stringify that writes Dec values as bare numbers with their exact decimals. */
export function toJson(value: unknown): string {
  return JSON.stringify(value).replace(/"@@DEC@@(-?\d+(?:\.\d+)?)@@"/g, "$1");
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(toJson(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

export { Dec };

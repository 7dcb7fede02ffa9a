import { exports } from "cloudflare:workers";

export const BASE = "http://sandbox.test";

export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test helper over arbitrary Xero JSON
  body: any;
}

export async function call(path: string, init: RequestInit = {}): Promise<Reply> {
  const res = await exports.default.fetch(`${BASE}${path}`, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body };
}

export async function raw(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, init);
}

export interface TestOrg {
  tenantId: string;
  connectionId: string;
  accessToken: string;
  refreshToken: string;
}

export async function newOrg(opts: { version?: "US" | "UK"; adviser?: boolean; dailyLimit?: number } = {}) {
  const r = await call("/sandbox/tenants", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(opts),
  });
  if (r.status !== 201) throw new Error(`newOrg failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as TestOrg;
}

export async function setClock(iso: string): Promise<void> {
  await call("/sandbox/clock", { method: "POST", body: JSON.stringify({ now: iso, freeze: true }) });
}

export async function advanceClock(ms: number): Promise<void> {
  await call("/sandbox/clock", { method: "POST", body: JSON.stringify({ advanceMs: ms }) });
}

export async function patchTenant(tenantId: string, patch: Record<string, unknown>): Promise<void> {
  const r = await call(`/sandbox/tenants/${tenantId}`, { method: "PATCH", body: JSON.stringify(patch) });
  if (r.status !== 200) throw new Error(`patchTenant failed: ${r.status}`);
}

/** A tiny Xero client bound to one test organisation. */
export function xero(org: TestOrg) {
  const headers = (extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${org.accessToken}`,
    "xero-tenant-id": org.tenantId,
    "content-type": "application/json",
    accept: "application/json",
    ...extra,
  });
  const send = (method: string, path: string, body?: unknown, extra?: Record<string, string>) =>
    call(`/api.xro/2.0${path}`, {
      method,
      headers: headers(extra),
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
  return {
    get: (path: string, extra?: Record<string, string>) => send("GET", path, undefined, extra),
    put: (path: string, body: unknown, extra?: Record<string, string>) => send("PUT", path, body, extra),
    post: (path: string, body: unknown, extra?: Record<string, string>) => send("POST", path, body, extra),
    delete: (path: string) => send("DELETE", path),
  };
}

export type Client = ReturnType<typeof xero>;

/** Look up the seeded records a test needs. */
export async function seeded(x: Client) {
  const contacts = await x.get("/Contacts");
  const amazon = contacts.body.Contacts.find(
    (c: { ContactNumber?: string }) => c.ContactNumber === "AMAZON-VC",
  );
  const inv = async (num: string) => (await x.get(`/Invoices/${num}`)).body.Invoices[0];
  return {
    amazonId: amazon.ContactID as string,
    invA: await inv("INV-A"),
    invB: await inv("INV-B"),
    invC: await inv("INV-C"),
  };
}

export const invoiceBody = (
  contactId: string,
  lines: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
) => ({
  Invoices: [
    {
      Type: "ACCREC",
      Contact: { ContactID: contactId },
      Date: "2026-02-10",
      DueDate: "2026-03-10",
      LineAmountTypes: "Exclusive",
      LineItems: lines,
      ...extra,
    },
  ],
});

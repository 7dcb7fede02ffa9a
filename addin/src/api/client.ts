/**
 * Client for the VCX Worker API (docs/api-contract.md). One method per route; errors arrive as ApiError
 * carrying the contract's envelope. No Office or DOM dependencies beyond fetch.
 */
import type { ApiDispute, DisputeStatus } from "../model/disputes";
import type { ApiException } from "../model/exceptions";
import type { HealthJson } from "../model/health";
import type { ReferenceData } from "../model/lists";
import type { MonthEndJson } from "../model/month-end";
import type { Job, PostAccepted, UndoAccepted } from "../model/posting";
import type { PoImportJson, PoPreviewJson } from "../model/purchase-orders";
import type { Organisation, OrgStatus } from "../model/state";
import type { PlanJson, RemittanceJson } from "../model/types";
import type { MappingValidationError } from "../model/validation";

export interface ApiIssue {
  path?: (string | number)[];
  message: string;
  row?: number;
  column?: string;
  cell?: string;
  sheet?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
    readonly body?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface Session {
  token: string;
  expiresAt: string;
  user: { id: string; email: string | null; name: string | null };
}

export type Grid = string[][];
export type SheetGrids = Record<string, Grid>;

export interface UploadResult {
  ok: boolean;
  id?: string;
  remittance?: RemittanceJson;
  error?: { code: string; message: string };
}

export interface ApiOptions {
  baseUrl: string;
  token?: () => string | undefined;
  fetch?: typeof fetch;
}

export class VcxApi {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;

  private token?: string;

  constructor(private readonly options: ApiOptions) {
    this.base = options.baseUrl.replace(/\/+$/, "");
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** The session token for later calls (after the code exchange); undefined signs out. */
  setToken(token: string | undefined): void {
    this.token = token;
  }

  /** The URL the sign-in dialog navigates to (the Worker redirects to Xero). */
  signInUrl(returnOrigin: string): string {
    return `${this.base}/v1/auth/xero/start?return=${encodeURIComponent(returnOrigin)}`;
  }

  exchange(code: string): Promise<Session> {
    return this.json("POST", "/v1/auth/exchange", { code }, false);
  }

  async logout(): Promise<void> {
    await this.request("POST", "/v1/auth/logout");
  }

  async organisations(): Promise<Organisation[]> {
    return (await this.json<{ organisations: Organisation[] }>("GET", "/v1/organisations")).organisations;
  }

  status(orgId: string): Promise<OrgStatus> {
    return this.json("GET", `${org(orgId)}/status`);
  }

  reference(orgId: string, refresh = false): Promise<ReferenceData> {
    return refresh
      ? this.json("POST", `${org(orgId)}/reference/refresh`)
      : this.json("GET", `${org(orgId)}/reference`);
  }

  mappings(
    orgId: string,
  ): Promise<{ version: number; updatedBy?: string; updatedAt?: string; sheets: SheetGrids }> {
    return this.json("GET", `${org(orgId)}/mappings`);
  }

  validateMappings(
    orgId: string,
    sheets: SheetGrids,
  ): Promise<{ ok: boolean; errors: MappingValidationError[] }> {
    return this.json("POST", `${org(orgId)}/mappings/validate`, { sheets });
  }

  /** Replace one mapping table. A 422 resolves with the errors instead of throwing. */
  async saveMapping(
    orgId: string,
    sheet: string,
    rows: Grid,
  ): Promise<{ ok: true; version: number } | { ok: false; errors: MappingValidationError[] }> {
    const res = await this.request("PUT", `${org(orgId)}/mappings/${encodeURIComponent(sheet)}`, { rows });
    const body = await readJson(res);
    if (res.status === 422) return { ok: false, errors: validationErrors(body, sheet) };
    if (!res.ok) throw toError(res, body);
    return { ok: true, version: (body as { version: number }).version };
  }

  uploadFile(
    orgId: string,
    fileName: string,
    bytes: Uint8Array,
    locale?: "us" | "eu",
  ): Promise<UploadResult> {
    const q = locale ? `?locale=${locale}` : "";
    return this.upload(`${org(orgId)}/remittances${q}`, bytes as Uint8Array<ArrayBuffer>, {
      "Content-Type": "application/octet-stream",
      "X-File-Name": fileName,
    });
  }

  uploadGrid(
    orgId: string,
    body: { fileName: string; sheetName?: string; rows: unknown[][]; locale?: "us" | "eu" },
  ): Promise<UploadResult> {
    return this.upload(`${org(orgId)}/remittances`, JSON.stringify(body), {
      "Content-Type": "application/json",
    });
  }

  async preview(orgId: string, remittanceId: string): Promise<PlanJson> {
    const r = await this.json<{ plan: PlanJson }>(
      "POST",
      `${org(orgId)}/remittances/${enc(remittanceId)}/preview`,
    );
    return r.plan;
  }

  /** Queue the remittance's plan for posting: 202 with the job to poll (an existing one when `created` is false). */
  async post(orgId: string, remittanceId: string): Promise<PostAccepted> {
    const r = await this.json<PostAccepted>("POST", `${org(orgId)}/remittances/${enc(remittanceId)}/post`);
    if (typeof r?.jobId !== "string" || !r.jobId)
      throw new ApiError(
        502,
        "bad_response",
        "The VCX service accepted the posting but named no job.",
        [],
        r,
      );
    return r;
  }

  job(jobId: string): Promise<Job> {
    return this.json("GET", `/v1/jobs/${enc(jobId)}`);
  }

  /** Pause, resume or cancel a job: the job view as it stands after the action. */
  jobAction(jobId: string, action: "cancel" | "pause" | "resume"): Promise<Job> {
    return this.json("POST", `/v1/jobs/${enc(jobId)}/${action}`);
  }

  /** Reverse what the remittance's post jobs posted: 202 with the undo job(s) to poll. */
  async undo(orgId: string, remittanceId: string): Promise<UndoAccepted> {
    const r = await this.json<UndoAccepted>("POST", `${org(orgId)}/remittances/${enc(remittanceId)}/undo`);
    if (typeof r?.jobId !== "string" || !r.jobId)
      throw new ApiError(502, "bad_response", "The VCX service accepted the undo but named no job.", [], r);
    return { jobId: r.jobId, jobIds: Array.isArray(r.jobIds) ? r.jobIds : [r.jobId] };
  }

  // ---- purchase orders ------------------------------------------------------------------------

  /** Upload one PO file (SP-API JSON or X12 850/855). A replay of the same bytes answers 200. */
  uploadPurchaseOrders(orgId: string, fileName: string, bytes: Uint8Array): Promise<PoImportJson> {
    return this.raw("POST", `${org(orgId)}/purchase-orders`, bytes as Uint8Array<ArrayBuffer>, {
      "Content-Type": "application/octet-stream",
      "X-File-Name": fileName,
    });
  }

  previewPurchaseOrders(
    orgId: string,
    options: { purchaseOrderNumbers?: string[]; basis?: "received" | "accepted" } = {},
  ): Promise<PoPreviewJson> {
    return this.json("POST", `${org(orgId)}/purchase-orders/preview`, options);
  }

  async postPurchaseOrders(orgId: string): Promise<PostAccepted> {
    const r = await this.json<PostAccepted>("POST", `${org(orgId)}/purchase-orders/post`);
    if (typeof r?.jobId !== "string" || !r.jobId)
      throw new ApiError(
        502,
        "bad_response",
        "The VCX service accepted the posting but named no job.",
        [],
        r,
      );
    return r;
  }

  // ---- monitoring -----------------------------------------------------------------------------

  health(orgId: string): Promise<HealthJson> {
    return this.json("GET", `${org(orgId)}/health`);
  }

  monthEnd(orgId: string, period: string): Promise<MonthEndJson> {
    return this.json("GET", `${org(orgId)}/reports/month/${enc(period)}?format=json`);
  }

  async exceptions(
    orgId: string,
    query: { remittanceId?: string; kind?: string; status?: "open" | "resolved" } = {},
  ): Promise<ApiException[]> {
    const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1]));
    const qs = q.toString();
    return (
      await this.json<{ exceptions: ApiException[] }>("GET", `${org(orgId)}/exceptions${qs ? `?${qs}` : ""}`)
    ).exceptions;
  }

  async updateException(orgId: string, id: string, patch: { status?: "open" | "resolved"; note?: string }) {
    const res = await this.request("PATCH", `${org(orgId)}/exceptions/${enc(id)}`, patch);
    if (!res.ok) throw toError(res, await readJson(res));
  }

  /** The dispute register, soonest deadline first. */
  async disputes(orgId: string, status?: DisputeStatus): Promise<{ today: string; disputes: ApiDispute[] }> {
    return this.json("GET", `${org(orgId)}/disputes${status ? `?status=${enc(status)}` : ""}`);
  }

  /** Move one dispute to a new status: the updated record; a refused move throws ApiError 409 invalid_transition. */
  updateDispute(
    orgId: string,
    key: string,
    body: { status: DisputeStatus; note?: string },
  ): Promise<ApiDispute> {
    return this.json("PATCH", `${org(orgId)}/disputes/${enc(key)}`, body);
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private async upload(path: string, body: BodyInit, headers: Record<string, string>): Promise<UploadResult> {
    const res = await this.fetchFn(this.base + path, {
      method: "POST",
      body,
      headers: this.headers(headers),
    });
    const json = (await readJson(res)) as {
      id?: string;
      remittance?: RemittanceJson;
      error?: { code: string; message: string };
    };
    if (res.status === 201 || res.status === 200)
      return { ok: true, id: json.id, remittance: json.remittance };
    if (res.status === 422 && json.remittance)
      return { ok: false, remittance: json.remittance, error: json.error };
    throw toError(res, json);
  }

  private async raw<T>(
    method: string,
    path: string,
    body: BodyInit,
    headers: Record<string, string>,
  ): Promise<T> {
    const res = await this.fetchFn(this.base + path, { method, body, headers: this.headers(headers) });
    const json = await readJson(res);
    if (!res.ok) throw toError(res, json);
    return json as T;
  }

  private headers(extra: Record<string, string> = {}, auth = true): Record<string, string> {
    const h: Record<string, string> = { Accept: "application/json", ...extra };
    const token = auth ? (this.options.token?.() ?? this.token) : undefined;
    if (token) h["Authorization"] = `Bearer ${token}`;
    return h;
  }

  private request(method: string, path: string, body?: unknown, auth = true): Promise<Response> {
    return this.fetchFn(this.base + path, {
      method,
      headers: this.headers(body === undefined ? {} : { "Content-Type": "application/json" }, auth),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  private async json<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    const res = await this.request(method, path, body, auth);
    const json = await readJson(res);
    if (!res.ok) throw toError(res, json);
    return json as T;
  }
}

const enc = encodeURIComponent;
const org = (orgId: string) => `/v1/organisations/${enc(orgId)}`;

async function readJson(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { error: { code: "not_json", message: text.slice(0, 200) } };
  }
}

function toError(res: Response, body: unknown): ApiError {
  const e = (body as { error?: { code?: string; message?: string; issues?: ApiIssue[] } } | undefined)?.error;
  return new ApiError(
    res.status,
    e?.code ?? `http_${res.status}`,
    e?.message ?? `The VCX service answered ${res.status} ${res.statusText}`.trim(),
    e?.issues ?? [],
    body,
  );
}

/** A 422 from PUT mappings: `{ errors: […] }` (as validate) or the envelope's `issues`. */
function validationErrors(body: unknown, sheet: string): MappingValidationError[] {
  const b = body as { errors?: MappingValidationError[]; error?: { message?: string; issues?: ApiIssue[] } };
  if (Array.isArray(b?.errors)) return b.errors;
  const issues = b?.error?.issues ?? [];
  if (issues.length === 0) return [{ sheet, message: b?.error?.message ?? "The mapping was rejected." }];
  return issues.map((i) => ({
    sheet: i.sheet ?? sheet,
    ...(i.row !== undefined ? { row: i.row } : {}),
    ...(i.column !== undefined ? { column: i.column } : {}),
    ...(i.cell !== undefined ? { cell: i.cell } : {}),
    message: i.message,
  }));
}

/**
 * Pull purchase orders (and their status) for a date range: 7-day windows, every nextToken page, each page
 * read by the domain reader, then merged. Failures become problems (never thrown) so a scheduled pull for an
 * organisation reports what it could not fetch and keeps what it could.
 */
import { assemblePurchaseOrders } from "../domain/po/assemble";
import { readPoValue } from "../domain/po/json";
import type { PoProblem, PoReadResult, PurchaseOrder } from "../domain/po/model";
import { AmazonApiError, type Query, type SpApiClient } from "./client";
import { dateWindows } from "./windows";

export interface PullOptions {
  /** ISO date-times; the range is split into ≤ 7-day windows and cut at 6 months back. */
  createdAfter: string;
  createdBefore: string;
  /** Also fetch getPurchaseOrdersStatus for the same windows (accepted/received quantities). */
  includeStatus?: boolean;
  orderingVendorCode?: string;
  /** Extra getPurchaseOrders parameters (sortOrder, includeDetails, limit …). */
  query?: Query;
  /** Epoch ms for the history cap (default Date.now()). */
  now?: number;
  /** Safety stop per window (default 500 pages). */
  maxPages?: number;
}

export interface PullResult {
  orders: PurchaseOrder[];
  problems: PoProblem[];
  pages: PoReadResult[];
  windows: { after: string; before: string }[];
}

async function pageThrough(
  client: SpApiClient,
  op: "getPurchaseOrders" | "getPurchaseOrdersStatus",
  query: Query,
  label: string,
  maxPages: number,
  pages: PoReadResult[],
  problems: PoProblem[],
): Promise<void> {
  const seen = new Set<string>();
  let token: string | undefined;
  for (let n = 1; n <= maxPages; n++) {
    const q = token === undefined ? query : { ...query, nextToken: token };
    let json: unknown;
    try {
      json =
        op === "getPurchaseOrders"
          ? await client.getPurchaseOrders(q)
          : await client.getPurchaseOrdersStatus(q);
    } catch (e) {
      problems.push({
        severity: "error",
        code: "amazon_unavailable",
        file: `${op} ${label} page ${n}`,
        message: `${op} ${label} page ${n} failed: ${e instanceof AmazonApiError || e instanceof Error ? e.message : String(e)}`,
      });
      return;
    }
    const page = readPoValue(`${op} ${label} page ${n}`, json);
    pages.push(page);
    if (page.nextToken === undefined) return;
    if (seen.has(page.nextToken)) {
      problems.push({
        severity: "warning",
        code: "paging_loop",
        file: `${op} ${label}`,
        message: `${op} ${label}: Amazon returned nextToken ${page.nextToken} again; paging stopped`,
      });
      return;
    }
    seen.add(page.nextToken);
    token = page.nextToken;
  }
  problems.push({
    severity: "warning",
    code: "too_many_pages",
    file: `${op} ${label}`,
    message: `${op} ${label}: stopped after ${maxPages} pages`,
  });
}

export async function pullPurchaseOrders(client: SpApiClient, options: PullOptions): Promise<PullResult> {
  const now = options.now ?? client.deps.now?.() ?? Date.now();
  const plan = dateWindows(options.createdAfter, options.createdBefore, now);
  const problems: PoProblem[] = [];
  const pages: PoReadResult[] = [];
  if (plan.cappedAt)
    problems.push({
      severity: "warning",
      code: "history_capped",
      file: "getPurchaseOrders",
      message: `Amazon keeps 6 months of purchase orders; the pull starts at ${plan.cappedAt} instead of ${options.createdAfter}`,
    });
  if (plan.windows.length === 0 && !plan.cappedAt)
    problems.push({
      severity: "error",
      code: "bad_range",
      file: "getPurchaseOrders",
      message: `${options.createdAfter} … ${options.createdBefore} is not a date range`,
    });
  const maxPages = options.maxPages ?? 500;
  for (const w of plan.windows) {
    const label = `${w.after}..${w.before}`;
    await pageThrough(
      client,
      "getPurchaseOrders",
      {
        ...options.query,
        createdAfter: w.after,
        createdBefore: w.before,
        ...(options.orderingVendorCode ? { orderingVendorCode: options.orderingVendorCode } : {}),
      },
      label,
      maxPages,
      pages,
      problems,
    );
    if (options.includeStatus)
      await pageThrough(
        client,
        "getPurchaseOrdersStatus",
        { createdAfter: w.after, createdBefore: w.before },
        label,
        maxPages,
        pages,
        problems,
      );
  }
  const merged = assemblePurchaseOrders(pages);
  return { orders: merged.orders, problems: [...problems, ...merged.problems], pages, windows: plan.windows };
}

import type { Hono } from "hono";
import { type ApiEnv, jsonBody } from "./api-app";
import { batchResponse, elementsOf, envelope } from "./api-context";
import { parseTimestamp } from "./dates";
import { jsonResponse } from "./json";
import { paginate } from "./paging";
import { notFound } from "./problems";
import type { SalesDoc } from "./records";
import { type DocKindSpec, findDoc, renderSalesDoc, salesWhereView, saveSalesDoc } from "./sales-docs";
import { settlement } from "./settlement";
import { applyWhere } from "./where";

/** GET list/one, PUT create, POST create-or-update, POST /{id} update — for invoices or credit notes. */
export function mountSalesRoutes(app: Hono<ApiEnv>, spec: DocKindSpec): void {
  const base = `/${spec.key}`;

  app.get(base, (c) => {
    const ctx = c.get("api");
    const q = ctx.query;
    let list = ctx.repo.list<SalesDoc>(ctx.tenantId, spec.kind);
    const ids = q.get("IDs");
    if (ids) {
      const set = new Set(
        ids
          .toLowerCase()
          .split(",")
          .map((s) => s.trim()),
      );
      list = list.filter((d) => set.has(d.id));
    }
    const numbers = q.get(spec.kind === "invoice" ? "InvoiceNumbers" : "CreditNoteNumbers");
    if (numbers) {
      const set = new Set(numbers.split(",").map((s) => s.trim().toLowerCase()));
      list = list.filter((d) => set.has(d.number.toLowerCase()));
    }
    const contactIds = q.get("ContactIDs");
    if (contactIds) {
      const set = new Set(contactIds.toLowerCase().split(","));
      list = list.filter((d) => set.has(d.ContactID));
    }
    const statuses = q.get("Statuses");
    if (statuses) {
      const set = new Set(statuses.toUpperCase().split(","));
      list = list.filter((d) => set.has(settlement(ctx, d).status));
    }
    const since = parseTimestamp(c.req.header("If-Modified-Since"));
    if (since !== null) list = list.filter((d) => d.updatedMs >= since);
    const where = q.get("where");
    if (where) list = applyWhere(list, where, (d) => salesWhereView(ctx, d));
    const term = q.get("searchTerm")?.toLowerCase();
    if (term) {
      list = list.filter(
        (d) => d.number.toLowerCase().includes(term) || (d.Reference ?? "").toLowerCase().includes(term),
      );
    }
    const order = q.get("order");
    if (order) {
      const [field = "", dir] = order.trim().split(/\s+/);
      const desc = dir?.toUpperCase() === "DESC";
      list = [...list].sort((a, b) => {
        const va = salesWhereView(ctx, a)[field] as string | number;
        const vb = salesWhereView(ctx, b)[field] as string | number;
        return (va < vb ? -1 : va > vb ? 1 : 0) * (desc ? -1 : 1);
      });
    }
    // A list without `page` omits line items (Xero §1); paged responses include them.
    const page = paginate(list, q);
    const summaryOnly = q.get("summaryOnly") === "true";
    const items = page.items.map((d) => renderSalesDoc(ctx, spec, d, page.paged && !summaryOnly));
    return jsonResponse(envelope(ctx, spec.key, items, page.paged ? { pagination: page.pagination } : {}));
  });

  app.get(`${base}/:ref`, (c) => {
    const ctx = c.get("api");
    const doc = findDoc(ctx, spec, c.req.param("ref"));
    return doc ? jsonResponse(envelope(ctx, spec.key, [renderSalesDoc(ctx, spec, doc, true)])) : notFound();
  });

  for (const [method, mode] of [
    ["put", "create"],
    ["post", "upsert"],
  ] as const) {
    app[method](base, async (c) => {
      const ctx = c.get("api");
      const els = elementsOf(await jsonBody(c.req.raw), spec.key) ?? [];
      return batchResponse(
        ctx,
        spec.key,
        els.map((el) => saveSalesDoc(ctx, spec, el, mode)),
      );
    });
  }

  app.post(`${base}/:ref`, async (c) => {
    const ctx = c.get("api");
    const ref = c.req.param("ref");
    if (!findDoc(ctx, spec, ref)) return notFound();
    const els = elementsOf(await jsonBody(c.req.raw), spec.key) ?? [];
    return batchResponse(ctx, spec.key, [saveSalesDoc(ctx, spec, els[0], "upsert", ref)]);
  });
}

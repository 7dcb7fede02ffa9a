import { jsonBody, resourceRouter } from "./api-app";
import {
  type ApiContext,
  batchResponse,
  type ElementResult,
  elementsOf,
  envelope,
  fail,
  isRecord,
  ok,
  str,
  type Wire,
} from "./api-context";
import { msDate } from "./dates";
import { jsonResponse } from "./json";
import { money, toScaled, unit4 } from "./money";
import { notFound } from "./problems";
import type { Item } from "./records";

export function findItem(ctx: ApiContext, code: string): Item | undefined {
  return ctx.repo.byNumber<Item>(ctx.tenantId, "item", code);
}

export function renderItem(ctx: ApiContext, i: Item): Wire {
  const price = i.sales?.unitPrice4;
  return {
    ItemID: i.ItemID,
    Code: i.Code,
    Name: i.Name,
    ...(i.Description ? { Description: i.Description } : {}),
    IsSold: i.IsSold,
    IsPurchased: i.IsPurchased,
    IsTrackedAsInventory: false,
    SalesDetails: {
      ...(price !== undefined
        ? { UnitPrice: ctx.unitdp === 4 ? unit4(price) : money(Math.round(price / 100)) }
        : {}),
      ...(i.sales?.AccountCode ? { AccountCode: i.sales.AccountCode } : {}),
      ...(i.sales?.TaxType ? { TaxType: i.sales.TaxType } : {}),
    },
    PurchaseDetails: {},
    UpdatedDateUTC: msDate(i.updatedMs),
  };
}

function saveItem(
  ctx: ApiContext,
  input: unknown,
  mode: "create" | "upsert",
  pathId?: string,
): ElementResult {
  if (!isRecord(input)) return fail(input, ["Item Code must be specified"]);
  const code = str(input["Code"]);
  const id = pathId ?? str(input["ItemID"]);
  let existing: Item | undefined;
  if (id) existing = ctx.repo.get<Item>(ctx.tenantId, "item", id.toLowerCase());
  if (!existing && code && mode === "upsert") existing = findItem(ctx, code);
  const finalCode = code ?? existing?.Code;
  if (!finalCode) return fail(input, ["Item Code must be specified"]);
  const clash = findItem(ctx, finalCode);
  if (clash && clash.ItemID !== existing?.ItemID) {
    return fail(input, [`Price List Item with Code '${finalCode}' already exists`]);
  }
  const sd = isRecord(input["SalesDetails"]) ? input["SalesDetails"] : undefined;
  const unitPrice = sd ? toScaled(sd["UnitPrice"], ctx.unitdp) : null;
  const item: Item = {
    ItemID: existing?.ItemID ?? crypto.randomUUID(),
    Code: finalCode,
    Name: str(input["Name"]) ?? existing?.Name ?? finalCode,
    Description: str(input["Description"]) ?? existing?.Description,
    IsSold: typeof input["IsSold"] === "boolean" ? input["IsSold"] : (existing?.IsSold ?? true),
    IsPurchased:
      typeof input["IsPurchased"] === "boolean" ? input["IsPurchased"] : (existing?.IsPurchased ?? true),
    sales: sd
      ? {
          unitPrice4: unitPrice === null ? undefined : unitPrice * (ctx.unitdp === 4 ? 1 : 100),
          AccountCode: str(sd["AccountCode"]),
          TaxType: str(sd["TaxType"]),
        }
      : existing?.sales,
    updatedMs: ctx.now,
  };
  if (item.Code.length > 30) return fail(input, ["Item Code must not be more than 30 characters long"]);
  ctx.repo.put(ctx.tenantId, "item", item.ItemID, item, item.Code);
  return ok(renderItem(ctx, item));
}

export const itemsRoutes = resourceRouter();

itemsRoutes.get("/Items", (c) => {
  const ctx = c.get("api");
  const list = ctx.repo.list<Item>(ctx.tenantId, "item");
  return jsonResponse(
    envelope(
      ctx,
      "Items",
      list.map((i) => renderItem(ctx, i)),
    ),
  );
});

itemsRoutes.get("/Items/:ref", (c) => {
  const ctx = c.get("api");
  const ref = c.req.param("ref");
  const item = ctx.repo.get<Item>(ctx.tenantId, "item", ref.toLowerCase()) ?? findItem(ctx, ref);
  return item ? jsonResponse(envelope(ctx, "Items", [renderItem(ctx, item)])) : notFound();
});

for (const [method, mode] of [
  ["put", "create"],
  ["post", "upsert"],
] as const) {
  itemsRoutes[method]("/Items", async (c) => {
    const ctx = c.get("api");
    const els = elementsOf(await jsonBody(c.req.raw), "Items") ?? [];
    return batchResponse(
      ctx,
      "Items",
      els.map((el) => saveItem(ctx, el, mode)),
    );
  });
}

itemsRoutes.post("/Items/:id", async (c) => {
  const ctx = c.get("api");
  const els = elementsOf(await jsonBody(c.req.raw), "Items") ?? [];
  return batchResponse(ctx, "Items", [saveItem(ctx, els[0], "upsert", c.req.param("id"))]);
});

itemsRoutes.delete("/Items/:id", (c) => {
  const ctx = c.get("api");
  const id = c.req.param("id").toLowerCase();
  if (!ctx.repo.get<Item>(ctx.tenantId, "item", id)) return notFound();
  ctx.repo.delete(ctx.tenantId, "item", id);
  return new Response(null, { status: 204 });
});

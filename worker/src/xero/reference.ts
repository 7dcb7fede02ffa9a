/**
 * Reference data (accounts, tax rates, items, contacts): read from Xero with If-Modified-Since, merged into
 * the D1 cache, served in the shape the add-in's dropdowns need and the planner's snapshot reads.
 */
import { checkArchivedAccounts } from "../monitoring/checks";
import { nowIso } from "../store/time";
import type { XeroClient } from "./client";
import { fromXero } from "./models";

export interface AccountRef {
  accountId?: string;
  code: string;
  name: string;
  type: string;
  status: string;
  enablePaymentsToAccount: boolean;
  taxType?: string;
  systemAccount?: string;
}
export interface TaxRateRef {
  taxType: string;
  name: string;
  /** Effective rate, percent, as a decimal string. */
  rate: string;
  status: string;
  canApplyToAssets?: boolean;
  canApplyToEquity?: boolean;
  canApplyToExpenses?: boolean;
  canApplyToLiabilities?: boolean;
  canApplyToRevenue?: boolean;
}
export interface ItemRef {
  itemId?: string;
  code: string;
  name: string;
}
export interface ContactRef {
  id: string;
  name: string;
  status: string;
}

export interface ReferenceData {
  accounts: AccountRef[];
  taxRates: TaxRateRef[];
  items: ItemRef[];
  contacts: ContactRef[];
  refreshedAt: string | null;
}

type Kind = "accounts" | "taxRates" | "items" | "contacts";
const KINDS: Kind[] = ["accounts", "taxRates", "items", "contacts"];

const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

async function fetchAccounts(x: XeroClient, since?: string): Promise<AccountRef[]> {
  const body = await x.get<{ Accounts?: unknown[] }>(
    "/Accounts",
    undefined,
    since ? { ifModifiedSince: since } : {},
  );
  return fromXero("Account", body.Accounts).flatMap((a) =>
    a.code
      ? [
          defined({
            accountId: a.accountID,
            code: a.code,
            name: a.name ?? "",
            type: str(a.type) ?? "",
            status: str(a.status) ?? "ACTIVE",
            enablePaymentsToAccount: a.enablePaymentsToAccount ?? false,
            taxType: a.taxType,
            systemAccount: str(a.systemAccount),
          }),
        ]
      : [],
  );
}

async function fetchTaxRates(x: XeroClient, since?: string): Promise<TaxRateRef[]> {
  const body = await x.get<{ TaxRates?: unknown[] }>(
    "/TaxRates",
    undefined,
    since ? { ifModifiedSince: since } : {},
  );
  return fromXero("TaxRate", body.TaxRates).flatMap((t) =>
    t.taxType
      ? [
          defined({
            taxType: t.taxType,
            name: t.name ?? t.taxType,
            rate: String(t.effectiveRate ?? t.displayTaxRate ?? 0),
            status: str(t.status) ?? "ACTIVE",
            canApplyToAssets: t.canApplyToAssets,
            canApplyToEquity: t.canApplyToEquity,
            canApplyToExpenses: t.canApplyToExpenses,
            canApplyToLiabilities: t.canApplyToLiabilities,
            canApplyToRevenue: t.canApplyToRevenue,
          }),
        ]
      : [],
  );
}

async function fetchItems(x: XeroClient, since?: string): Promise<ItemRef[]> {
  const body = await x.get<{ Items?: unknown[] }>(
    "/Items",
    undefined,
    since ? { ifModifiedSince: since } : {},
  );
  return fromXero("Item", body.Items).flatMap((i) =>
    i.code ? [defined({ itemId: i.itemID, code: i.code, name: i.name ?? i.code })] : [],
  );
}

async function fetchContacts(x: XeroClient, since?: string): Promise<ContactRef[]> {
  const out: ContactRef[] = [];
  for (let page = 1; page <= 200; page++) {
    const body = await x.get<{ Contacts?: unknown[] }>(
      "/Contacts",
      { page, pageSize: 1000, includeArchived: true },
      since ? { ifModifiedSince: since } : {},
    );
    const contacts = fromXero("Contact", body.Contacts);
    for (const c of contacts) {
      if (c.contactID && c.name)
        out.push({ id: c.contactID, name: c.name, status: str(c.contactStatus) ?? "ACTIVE" });
    }
    if (contacts.length < 1000) break;
  }
  return out;
}

const FETCH: Record<Kind, (x: XeroClient, since?: string) => Promise<{ [k: string]: unknown }[]>> = {
  accounts: fetchAccounts as never,
  taxRates: fetchTaxRates as never,
  items: fetchItems as never,
  contacts: fetchContacts as never,
};

const keyOf: Record<Kind, (r: Record<string, unknown>) => string> = {
  accounts: (r) => String(r.accountId ?? r.code),
  taxRates: (r) => String(r.taxType),
  items: (r) => String(r.itemId ?? r.code),
  contacts: (r) => String(r.id),
};

export async function readReference(db: D1Database, orgId: string): Promise<ReferenceData> {
  const rows = await db
    .prepare("SELECT kind, json, refreshed_at FROM reference_data WHERE org_id = ?1")
    .bind(orgId)
    .all<{ kind: Kind; json: string; refreshed_at: string }>();
  const data: ReferenceData = { accounts: [], taxRates: [], items: [], contacts: [], refreshedAt: null };
  for (const r of rows.results) {
    (data as unknown as Record<Kind, unknown>)[r.kind] = JSON.parse(r.json);
    if (data.refreshedAt === null || r.refreshed_at < data.refreshedAt) data.refreshedAt = r.refreshed_at;
  }
  return data;
}

/**
 * Refresh every kind from Xero. With a cache, only records modified since the last refresh are requested
 * (If-Modified-Since) and merged by id; the first refresh reads everything.
 */
export async function refreshReference(db: D1Database, orgId: string, x: XeroClient): Promise<ReferenceData> {
  const existing = await db
    .prepare("SELECT kind, json, refreshed_at FROM reference_data WHERE org_id = ?1")
    .bind(orgId)
    .all<{ kind: Kind; json: string; refreshed_at: string }>();
  const cached = new Map(existing.results.map((r) => [r.kind, r]));
  const startedAt = nowIso();
  const fresh = await Promise.all(
    KINDS.map(async (kind) => {
      const prior = cached.get(kind);
      const changed = await FETCH[kind](x, prior?.refreshed_at);
      const merged = new Map<string, Record<string, unknown>>();
      if (prior)
        for (const r of JSON.parse(prior.json) as Record<string, unknown>[]) merged.set(keyOf[kind](r), r);
      for (const r of changed) merged.set(keyOf[kind](r), r);
      return [kind, [...merged.values()]] as const;
    }),
  );
  await db.batch(
    fresh.map(([kind, list]) =>
      db
        .prepare(
          `INSERT INTO reference_data (org_id, kind, json, refreshed_at) VALUES (?1, ?2, ?3, ?4)
           ON CONFLICT (org_id, kind) DO UPDATE SET json = excluded.json, refreshed_at = excluded.refreshed_at`,
        )
        .bind(orgId, kind, JSON.stringify(list), startedAt),
    ),
  );
  const data = await readReference(db, orgId);
  // Monitoring (issue 9): mappings pointing at accounts archived or deleted in Xero raise alerts once.
  await checkArchivedAccounts(db, orgId, data).catch((e) =>
    console.error("archived account check failed", e),
  );
  return data;
}

/** The add-in's dropdown shape (docs/api-contract.md). */
export function referenceView(r: ReferenceData) {
  return {
    accounts: r.accounts.map((a) => ({
      code: a.code,
      name: a.name,
      type: a.type,
      status: a.status,
      enablePaymentsToAccount: a.enablePaymentsToAccount,
      taxType: a.taxType ?? null,
    })),
    taxRates: r.taxRates.map((t) => ({ taxType: t.taxType, name: t.name, rate: t.rate })),
    items: r.items.map((i) => ({ code: i.code, name: i.name })),
    contacts: r.contacts.filter((c) => c.status !== "ARCHIVED").map((c) => ({ id: c.id, name: c.name })),
    refreshedAt: r.refreshedAt,
  };
}

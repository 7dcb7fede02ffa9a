/**
 * xero-node's generated accounting models, used for typing and deserialising Xero's PascalCase JSON
 * (MS-JSON dates included) in workerd. Deep import on purpose: the package root pulls in XeroClient
 * (openid-client v5, Node-only); the models module is plain CommonJS and bundles cleanly.
 */
import {
  type Account,
  type Contact,
  type CreditNote,
  type Invoice,
  type Item,
  ObjectSerializer,
  type Organisation,
  type TaxRate,
} from "xero-node/dist/gen/model/accounting/models";

export type { Account, Contact, CreditNote, Invoice, Item, Organisation, TaxRate };

interface Models {
  Account: Account;
  Contact: Contact;
  CreditNote: CreditNote;
  Invoice: Invoice;
  Item: Item;
  Organisation: Organisation;
  TaxRate: TaxRate;
}

/** `{"Invoices":[…]}` element array → xero-node model instances (camelCase, Dates parsed). */
export function fromXero<K extends keyof Models>(type: K, elements: unknown): Models[K][] {
  if (!Array.isArray(elements)) return [];
  return ObjectSerializer.deserialize(elements, `Array<${type}>`) as Models[K][];
}

/** Model → Xero wire JSON (PascalCase), for writes built from models. */
export function toXero<K extends keyof Models>(type: K, model: Models[K]): Record<string, unknown> {
  return ObjectSerializer.serialize(model, type) as Record<string, unknown>;
}

/** A Xero date (Date object after deserialising, MS-JSON or ISO string) → YYYY-MM-DD, UTC. */
export function xeroDay(v: unknown): string | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString().slice(0, 10);
  if (typeof v !== "string" || v === "") return undefined;
  const ms = /^\/Date\((-?\d+)/.exec(v);
  if (ms) return new Date(Number(ms[1])).toISOString().slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : undefined;
}

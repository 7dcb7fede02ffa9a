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
import { notFound } from "./problems";
import type { Contact } from "./records";
import { applyWhere } from "./where";

export const CONTACT_IDENTITY =
  "The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber";
export const CONTACT_ARCHIVED = "The contact is archived and cannot be used.";

export function renderContact(c: Contact): Wire {
  return {
    ContactID: c.ContactID,
    ...(c.ContactNumber ? { ContactNumber: c.ContactNumber } : {}),
    ContactStatus: c.ContactStatus,
    Name: c.Name,
    ...(c.EmailAddress ? { EmailAddress: c.EmailAddress } : {}),
    Addresses: [],
    Phones: [],
    UpdatedDateUTC: msDate(c.updatedMs),
    ContactGroups: [],
    IsSupplier: c.IsSupplier,
    IsCustomer: c.IsCustomer,
    ContactPersons: [],
    HasAttachments: false,
    HasValidationErrors: false,
  };
}

/** The short contact reference embedded in documents. */
export const contactRef = (c: Contact | undefined): Wire =>
  c
    ? { ContactID: c.ContactID, Name: c.Name, ...(c.ContactNumber ? { ContactNumber: c.ContactNumber } : {}) }
    : {};

const activeByName = (ctx: ApiContext, name: string, exceptId?: string) =>
  ctx.repo
    .list<Contact>(ctx.tenantId, "contact")
    .find(
      (c) =>
        c.ContactStatus === "ACTIVE" &&
        c.Name.toLowerCase() === name.toLowerCase() &&
        c.ContactID !== exceptId,
    );

/**
 * Resolve the Contact of a document: by ContactID, ContactNumber or Name; a new Name creates the contact,
 * as Xero does. Returns the contact or a validation message.
 */
export function resolveDocContact(ctx: ApiContext, input: unknown): Contact | string {
  if (!isRecord(input)) return CONTACT_IDENTITY;
  const id = str(input["ContactID"]);
  const number = str(input["ContactNumber"]);
  const name = str(input["Name"]);
  let found: Contact | undefined;
  if (id) {
    found = ctx.repo.get<Contact>(ctx.tenantId, "contact", id.toLowerCase());
    if (!found) return "The contact with the supplied id was not found.";
  } else if (number) {
    found = ctx.repo.byNumber<Contact>(ctx.tenantId, "contact", number);
  }
  if (!found && name) {
    found =
      activeByName(ctx, name) ??
      ctx.repo
        .list<Contact>(ctx.tenantId, "contact")
        .find((c) => c.Name.toLowerCase() === name.toLowerCase());
  }
  if (!found && !id && !number && !name) return CONTACT_IDENTITY;
  if (found) return found.ContactStatus === "ARCHIVED" ? CONTACT_ARCHIVED : found;
  if (!name) return CONTACT_IDENTITY;
  const created: Contact = {
    ContactID: crypto.randomUUID(),
    Name: name,
    ContactNumber: number,
    ContactStatus: "ACTIVE",
    IsCustomer: true,
    IsSupplier: false,
    updatedMs: ctx.now,
  };
  ctx.repo.put(ctx.tenantId, "contact", created.ContactID, created, created.ContactNumber);
  return created;
}

function saveContact(
  ctx: ApiContext,
  input: unknown,
  mode: "create" | "upsert",
  pathId?: string,
): ElementResult {
  if (!isRecord(input)) return fail(input, [CONTACT_IDENTITY]);
  const id = pathId ?? str(input["ContactID"]);
  const number = str(input["ContactNumber"]);
  let existing: Contact | undefined;
  if (mode === "upsert") {
    if (id) existing = ctx.repo.get<Contact>(ctx.tenantId, "contact", id.toLowerCase());
    else if (number) existing = ctx.repo.byNumber<Contact>(ctx.tenantId, "contact", number);
    if (id && !existing) return fail(input, ["The contact with the supplied id was not found."]);
  }
  const name = str(input["Name"]) ?? existing?.Name;
  if (!name) return fail(input, ["The contact name must be specified."]);
  if (activeByName(ctx, name, existing?.ContactID)) {
    return fail(input, [
      `The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`,
    ]);
  }
  const status = str(input["ContactStatus"]) as Contact["ContactStatus"] | undefined;
  const contact: Contact = {
    ContactID: existing?.ContactID ?? crypto.randomUUID(),
    Name: name,
    ContactNumber: number ?? existing?.ContactNumber,
    EmailAddress: str(input["EmailAddress"]) ?? existing?.EmailAddress,
    ContactStatus: status ?? existing?.ContactStatus ?? "ACTIVE",
    IsCustomer: existing?.IsCustomer ?? true,
    IsSupplier: existing?.IsSupplier ?? false,
    updatedMs: ctx.now,
  };
  ctx.repo.put(ctx.tenantId, "contact", contact.ContactID, contact, contact.ContactNumber);
  return ok(renderContact(contact));
}

export const contactsRoutes = resourceRouter();

contactsRoutes.get("/Contacts", (c) => {
  const ctx = c.get("api");
  let list = ctx.repo.list<Contact>(ctx.tenantId, "contact");
  const ids = ctx.query.get("IDs");
  if (ids) {
    const set = new Set(ids.toLowerCase().split(","));
    list = list.filter((x) => set.has(x.ContactID));
  }
  if (ctx.query.get("includeArchived") !== "true") list = list.filter((x) => x.ContactStatus !== "ARCHIVED");
  const where = ctx.query.get("where");
  if (where) list = applyWhere(list, where, (x) => ({ ...x, UpdatedDateUTC: x.updatedMs }));
  return jsonResponse(envelope(ctx, "Contacts", list.map(renderContact)));
});

contactsRoutes.get("/Contacts/:ref", (c) => {
  const ctx = c.get("api");
  const ref = c.req.param("ref");
  const found =
    ctx.repo.get<Contact>(ctx.tenantId, "contact", ref.toLowerCase()) ??
    ctx.repo.byNumber<Contact>(ctx.tenantId, "contact", ref);
  return found ? jsonResponse(envelope(ctx, "Contacts", [renderContact(found)])) : notFound();
});

for (const [method, mode] of [
  ["put", "create"],
  ["post", "upsert"],
] as const) {
  contactsRoutes[method]("/Contacts", async (c) => {
    const ctx = c.get("api");
    const els = elementsOf(await jsonBody(c.req.raw), "Contacts") ?? [];
    return batchResponse(
      ctx,
      "Contacts",
      els.map((el) => saveContact(ctx, el, mode)),
    );
  });
}

contactsRoutes.post("/Contacts/:id", async (c) => {
  const ctx = c.get("api");
  const els = elementsOf(await jsonBody(c.req.raw), "Contacts") ?? [];
  return batchResponse(ctx, "Contacts", [saveContact(ctx, els[0], "upsert", c.req.param("id"))]);
});

import { parseArgs } from "node:util";
import { z } from "zod";
import { readMappingWorkbook } from "../../domain/mapping/workbook";
import { parseOrgSnapshot } from "../../domain/org/model";
import { showScaled } from "../../domain/po/decimal";
import type { PoProblem, PurchaseOrder } from "../../domain/po/model";
import { type InvoicedRecord, invoicedRecordSchema, type PoPlan, planPoInvoices } from "../../domain/po/plan";
import { readPoFiles } from "../../domain/po/read";
import { readShipmentConfirmations, shipmentsForPlanning } from "../../domain/po/shipments";
import { readOrSay } from "../io";
import { type JobIo, postAndFollow } from "../jobs";
import { MISSING_TARGET, workerApi, workerTarget } from "../worker-api";

export const PO_USAGE = `Usage: vcx po import <file …> [--vendor CODE] [--json]
       vcx po pull [--after ISO] [--before ISO] [--no-status] [--json]
       vcx po preview [--po NUMBER …] [--basis received|accepted] [--pattern P] [--terms DAYS] [--date D]
                      [--draft] [--json]
       vcx po post [--wait] [--json]
       vcx po plan <file …> --mappings <workbook.xlsx> --org <snapshot.json>
                [--vendor CODE] [--basis received|accepted] [--pattern "{po}-{shipment}"] [--terms DAYS]
                [--date YYYY-MM-DD] [--invoiced records.json] [--posted KEY …] [--draft] [--json]

Reads purchase orders (SP-API getPurchaseOrders / getPurchaseOrder / getPurchaseOrdersStatus JSON, X12 850
or 855; several files of the same POs are merged) and shipment confirmations (ASN JSON: one invoice per
shipment), checks them against the SKU map and plans the Xero sales
invoices: quantities in eaches, Amazon's cost per each at 4 dp, one invoice per PO shipment, never the same
eaches twice (--invoiced: the records of invoices already posted). --vendor is the vendor code for X12 files
without REF*IA. Exit code 0 when every PO can be invoiced (or has nothing new), 1 when a PO is held or an
input is wrong, 2 on wrong usage.

import, pull and preview talk to a running VCX Worker: --url URL (or VCX_URL), --key API_KEY (or VCX_API_KEY),
--org ORG_ID (default: the key's organisation). import uploads each file (a file already imported creates
nothing new); pull fetches from Amazon now through the organisation's Amazon connection; preview plans the
invoices against the live Xero organisation and stores the plan; post sends the stored preview's invoices
through the posting engine (one job per preview: posting it again sends nothing), and --wait polls the job
(GET /v1/jobs/:id) with a progress bar. Exit 1 when the Worker refuses, a PO is held, or a posted job ends
with failed/held invoices.`;

export type PoIo = JobIo;

const REMOTE = new Set(["import", "pull", "preview", "post"]);

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      mappings: { type: "string" },
      org: { type: "string" },
      vendor: { type: "string" },
      basis: { type: "string" },
      pattern: { type: "string" },
      terms: { type: "string" },
      date: { type: "string" },
      invoiced: { type: "string" },
      posted: { type: "string", multiple: true },
      draft: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
}

function where(p: PoProblem): string {
  if (p.row !== undefined) return ` segment ${p.row}`;
  return "";
}

function ordersText(orders: readonly PurchaseOrder[]): string {
  const out: string[] = [];
  for (const po of orders) {
    out.push(
      `PO ${po.purchaseOrderNumber}${po.vendorCode ? ` vendor ${po.vendorCode}` : ""}${po.state ? ` ${po.state}` : ""}${po.orderDate ? ` ordered ${po.orderDate}` : ""} (${po.formats.join(" + ")})`,
    );
    for (const l of po.lines) {
      const ids = [l.asin, l.vendorSku, ...l.otherIds].filter(Boolean).join(" / ");
      const stated = l.ordered.unit === "Cases" ? ` (${l.ordered.amount} cases × ${l.ordered.unitSize})` : "";
      const cost = l.netCost
        ? ` @ ${l.netCost.currency} ${showScaled(l.netCost.amount4, 4)}${l.netCost.weightUnit ? `/${l.netCost.weightUnit.toLowerCase()}` : ""}`
        : "";
      const status = [
        l.cancelled ? "cancelled" : "",
        l.acceptedEaches !== undefined ? `accepted ${l.acceptedEaches}` : "",
        l.receivedEaches !== undefined ? `received ${l.receivedEaches}` : "",
      ]
        .filter(Boolean)
        .join(", ");
      out.push(
        `  ${l.sequence}. ${ids || "?"}: ${l.orderedEaches} eaches${stated}${cost}${status ? ` — ${status}` : ""}`,
      );
    }
  }
  return out.join("\n");
}

function planText(plan: PoPlan): string {
  const out: string[] = [];
  out.push("", "Invoices to post:");
  if (plan.invoices.length === 0) out.push("  (none)");
  for (const inv of plan.invoices) {
    const b = inv.body;
    out.push(
      `  ${b.InvoiceNumber}  ${b.Date} due ${b.DueDate}  ${b.CurrencyCode} ${showScaled(inv.subtotal, 2)} + tax  [${inv.key}]`,
    );
    for (const l of b.LineItems)
      out.push(
        `    ${l.ItemCode} ${l.Quantity} × ${l.UnitAmount} = ${l.LineAmount}${l.TaxType ? ` (${l.TaxType})` : ""}`,
      );
  }
  if (plan.alreadyPosted.length > 0) out.push(`  already posted: ${plan.alreadyPosted.join(", ")}`);
  out.push("", "Exceptions:");
  if (plan.exceptions.length === 0) out.push("  (none)");
  for (const e of plan.exceptions) {
    const claim = e.expectedClaim
      ? ` Expected ${e.expectedClaim.kind.replace("_", " ")}: ${e.expectedClaim.currency} ${showScaled(e.expectedClaim.amount, 2)}.`
      : "";
    out.push(
      `  ${e.severity === "blocking" ? "HELD" : "WARN"} ${e.code}: ${e.reason}.${claim} Fix: ${e.fix}`,
    );
  }
  out.push("", "Purchase orders:");
  for (const o of plan.orders) out.push(`  ${o.purchaseOrderNumber}: ${o.status.replaceAll("_", " ")}`);
  out.push("", "Checks:");
  for (const c of plan.checks) out.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.message}`);
  return out.join("\n");
}

export async function poCommand(args: string[], io: PoIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== undefined && REMOTE.has(sub)) return remotePo(sub, rest, io);
  if (sub !== "plan") {
    io.err(`${sub === undefined ? "" : `Unknown po command '${sub}'.\n\n`}${PO_USAGE}\n`);
    return 2;
  }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(rest);
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n\n${PO_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0 || !values.mappings || !values.org) {
    io.err(`${PO_USAGE}\n`);
    return 2;
  }
  if (values.basis !== undefined && values.basis !== "received" && values.basis !== "accepted") {
    io.err(`--basis must be received or accepted, not '${values.basis}'\n`);
    return 2;
  }
  const terms = values.terms === undefined ? undefined : Number(values.terms);
  if (terms !== undefined && !(Number.isInteger(terms) && terms >= 0 && terms <= 3650)) {
    io.err(`--terms must be a number of days, not '${values.terms}'\n`);
    return 2;
  }
  if (values.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) {
    io.err(`--date must be YYYY-MM-DD, not '${values.date}'\n`);
    return 2;
  }

  const read = (path: string) => readOrSay(io, path);
  const files: { name: string; content: Uint8Array }[] = [];
  for (const p of positionals) {
    const bytes = await read(p);
    if (!bytes) return 1;
    files.push({ name: p.split(/[\\/]/).pop() ?? p, content: bytes });
  }
  const [workbookBytes, orgBytes] = [await read(values.mappings), await read(values.org)];
  const invoicedBytes = values.invoiced ? await read(values.invoiced) : undefined;
  if (!workbookBytes || !orgBytes || (values.invoiced && !invoicedBytes)) return 1;

  const mappings = readMappingWorkbook(workbookBytes);
  if (!mappings.ok) {
    for (const e of mappings.errors) {
      const at = [e.sheet, e.row !== undefined ? `row ${e.row}` : "", e.column ?? "", e.cell ?? ""]
        .filter(Boolean)
        .join(", ");
      io.err(`${values.mappings} (${at}): ${e.message}\n`);
    }
    return 1;
  }
  const json = (bytes: Uint8Array, name: string): unknown => {
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      io.err(`${name}: not JSON (${String(e)})\n`);
      return undefined;
    }
  };
  const orgJson = json(orgBytes, values.org);
  if (orgJson === undefined) return 1;
  const org = parseOrgSnapshot(orgJson);
  if (!org.ok) {
    for (const e of org.errors) io.err(`${values.org}: ${e}\n`);
    return 1;
  }
  let invoiced: InvoicedRecord[] = [];
  if (invoicedBytes && values.invoiced) {
    const v = json(invoicedBytes, values.invoiced);
    const records = z.array(invoicedRecordSchema).safeParse(v);
    if (!records.success) {
      for (const i of records.error.issues)
        io.err(
          `${values.invoiced}: ${i.path.join(".") || "(root)"}: ${i.message} (expected an array of PlannedInvoice.record)\n`,
        );
      return 1;
    }
    invoiced = records.data;
  }

  // Shipment confirmations (ASN JSON) are invoiced one shipment at a time; everything else is a PO file.
  const isAsn = (f: { content: Uint8Array }) =>
    /"shipmentConfirmations"\s*:/.test(new TextDecoder().decode(f.content));
  const read1 = readPoFiles(
    files.filter((f) => !isAsn(f)),
    values.vendor ? { vendorCode: values.vendor } : {},
  );
  const asns = files
    .filter(isAsn)
    .map((f) => readShipmentConfirmations(f.name, new TextDecoder().decode(f.content)));
  const shipped = shipmentsForPlanning(
    asns.flatMap((a) => a.shipments),
    read1.orders,
  );
  read1.problems.push(...asns.flatMap((a) => a.problems), ...shipped.problems);
  const errors = read1.problems.filter((p) => p.severity === "error");
  for (const p of read1.problems)
    io.err(`${p.file}${where(p)}: ${p.severity === "error" ? "" : "warning: "}${p.message}\n`);
  if (errors.length > 0 && read1.orders.length === 0) return 1;

  const plan = planPoInvoices(read1.orders, mappings.mappings, org.org, {
    invoiced,
    alreadyPosted: values.posted ?? [],
    ...(shipped.shipments.length > 0 ? { shipments: shipped.shipments } : {}),
    ...(values.basis ? { basis: values.basis as "received" | "accepted" } : {}),
    ...(values.pattern ? { invoiceNumberPattern: values.pattern } : {}),
    ...(terms !== undefined ? { paymentTermsDays: terms } : {}),
    ...(values.date ? { invoiceDate: values.date } : {}),
    ...(values.draft ? { status: "DRAFT" as const } : {}),
  });
  if (values.json) {
    io.out(`${JSON.stringify({ orders: read1.orders, problems: read1.problems, plan }, null, 2)}\n`);
  } else {
    io.out(`${ordersText(read1.orders)}\n${planText(plan)}\n`);
  }
  const blocked =
    errors.length > 0 ||
    plan.exceptions.some((e) => e.severity === "blocking") ||
    plan.checks.some((c) => !c.ok);
  return blocked ? 1 : 0;
}

const REMOTE_STRINGS = new Set([
  "url",
  "key",
  "org",
  "vendor",
  "after",
  "before",
  "basis",
  "pattern",
  "terms",
  "date",
]);
const REMOTE_FLAGS = new Set(["no-status", "draft", "json", "wait"]);

/** Flags and positionals without node:util (the remote commands also run inside workerd tests). */
function parseRemote(args: string[]) {
  const values: {
    url?: string;
    key?: string;
    org?: string;
    vendor?: string;
    after?: string;
    before?: string;
    basis?: string;
    pattern?: string;
    terms?: string;
    date?: string;
    po?: string[];
  } = {};
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const [name = "", inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (REMOTE_FLAGS.has(name)) flags.add(name);
    else if (REMOTE_STRINGS.has(name) || name === "po") {
      const value = inline ?? args[++i];
      if (value === undefined) throw new Error(`Option --${name} needs a value`);
      if (name === "po") values.po = [...(values.po ?? []), value];
      else values[name as "url"] = value;
    } else throw new Error(`Unknown option '--${name}'`);
  }
  return {
    values: {
      ...values,
      "no-status": flags.has("no-status"),
      draft: flags.has("draft"),
      json: flags.has("json"),
      wait: flags.has("wait"),
    },
    positionals,
  };
}

/** vcx po import|pull|preview|post against a running Worker. */
async function remotePo(action: string, args: string[], io: PoIo): Promise<number> {
  let parsed: ReturnType<typeof parseRemote>;
  try {
    parsed = parseRemote(args);
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n\n${PO_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const worker = workerTarget(values, io);
  if (!worker || (action === "import" && positionals.length === 0)) {
    io.err(`${!worker ? `${MISSING_TARGET}\n\n` : ""}${PO_USAGE}\n`);
    return 2;
  }
  const terms = values.terms === undefined ? undefined : Number(values.terms);
  if (terms !== undefined && !(Number.isInteger(terms) && terms >= 0 && terms <= 3650)) {
    io.err(`--terms must be a number of days, not '${values.terms}'\n`);
    return 2;
  }
  const api = workerApi(worker, io);
  const { call, fail } = api;
  const resolved = await api.organisation(values.org);
  if ("exit" in resolved) return resolved.exit;
  const org = resolved.org;
  const base = `/v1/organisations/${encodeURIComponent(org)}/purchase-orders`;
  const json = api.postJson;

  if (action === "import") {
    let status = 0;
    const results: unknown[] = [];
    for (const file of positionals) {
      const bytes = await readOrSay(io, file);
      if (!bytes) return 1;
      const name = file.split(/[\\/]/).pop() ?? file;
      const r = await call(
        `${base}${values.vendor ? `?vendorCode=${encodeURIComponent(values.vendor)}` : ""}`,
        {
          method: "POST",
          headers: { "content-type": "application/octet-stream", "x-file-name": name },
          body: bytes.slice().buffer as ArrayBuffer,
        },
      );
      if (r.status !== 200 && r.status !== 201) {
        status = fail(r);
        continue;
      }
      results.push(r.body);
      const b = r.body as {
        import: { id: string; format: string; orders: number };
        replayed: boolean;
        created: { orders: string[]; changed: string[] };
        problems: PoProblem[];
      };
      for (const p of b.problems)
        io.err(`${name}: ${p.severity === "error" ? "" : "warning: "}${p.message}\n`);
      if (!values.json)
        io.out(
          b.replayed
            ? `${name}: already imported as ${b.import.id}; nothing new\n`
            : `${name}: imported as ${b.import.id} (${b.import.format}), ${b.import.orders} PO(s); new ${b.created.orders.join(", ") || "none"}; updated ${b.created.changed.filter((c) => !b.created.orders.includes(c)).join(", ") || "none"}\n`,
        );
    }
    if (values.json) io.out(`${JSON.stringify(results, null, 2)}\n`);
    return status;
  }

  if (action === "pull") {
    const r = await json(`${base}/pull`, {
      ...(values.after ? { createdAfter: values.after } : {}),
      ...(values.before ? { createdBefore: values.before } : {}),
      ...(values["no-status"] ? { includeStatus: false } : {}),
    });
    const pull = (
      r.body as {
        pull?: {
          status: string;
          orders: string[];
          stored: { newOrders: string[] };
          problems: PoProblem[];
          createdAfter: string;
          createdBefore: string;
        };
      }
    ).pull;
    if (!pull) return fail(r);
    for (const p of pull.problems) io.err(`${p.severity === "error" ? "" : "warning: "}${p.message}\n`);
    io.out(
      values.json
        ? `${JSON.stringify(r.body, null, 2)}\n`
        : `Pulled ${pull.createdAfter} … ${pull.createdBefore}: ${pull.status}, ${pull.orders.length} PO(s), new ${pull.stored.newOrders.join(", ") || "none"}\n`,
    );
    return pull.status === "ok" ? 0 : 1;
  }

  // The stored preview's invoices through the posting engine (as `vcx remittance post`).
  if (action === "post") return postAndFollow(api, `${base}/post`, values, io, { listPosted: true });

  // preview
  if (values.basis !== undefined && values.basis !== "received" && values.basis !== "accepted") {
    io.err(`--basis must be received or accepted, not '${values.basis}'\n`);
    return 2;
  }
  const r = await json(`${base}/preview`, {
    ...(values.po ? { purchaseOrderNumbers: values.po } : {}),
    ...(values.basis ? { basis: values.basis } : {}),
    ...(values.pattern ? { invoiceNumberPattern: values.pattern } : {}),
    ...(terms !== undefined ? { paymentTermsDays: terms } : {}),
    ...(values.date ? { invoiceDate: values.date } : {}),
    ...(values.draft ? { draft: true } : {}),
  });
  if (r.status !== 200) return fail(r);
  const plan = (r.body as { plan: PoPlan }).plan;
  io.out(values.json ? `${JSON.stringify(r.body, null, 2)}\n` : `${planText(plan).trimStart()}\n`);
  return plan.exceptions.some((e) => e.severity === "blocking") || plan.checks.some((c) => !c.ok) ? 1 : 0;
}

/**
 * Preview = exactly what would be posted: the stored remittance re-read with the organisation's settings,
 * the live organisation snapshot (Organisation + invoices looked up by number in batches, reference data
 * refreshed with If-Modified-Since), the stored mappings, and the pure planner.
 */

import type { Mappings } from "../../domain/mapping/model";
import { settingsFor } from "../../domain/mapping/model";
import { mappingsFromGrids } from "../../domain/mapping/workbook";
import type { OrgSnapshot } from "../../domain/org/model";
import { PlanError, planSettlement } from "../../domain/plan/planner";
import { planToJson } from "../../domain/plan/report";
import { ingest } from "../../domain/remittance/ingest";
import type { Remittance } from "../../domain/remittance/model";
import { type IngestOptions, localeToDateOrder } from "../../domain/remittance/options";
import { ApiError } from "../http/errors";
import { readSheets } from "../mappings/store";
import { checkNewRemittance } from "../monitoring/checks";
import type { XeroClient } from "../xero/client";
import { refreshReference } from "../xero/reference";
import { lookUpInvoices, readOrganisation, snapshotInput, toSnapshot } from "../xero/snapshot";
import {
  type ExceptionInput,
  type RemittanceRow,
  type RemittanceSource,
  readSource,
  savePlan,
} from "./store";

export function ingestSource(source: RemittanceSource, options: IngestOptions = {}): Remittance {
  const dateOrder = localeToDateOrder(source.locale);
  const opts = { ...options, ...(dateOrder ? { dateOrder } : {}) };
  return source.kind === "bytes"
    ? ingest({ kind: "bytes", fileName: source.fileName, bytes: source.bytes }, opts)
    : ingest(
        {
          kind: "grid",
          fileName: source.fileName,
          ...(source.sheetName ? { sheetName: source.sheetName } : {}),
          rows: source.rows,
        },
        opts,
      );
}

export function ingestExceptions(r: Remittance): ExceptionInput[] {
  return r.problems.map((p) => ({
    source: "ingest",
    row: p.row,
    code: p.code,
    reason: p.message,
    severity: p.severity,
  }));
}

/** Every document number a remittance mentions: the invoices to look up in Xero. */
export function referencedNumbers(r: Remittance): Set<string> {
  const out = new Set<string>();
  for (const p of r.payments)
    for (const l of p.lines)
      for (const n of [l.documentNumber, l.invoiceNumber, l.originalDocumentNumber]) if (n) out.add(n);
  return out;
}

export async function loadMappings(db: D1Database, orgId: string): Promise<Mappings> {
  const m = mappingsFromGrids(await readSheets(db, orgId));
  if (!m.ok) {
    throw new ApiError(
      422,
      "mappings_invalid",
      "The organisation's mappings are incomplete or invalid; fix them before previewing.",
      m.errors.map((e) => ({
        path: [e.sheet, ...(e.row !== undefined ? [e.row] : []), ...(e.column ? [e.column] : [])],
        message: e.message,
        sheet: e.sheet,
        ...(e.row !== undefined ? { row: e.row } : {}),
        ...(e.column ? { column: e.column } : {}),
        ...(e.cell ? { cell: e.cell } : {}),
      })),
    );
  }
  return m.mappings;
}

export async function liveSnapshot(
  db: D1Database,
  orgId: string,
  x: XeroClient,
  numbers: Iterable<string>,
): Promise<OrgSnapshot> {
  const [ref, info, invoices] = await Promise.all([
    refreshReference(db, orgId, x),
    readOrganisation(x),
    lookUpInvoices(x, numbers),
  ]);
  return toSnapshot(snapshotInput(info, ref, invoices));
}

export async function previewRemittance(
  db: D1Database,
  row: RemittanceRow,
  x: XeroClient,
  vendorCode: string | undefined,
) {
  return (await planForPosting(db, row, x, vendorCode, [])).json;
}

/**
 * Preview (the full plan is saved, as by the preview route) and, for posting, the same snapshot planned again
 * with `alreadyPosted` (keys the organisation already has) so only what is missing is sent.
 */
export async function planForPosting(
  db: D1Database,
  row: RemittanceRow,
  x: XeroClient,
  vendorCode: string | undefined,
  alreadyPosted: readonly string[],
) {
  const mappings = await loadMappings(db, row.org_id);
  const settings = settingsFor(mappings, vendorCode);
  const marketplace = settings?.marketplace ? { marketplace: settings.marketplace } : {};
  const source = await readSource(db, row);
  const first = ingestSource(source, marketplace);
  if (first.problems.some((p) => p.severity === "error")) {
    throw new ApiError(422, "remittance_invalid", "The remittance has errors; upload a corrected file.");
  }
  const snapshot = await liveSnapshot(db, row.org_id, x, referencedNumbers(first));
  const remittance = ingestSource(source, {
    ...marketplace,
    knownInvoiceNumbers: snapshot.invoices.map((i) => i.number),
  });
  let plan: ReturnType<typeof planSettlement>;
  let toPost: ReturnType<typeof planSettlement>;
  try {
    plan = planSettlement(remittance, mappings, snapshot, {
      ...(vendorCode ? { vendorCode } : {}),
      alreadyPosted: [],
    });
    toPost =
      alreadyPosted.length === 0
        ? plan
        : planSettlement(remittance, mappings, snapshot, {
            ...(vendorCode ? { vendorCode } : {}),
            alreadyPosted,
          });
  } catch (e) {
    if (e instanceof PlanError) throw new ApiError(422, "plan_failed", e.message);
    throw e;
  }
  const json = planToJson(plan);
  await savePlan(
    db,
    row.org_id,
    row.id,
    json,
    plan.exceptions.map((e) => ({
      source: "plan",
      row: e.row,
      code: e.code,
      reason: e.reason,
      fix: e.fix,
      severity: e.severity,
    })),
  );
  // Monitoring (issue 9): new deduction codes/descriptions and catch-all lines raise alerts once.
  try {
    await checkNewRemittance(db, row.org_id, remittance, mappings, plan.vendorCode);
  } catch (e) {
    console.error("deduction drift check failed", e);
  }
  return { json, plan, toPost };
}

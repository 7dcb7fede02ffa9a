import { parseArgs } from "node:util";
import { readMappingWorkbook } from "../../domain/mapping/workbook";
import { parseOrgSnapshot } from "../../domain/org/model";
import { PlanError, planSettlement } from "../../domain/plan/planner";
import { planSummaryText, planToJson } from "../../domain/plan/report";
import { ingest } from "../../domain/remittance/ingest";
import { type CliIo, localeOrSay, readOrSay } from "../io";

export const PLAN_USAGE = `Usage: vcx plan <remittance> --mappings <workbook.xlsx> --org <snapshot.json>
                [--vendor CODE] [--posted KEY …] [--locale us|eu] [--json]

Plans the Xero documents for a remittance (XLSX, CSV or X12 820) with the mapping workbook and a snapshot of
the Xero organisation, and prints them with the checks and exceptions. --posted skips documents already
posted (by key). Exit code 0 when everything can be posted, 1 when something is blocked or an input is
wrong, 2 on wrong usage.`;

export async function planCommand(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n\n${PLAN_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const file = positionals[0];
  if (!file || positionals.length > 1 || !values.mappings || !values.org) {
    io.err(`${PLAN_USAGE}\n`);
    return 2;
  }
  const dateOrder = localeOrSay(io, values.locale);
  if (dateOrder === false) return 2;

  const read = (path: string) => readOrSay(io, path);
  const [remittanceBytes, workbookBytes, orgBytes] = [
    await read(file),
    await read(values.mappings),
    await read(values.org),
  ];
  if (!remittanceBytes || !workbookBytes || !orgBytes) return 1;

  const mappings = readMappingWorkbook(workbookBytes);
  if (!mappings.ok) {
    for (const e of mappings.errors) {
      const where = [e.sheet, e.row !== undefined ? `row ${e.row}` : "", e.column ?? "", e.cell ?? ""]
        .filter(Boolean)
        .join(", ");
      io.err(`${values.mappings} (${where}): ${e.message}\n`);
    }
    return 1;
  }
  let orgJson: unknown;
  try {
    orgJson = JSON.parse(new TextDecoder().decode(orgBytes));
  } catch (e) {
    io.err(`${values.org}: not JSON (${String(e)})\n`);
    return 1;
  }
  const org = parseOrgSnapshot(orgJson);
  if (!org.ok) {
    for (const e of org.errors) io.err(`${values.org}: ${e}\n`);
    return 1;
  }

  const settings = values.vendor
    ? mappings.mappings.settings.find((s) => s.vendorCode === values.vendor)
    : mappings.mappings.settings[0];
  const name = file.split(/[\\/]/).pop() ?? file;
  const remittance = ingest(
    { kind: "bytes", fileName: name, bytes: remittanceBytes },
    {
      ...(dateOrder ? { dateOrder } : {}),
      ...(settings?.marketplace ? { marketplace: settings.marketplace } : {}),
      knownInvoiceNumbers: org.org.invoices.map((i) => i.number),
    },
  );
  const fatal = remittance.problems.filter((p) => p.severity === "error");
  if (fatal.length > 0) {
    for (const p of fatal) io.err(`${name}${p.row !== undefined ? ` row ${p.row}` : ""}: ${p.message}\n`);
    return 1;
  }

  try {
    const plan = planSettlement(remittance, mappings.mappings, org.org, {
      ...(values.vendor ? { vendorCode: values.vendor } : {}),
      alreadyPosted: values.posted ?? [],
    });
    io.out(
      values.json ? `${JSON.stringify(planToJson(plan), null, 2)}\n` : `${planSummaryText(plan).trimEnd()}\n`,
    );
    const blocked = plan.exceptions.some((e) => e.severity === "blocking") || plan.checks.some((c) => !c.ok);
    return blocked ? 1 : 0;
  } catch (e) {
    if (e instanceof PlanError) {
      io.err(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      mappings: { type: "string" },
      org: { type: "string" },
      vendor: { type: "string" },
      posted: { type: "string", multiple: true },
      locale: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
}

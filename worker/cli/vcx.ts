import { readFile } from "node:fs/promises";
import { BACKFILL_USAGE, backfillCommand } from "./commands/backfill";
import { PARSE_USAGE, parseCommand } from "./commands/parse";
import { PLAN_USAGE, planCommand } from "./commands/plan";
import { PO_USAGE, poCommand } from "./commands/po";
import { REMITTANCE_USAGE, remittanceCommand } from "./commands/remittance";
import { REPORT_USAGE, reportCommand } from "./commands/report";
import type { CliIo } from "./io";

const USAGE = `vcx — Amazon Vendor Central remittances into Xero

Commands:
  vcx parse <file> [--locale us|eu] [--json]    read a remittance (XLSX, CSV or X12 820)
  vcx plan <file> --mappings <xlsx> --org <json>  plan the Xero documents for a remittance
  vcx po plan <file…> --mappings <xlsx> --org <json>  plan the Xero sales invoices for purchase orders
  vcx remittance upload|preview|list|post        against a running VCX Worker (VCX_URL, VCX_API_KEY)
  vcx backfill <files…> [--wait]                 post a history of remittances in payment-date order
  vcx report month <YYYY-MM> --remittances <files…> --mappings <xlsx> --org <json>  month-end control report

${PARSE_USAGE}

${PLAN_USAGE}

${PO_USAGE}

${REMITTANCE_USAGE}

${REPORT_USAGE}

${BACKFILL_USAGE}
`;

export const nodeIo: CliIo = {
  readFile: async (path) => new Uint8Array(await readFile(path)),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export async function main(argv: string[], io: CliIo = nodeIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "parse":
      return parseCommand(rest, io);
    case "plan":
      return planCommand(rest, io);
    case "po":
      return poCommand(rest, io);
    case "remittance":
      return remittanceCommand(rest, { ...io, isTTY: io === nodeIo && process.stdout.isTTY === true });
    case "report":
      return reportCommand(rest, io);
    case "backfill":
      return backfillCommand(rest, { ...io, isTTY: false });
    case undefined:
    case "help":
    case "--help":
    case "-h":
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.err(`Unknown command '${command}'.\n\n${USAGE}`);
      return 2;
  }
}

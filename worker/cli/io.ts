import type { DateOrder } from "../domain/remittance/model";
import { localeToDateOrder } from "../domain/remittance/options";

/** What a CLI command may touch: injected so commands are testable without a terminal or a disk. */
export interface CliIo {
  readFile(path: string): Promise<Uint8Array>;
  out(text: string): void;
  err(text: string): void;
}

/** Read a file, or say plainly why not (`Cannot read x.csv: ENOENT`) and give undefined. */
export async function readOrSay(io: CliIo, path: string): Promise<Uint8Array | undefined> {
  try {
    return await io.readFile(path);
  } catch (e) {
    io.err(`Cannot read ${path}: ${(e as { code?: string }).code ?? String(e)}\n`);
    return undefined;
  }
}

/** `--locale us|eu` → date order; `false` (after saying why) for anything else. */
export function localeOrSay(io: CliIo, locale: string | undefined): DateOrder | undefined | false {
  const order = localeToDateOrder(locale);
  if (locale && !order) {
    io.err(`--locale must be us (MM/DD/YYYY) or eu (DD/MM/YYYY), not '${locale}'\n`);
    return false;
  }
  return order;
}

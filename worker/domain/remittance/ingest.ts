import type { Cell } from "./grid";
import type { Remittance } from "./model";
import type { IngestOptions } from "./options";
import { readCsv, readWorkbook } from "./readers";
import { VcExportReader } from "./vc-export";
import { readX12_820 } from "./x12-820";

export type IngestInput =
  | { kind: "bytes"; fileName: string; bytes: Uint8Array }
  | { kind: "text"; fileName: string; text: string }
  | { kind: "grid"; fileName: string; sheetName?: string; rows: readonly (readonly Cell[])[] };

/** Largest file VCX reads in one go (a 100k-line export is about 12 MB). */
export const MAX_BYTES = 64 * 1024 * 1024;

/**
 * Any remittance file → the normalised model. The format is detected from the content, never the name.
 * Never throws for user data: everything wrong with the file comes back in `problems`.
 */
export function ingest(input: IngestInput, options: IngestOptions = {}): Remittance {
  try {
    return ingestUnchecked(input, options);
  } catch (e) {
    // A library failing on a corrupt file is still the file's problem, not a crash.
    return failed(
      input.fileName,
      "unreadable_file",
      `The file could not be read: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

function ingestUnchecked(input: IngestInput, options: IngestOptions): Remittance {
  if (input.kind === "grid") {
    const reader = new VcExportReader(input.fileName, "vc-export-grid", options);
    reader.startSheet(input.sheetName);
    input.rows.forEach((cells, i) => {
      reader.push(cells, i + 1, 0);
    });
    return reader.finish();
  }
  if (input.kind === "bytes") {
    const b = input.bytes;
    if (b.length > MAX_BYTES)
      return failed(
        input.fileName,
        "file_too_large",
        `The file is larger than ${MAX_BYTES / 1024 / 1024} MB`,
      );
    if (b.length === 0) return failed(input.fileName, "empty_file", "The file is empty");
    const zip = b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
    const ole = b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;
    if (zip || ole) {
      const reader = new VcExportReader(input.fileName, "vc-export-xlsx", options);
      readWorkbook(b, reader);
      return reader.finish();
    }
    return ingestText(input.fileName, decodeText(b), options);
  }
  return ingestText(input.fileName, input.text, options);
}

function ingestText(fileName: string, raw: string, options: IngestOptions): Remittance {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.trim() === "") return failed(fileName, "empty_file", "The file is empty");
  if (/^\s*ISA/.test(text)) return readX12_820(fileName, text, options);
  const reader = new VcExportReader(fileName, "vc-export-csv", options);
  const errors = readCsv(text, reader);
  const result = reader.finish();
  // Structural CSV errors only matter once the file is known to be a remittance.
  if (result.problems.some((p) => p.code === "not_a_remittance")) return result;
  for (const e of errors.slice(0, 20)) {
    result.problems.push({
      severity: "error",
      code: "bad_csv",
      file: fileName,
      row: e.row,
      message: `The CSV is malformed near row ${e.row}: ${e.message}`,
    });
  }
  return result;
}

/** UTF-8, or UTF-16 when Excel saved "Unicode text" (BOM FF FE / FE FF). */
function decodeText(b: Uint8Array): string {
  if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder("utf-16le").decode(b.subarray(2));
  if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder("utf-16be").decode(b.subarray(2));
  return new TextDecoder("utf-8").decode(b);
}

function failed(fileName: string, code: string, message: string): Remittance {
  return {
    format: "vc-export-csv",
    fileName,
    payments: [],
    problems: [{ severity: "error", code, file: fileName, message }],
  };
}

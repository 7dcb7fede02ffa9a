import { readFileSync } from "node:fs";
import { ingest } from "../../worker/domain/remittance/ingest";
import type { Remittance } from "../../worker/domain/remittance/model";
import type { IngestOptions } from "../../worker/domain/remittance/options";

export const FIXTURES = new URL("../fixtures/", import.meta.url);

export function fixtureBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(path, FIXTURES)));
}

export function fixtureText(path: string): string {
  return readFileSync(new URL(path, FIXTURES), "utf8");
}

export function ingestFixture(path: string, options: IngestOptions = {}): Remittance {
  return ingest(
    { kind: "bytes", fileName: path.split("/").pop() ?? path, bytes: fixtureBytes(path) },
    options,
  );
}

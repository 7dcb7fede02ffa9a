/** workerd side of the harness: the sandbox through exports.default.fetch and the fixture inputs. */
import { env, exports } from "cloudflare:workers";
import csvText from "../fixtures/remittances/us-40311877.csv?raw";
import type { Inputs, SandboxFetch } from "./harness";

export const sandbox: SandboxFetch = (request) => exports.default.fetch(request);

const bindings = env as unknown as Record<string, string>;

export function inputs(): Inputs {
  const b64 = bindings["DEMO_MAPPINGS_XLSX_B64"] ?? "";
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return { csvText, mappingsXlsx: bytes };
}

export const soakRuns = () => Number(bindings["SOAK_RUNS"] ?? "10");
export const soakSeed = () => Number(bindings["SOAK_SEED"] ?? "20260210");

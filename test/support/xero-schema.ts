/**
 * Validators for Xero request bodies from the real contract, shared/specs/xero/xero_accounting.yaml (beside
 * the repository, as on CI). The spec's schemas allow any extra property; every object schema is closed here
 * (additionalProperties: false) so a misspelt or invented field fails instead of being ignored by Xero.
 */
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";

const SPEC = new URL("../../../shared/specs/xero/xero_accounting.yaml", import.meta.url);

function closeObjects(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) closeObjects(n);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const o = node as Record<string, unknown>;
  if (o["properties"] !== undefined && o["additionalProperties"] === undefined)
    o["additionalProperties"] = false;
  for (const v of Object.values(o)) closeObjects(v);
}

/** `(wrapper, body)` → validates `{ [wrapper]: [body] }` against `components/schemas/<wrapper>`. */
export function xeroBodyValidator() {
  const spec = parse(readFileSync(SPEC, "utf8")) as { components: { schemas: Record<string, unknown> } };
  closeObjects(spec.components.schemas);
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const f of ["double", "int32", "int64", "binary", "byte"]) ajv.addFormat(f, true);
  ajv.addSchema({ $id: "xero", components: spec.components });
  return (wrapper: string, body: unknown) => {
    const validate = ajv.getSchema(`xero#/components/schemas/${wrapper}`);
    if (!validate) throw new Error(`no schema ${wrapper}`);
    const ok = validate({ [wrapper]: [body] });
    return { ok, errors: validate.errors ?? [] };
  };
}

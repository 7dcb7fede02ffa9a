/** The finance runbook names every code users can see, so it cannot drift from the code. */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ALERT_KINDS } from "../../../worker/domain/monitoring/alerts";
import { EXCEPTION_CODES } from "../../../worker/domain/plan/model";
import { PO_EXCEPTION_CODES } from "../../../worker/domain/po/plan";

const root = new URL("../../../", import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), "utf8");
const runbook = [
  read("docs/runbook.md"),
  ...readdirSync(new URL("docs/runbook/", root))
    .filter((f) => f.endsWith(".md")) // the pages, not their images
    .map((f) => read(`docs/runbook/${f}`)),
].join("\n");
const documented = (code: string) => runbook.includes(`\`${code}\``);

/** Problem codes as the remittance readers raise them (read from the source, so new ones are caught). */
function remittanceProblemCodes(): string[] {
  const dir = new URL("worker/domain/remittance/", root);
  const codes = new Set<string>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".ts"))) {
    const src = readFileSync(new URL(f, dir), "utf8");
    for (const m of src.matchAll(/code:\s*"([a-z_0-9]+)"/g)) if (m[1]) codes.add(m[1]);
    for (const m of src.matchAll(/\.cell\(\s*"(?:error|warning)",\s*"([a-z_0-9]+)"/g))
      if (m[1]) codes.add(m[1]);
    for (const m of src.matchAll(/severity,\s*code\s*\?\s*"([a-z_]+)"\s*:\s*"([a-z_]+)"/g))
      for (const c of [m[1], m[2]]) if (c) codes.add(c);
    for (const m of src.matchAll(/"(ambiguous_dates|conflicting_dates)"/g)) if (m[1]) codes.add(m[1]);
  }
  return [...codes].sort();
}

function remittanceCheckNames(): string[] {
  const src = read("worker/domain/remittance/model.ts");
  const block = /export type CheckName =([^;]+);/.exec(src)?.[1] ?? "";
  return [...block.matchAll(/"([a-z_0-9]+)"/g)].map((m) => m[1] ?? "");
}

describe("docs/runbook", () => {
  it("explains every plan exception code", () => {
    expect(EXCEPTION_CODES.filter((c) => !documented(c))).toEqual([]);
  });
  it("explains every alert", () => {
    expect(ALERT_KINDS.filter((c) => !documented(c))).toEqual([]);
  });
  it("explains every remittance file problem and check", () => {
    const codes = remittanceProblemCodes();
    expect(codes.length).toBeGreaterThan(15);
    expect(codes.filter((c) => !documented(c))).toEqual([]);
    const checks = remittanceCheckNames();
    expect(checks.length).toBeGreaterThan(8);
    expect(checks.filter((c) => !documented(c))).toEqual([]);
  });
  it("explains every purchase-order exception", () => {
    expect(PO_EXCEPTION_CODES.filter((c) => !documented(c))).toEqual([]);
  });
  it("links only to pages that exist", () => {
    const pages = new Set(readdirSync(new URL("docs/runbook/", root)));
    const links = [...runbook.matchAll(/\]\((?:runbook\/)?([a-z-]+\.md)(?:#[a-z-]+)?\)/g)].map(
      (m) => m[1] ?? "",
    );
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter((l) => !pages.has(l))).toEqual([]);
  });
});

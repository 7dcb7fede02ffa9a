/**
 * Which deduction rule applies to a remittance line. Rows are tried in sheet order (first match wins, so
 * specific rows go above general ones); the catch-all row only applies when nothing else does, whatever
 * its position. A reversal with no row of its own uses the row of the kind it reverses, so an `SCR`
 * credits the same account its `SC` debited.
 */
import { type LineKind, REVERSES, type RemittanceLine } from "../remittance/model";
import { type DeductionRule, isCatchAll, type MatchField } from "./model";

export interface RuleMatch {
  rule: DeductionRule;
  /** Only the catch-all row matched: the line is unmapped (still posted, and listed as an exception). */
  catchAll: boolean;
  /** Set when the rule was found through the kind this line reverses. */
  viaReversedKind?: LineKind;
}

const patternCache = new Map<string, RegExp>();

/** Compile a rule pattern: `re:<regex>` or a `*`/`?` wildcard matched against the whole value. */
export function compilePattern(pattern: string): RegExp {
  const cached = patternCache.get(pattern);
  if (cached) return cached;
  const re = pattern.startsWith("re:")
    ? new RegExp(pattern.slice(3), "i")
    : new RegExp(
        `^${pattern
          .split("")
          .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
          .join("")}$`,
        "i",
      );
  patternCache.set(pattern, re);
  return re;
}

function fieldText(line: RemittanceLine, field: MatchField, useOriginal: boolean): string {
  switch (field) {
    case "document_number":
      return useOriginal ? (line.originalDocumentNumber ?? line.documentNumber) : line.documentNumber;
    case "description":
      return [line.transactionType, line.transactionDescription].filter((s) => s !== undefined).join(" ");
    case "reference":
      return line.referenceDetails ?? "";
  }
}

function applies(rule: DeductionRule, vendorCode: string): boolean {
  return rule.vendorCode === undefined || rule.vendorCode === vendorCode;
}

function firstSpecific(
  rules: readonly DeductionRule[],
  line: RemittanceLine,
  kind: LineKind,
  vendorCode: string,
  useOriginal: boolean,
): DeductionRule | undefined {
  return rules.find(
    (r) =>
      applies(r, vendorCode) &&
      !isCatchAll(r) &&
      (r.kind === kind || r.kind === "any") &&
      (r.pattern === undefined || compilePattern(r.pattern).test(fieldText(line, r.matchOn, useOriginal))),
  );
}

export function matchDeduction(
  rules: readonly DeductionRule[],
  line: RemittanceLine,
  vendorCode: string,
): RuleMatch | undefined {
  const direct = firstSpecific(rules, line, line.kind, vendorCode, false);
  if (direct) return { rule: direct, catchAll: false };
  for (const reversed of REVERSES[line.kind] ?? []) {
    // The original's pattern was written for the original's number, so test it on that number.
    const rule = firstSpecific(rules, line, reversed, vendorCode, true);
    if (rule) return { rule, catchAll: false, viaReversedKind: reversed };
  }
  const catchAll = rules.find((r) => applies(r, vendorCode) && isCatchAll(r));
  return catchAll ? { rule: catchAll, catchAll: true } : undefined;
}

/**
 * Xero's validation messages → one plain sentence, and whether the document is *held* (the world changed
 * since the preview: a lock date, an invoice paid or voided elsewhere) rather than *failed* (the document
 * itself is wrong and the plan or mapping needs fixing).
 */
import type { DocError } from "./types";

interface Rule {
  test: RegExp;
  reason: string;
  code?: DocError["code"];
}

const RULES: Rule[] = [
  {
    test: /lock date/i,
    reason: "The period is locked in Xero for this date; ask your adviser or re-plan to the first open day.",
    code: "period_locked",
  },
  {
    test: /already been paid off|amount outstanding|exceeds the amount outstanding/i,
    reason: "The invoice no longer has this much due in Xero (paid or credited elsewhere since the preview).",
    code: "invoice_already_paid",
  },
  {
    test: /only be made against Authorised|not of valid status|must be authorised/i,
    reason: "The invoice or credit note is no longer approved in Xero (voided, deleted or back to draft).",
    code: "invoice_not_authorised",
  },
  {
    test: /could not be found|was not found/i,
    reason: "A document this one refers to does not exist in Xero.",
    code: "invoice_not_found",
  },
  { test: /total debits .* must equal total credits/i, reason: "The journal does not balance." },
  {
    test: /Account code '.*' (is not a valid code|has been archived)/i,
    reason: "An account in the mapping is missing or archived in Xero; fix the mapping and re-post.",
  },
  { test: /not valid for payments/i, reason: "The clearing account does not allow payments in Xero." },
  { test: /TaxType code/i, reason: "A tax type in the mapping cannot be used with its account in Xero." },
  { test: /contact/i, reason: "The Amazon contact cannot be used in Xero (archived or missing)." },
  {
    test: /limit of invoices you can approve/i,
    reason: "Xero's plan limit on approved documents is reached.",
  },
];

export function explain(messages: string[], status?: number): DocError {
  for (const m of messages) {
    for (const r of RULES) {
      if (r.test.test(m)) return { reason: r.reason, messages, ...(r.code ? { code: r.code } : {}) };
    }
  }
  const first = messages[0];
  return {
    reason: first
      ? `Xero rejected the document: ${first}`
      : `Xero rejected the document${status ? ` (HTTP ${status})` : ""}.`,
    messages,
  };
}

/** Held (world changed, re-plan or wait) rather than failed (fix the plan). */
export function isHeld(e: DocError): boolean {
  return (
    e.code === "period_locked" || e.code === "invoice_already_paid" || e.code === "invoice_not_authorised"
  );
}

/** Messages of one response element (`ValidationErrors[].Message`). */
export function elementMessages(el: unknown): string[] {
  if (typeof el !== "object" || el === null) return [];
  const v = (el as { ValidationErrors?: { Message?: string }[] }).ValidationErrors ?? [];
  return v.map((x) => x.Message ?? "").filter((m) => m !== "");
}

/** A whole-response error's text (problem JSON or ValidationException). */
export function replyMessage(body: unknown): string[] {
  if (typeof body !== "object" || body === null) return typeof body === "string" && body ? [body] : [];
  const b = body as { Detail?: string; Message?: string; Title?: string; Elements?: unknown[] };
  const fromElements = (b.Elements ?? []).flatMap(elementMessages);
  if (fromElements.length) return fromElements;
  const t = b.Detail ?? b.Message ?? b.Title;
  return t ? [t] : [];
}

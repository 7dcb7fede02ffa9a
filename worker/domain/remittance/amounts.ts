import { currencyScale, decimalToMinor } from "../money";
import type { Cell } from "./grid";

export type AmountResult =
  | { ok: true; minor: number; currencyHint?: string }
  | { ok: false; empty: true }
  | { ok: false; empty: false; reason: string };

const FAST = /^-?\d+(?:\.\d+)?$/;
const INVISIBLE = /[\s\u00a0\u2007\u2009\u202f\u200b-\u200f\u2060\ufeff']/g;
const PREFIX = /^(?:([A-Z]{3})|[A-Z]{1,2}\$|\$|€|£|¥|₹|Rs\.?|zł|kr)/;
const SUFFIX = /(?:([A-Z]{3})|\$|€|£|¥|₹|zł|kr|Rs\.?)$/;
const SYMBOL_CURRENCY: Record<string, string> = { "€": "EUR", "£": "GBP", "₹": "INR", zł: "PLN" };
const GROUPED = /^\d{1,3}(?:[.,]\d{2,3})+$/;

/**
 * Read an amount the way Vendor Central exports present them: numbers, or text with currency symbols or
 * codes, thousands separators (",", ".", space, apostrophe, Indian lakh grouping), decimal comma,
 * parentheses or a trailing minus for negatives, and invisible characters. Exact: no floating point.
 *
 * A lone comma followed by exactly three digits ("1,234") is a thousands separator for currencies with
 * fewer than three decimals (it cannot be a decimal there); for three-decimal currencies it is ambiguous
 * and refused. A lone dot is always a decimal point ("1.234" in USD is refused as having 3 decimals):
 * exports that group with dots always write a decimal comma too ("2.358,40 €").
 */
export function parseAmount(cell: Cell, currency: string): AmountResult {
  const scale = currencyScale(currency);
  if (cell === null || cell === undefined) return { ok: false, empty: true };
  if (typeof cell === "number") return numberToMinor(cell, scale);
  if (typeof cell === "boolean" || cell instanceof Date) {
    return { ok: false, empty: false, reason: "is not an amount" };
  }
  if (FAST.test(cell) && decimals(cell) <= scale) return fromDecimal(cell, scale);
  const quick = scanCommon(cell, scale);
  if (quick !== undefined) return { ok: true, minor: quick };
  let s = cell.replace(INVISIBLE, "").replace(/[\u2212\u2013\u2012]/g, "-");
  if (s === "") return { ok: false, empty: true };
  if (s.length > 64) return { ok: false, empty: false, reason: "is too long to be an amount" };
  // At most one way of saying "negative": (…), a leading or a trailing minus.
  let signs = 0;
  if (s.startsWith("(") && s.endsWith(")")) {
    signs++;
    s = s.slice(1, -1);
  }
  if (s.startsWith("-")) {
    signs++;
    s = s.slice(1);
  }
  let hint: string | undefined;
  const pre = PREFIX.exec(s);
  if (pre) {
    hint = pre[1] ?? SYMBOL_CURRENCY[pre[0]];
    s = s.slice(pre[0].length);
  }
  if (s.startsWith("-")) {
    signs++;
    s = s.slice(1);
  }
  const suf = SUFFIX.exec(s);
  if (suf) {
    hint = hint ?? suf[1] ?? SYMBOL_CURRENCY[suf[0]];
    s = s.slice(0, s.length - suf[0].length);
  }
  if (s.endsWith("-")) {
    signs++;
    s = s.slice(0, -1);
  }
  if (signs > 1) return { ok: false, empty: false, reason: "is not an amount" };
  const negative = signs === 1;
  const plain = toPlainDecimal(s, scale);
  if (plain === undefined) return { ok: false, empty: false, reason: "is not an amount" };
  const r = fromDecimal(plain, scale);
  if (!r.ok) return r;
  return {
    ok: true,
    minor: negative && r.minor !== 0 ? -r.minor : r.minor,
    ...(hint ? { currencyHint: hint } : {}),
  };
}

/**
 * The shape nearly every US export cell has — optional "-", optional "$", optional "-", digits
 * with comma groups, then "." and up to `scale` decimals — read in one pass without building strings.
 * Anything else returns undefined and takes the general path.
 */
function scanCommon(s: string, scale: number): number | undefined {
  const n = s.length;
  if (n === 0 || n > 24) return undefined;
  let i = 0;
  let negative = false;
  if (s.charCodeAt(i) === 45) {
    negative = true;
    i++;
  }
  const sym = s.charCodeAt(i);
  if (sym === 36) i++; // "$" names no single currency, so nothing is lost by not reporting it
  if (!negative && s.charCodeAt(i) === 45) {
    negative = true;
    i++;
  }
  let value = 0;
  let digits = 0;
  let group = -1; // digits since the last comma; -1 before any comma
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
      if (group >= 0) group++;
    } else if (c === 44) {
      if (digits === 0 || value === 0 || (group >= 0 && group !== 3) || (group < 0 && digits > 3))
        return undefined;
      group = 0;
    } else break;
  }
  if (digits === 0 || (group >= 0 && group !== 3)) return undefined;
  let decimals = 0;
  if (i < n) {
    if (s.charCodeAt(i) !== 46) return undefined;
    for (i++; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57 || ++decimals > scale) return undefined;
      value = value * 10 + (c - 48);
    }
    if (decimals === 0) return undefined;
  }
  for (let d = decimals; d < scale; d++) value *= 10;
  if (!Number.isSafeInteger(value) || digits > 15) return undefined;
  return negative && value !== 0 ? -value : value;
}

/** "1.234,56" / "1,234.56" / "1,23,456.00" / "12,5" → "1234.56" etc., or undefined. */
function toPlainDecimal(s: string, scale: number): string | undefined {
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return undefined;
  const lastDot = s.lastIndexOf(".");
  const lastComma = s.lastIndexOf(",");
  let intPart: string;
  let frac = "";
  if (lastDot >= 0 && lastComma >= 0) {
    const dec = lastDot > lastComma ? "." : ",";
    const thousands = dec === "." ? "," : ".";
    const at = s.lastIndexOf(dec);
    intPart = s.slice(0, at);
    frac = s.slice(at + 1);
    // The integer part may only hold digits grouped by the other separator.
    if (intPart.includes(dec) || !GROUPED.test(intPart)) return undefined;
    intPart = intPart.split(thousands).join("");
  } else {
    const sep = lastDot >= 0 ? "." : lastComma >= 0 ? "," : "";
    if (sep === "") return s;
    const parts = s.split(sep);
    if (parts.length > 2) {
      if (!GROUPED.test(s)) return undefined;
      return parts.join("");
    }
    const [a = "", b = ""] = parts;
    if (sep === "," && b.length === 3 && scale < 3 && a.length > 0 && a.length <= 3 && a[0] !== "0")
      return a + b;
    if (sep === "," && b.length === 3 && scale >= 3) return undefined;
    intPart = a;
    frac = b;
  }
  if (!/^\d*$/.test(intPart) || !/^\d+$/.test(frac)) return undefined;
  return `${intPart || "0"}.${frac}`;
}

function decimals(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

function fromDecimal(text: string, scale: number): AmountResult {
  const minor = decimalToMinor(text, scale);
  if (minor === undefined) {
    const frac = text.split(".")[1] ?? "";
    if (frac.replace(/0+$/, "").length > scale) {
      return { ok: false, empty: false, reason: `has more than ${scale} decimals` };
    }
    return { ok: false, empty: false, reason: "is too large" };
  }
  return { ok: true, minor };
}

/** A spreadsheet number cell: read it as Excel shows it (15 significant digits), then exactly. */
function numberToMinor(n: number, scale: number): AmountResult {
  if (!Number.isFinite(n)) return { ok: false, empty: false, reason: "is not a finite number" };
  // String() of a double is its shortest round-trip decimal; after toPrecision(15) that is what Excel shows.
  const text = String(Number(n.toPrecision(15)));
  if (text.includes("e")) {
    return Math.abs(n) >= 1
      ? { ok: false, empty: false, reason: "is too large" }
      : { ok: false, empty: false, reason: `has more than ${scale} decimals` };
  }
  return fromDecimal(text, scale);
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/** Parse a decimal rate such as "1.2345" or "1,2345" into a normalised decimal string. */
export function parseRate(cell: Cell): string | undefined {
  if (typeof cell === "number")
    return Number.isFinite(cell) && cell > 0 ? trimZeros(cell.toPrecision(15)) : undefined;
  if (typeof cell !== "string") return undefined;
  const s = cell.replace(INVISIBLE, "").replace(",", ".");
  return /^\d+(\.\d+)?$/.test(s) && Number(s) > 0 ? s : undefined;
}

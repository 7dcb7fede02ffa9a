/**
 * Exact money for VCX: amounts are integers in minor units (cents) of their currency.
 *
 * Why not a decimal library here: every amount VCX reads has at most the currency's decimals, and sums of
 * integers below 2^53 are exact in JavaScript. Every operation asserts it stays a safe integer, so an
 * overflow is an error, never a silent rounding. Conversions to and from decimal strings are done on the
 * string digits, never through floating point.
 */

/** ISO 4217 minor-unit exponents that are not 2. */
const EXPONENTS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

/** Number of decimals of a currency's minor unit (2 unless ISO 4217 says otherwise). */
export function currencyScale(currency: string): number {
  const e = EXPONENTS[currency];
  if (e !== undefined) return e;
  // Codes are upper case nearly always; only then can the lookup skip allocating an upper-cased copy.
  const c = currency.charCodeAt(0);
  return c >= 65 && c <= 90 ? 2 : (EXPONENTS[currency.toUpperCase()] ?? 2);
}

export class MoneyError extends Error {
  override name = "MoneyError";
}

function assertSafe(n: number, what: string): number {
  if (!Number.isSafeInteger(n)) throw new MoneyError(`${what} is outside the exact range of amounts`);
  return n;
}

/** Sum of minor-unit integers, exact or throws. */
export function sumMinor(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total = assertSafe(total + v, "a sum");
  return total;
}

export function addMinor(a: number, b: number): number {
  return assertSafe(a + b, "a sum");
}

export function subMinor(a: number, b: number): number {
  return assertSafe(a - b, "a difference");
}

const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d*))?$/;

/**
 * Parse a plain decimal string ("-1234.5", "0.50", "12") into minor units at `scale` decimals.
 * Returns undefined when the string is not a plain decimal or has non-zero digits beyond `scale`
 * (those cannot be represented exactly and must be reported, not rounded).
 */
export function decimalToMinor(text: string, scale: number): number | undefined {
  const m = PLAIN_DECIMAL.exec(text);
  if (!m) return undefined;
  const [, sign, int = "", frac = ""] = m;
  const kept = frac.slice(0, scale).padEnd(scale, "0");
  if (/[^0]/.test(frac.slice(scale))) return undefined;
  const digits = (int + kept).replace(/^0+(?=\d)/, "");
  if (digits.length > 15) return undefined; // beyond 15 digits a double is no longer exact
  const n = Number(digits);
  return sign === "-" && n !== 0 ? -n : n;
}

/** Minor units → decimal string with exactly `scale` decimals ("-12.30"). */
export function minorToDecimal(minor: number, scale: number): string {
  assertSafe(minor, "an amount");
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(scale + 1, "0");
  const int = scale === 0 ? digits : digits.slice(0, digits.length - scale);
  const frac = scale === 0 ? "" : `.${digits.slice(digits.length - scale)}`;
  return `${negative ? "-" : ""}${int}${frac}`;
}

/** Minor units → decimal string in the currency's scale. */
export function formatMoney(minor: number, currency: string): string {
  return minorToDecimal(minor, currencyScale(currency));
}

/** Human format with thousands separators: 12770 USD 2dp → "12,770.00". */
export function formatMoneyHuman(minor: number, currency: string): string {
  const plain = formatMoney(minor, currency);
  const [int = "", frac] = plain.split(".");
  const sign = int.startsWith("-") ? "-" : "";
  const grouped = int.replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${grouped}${frac === undefined ? "" : `.${frac}`}`;
}

/**
 * Split `total` into parts proportional to integer `ratios`, exactly: the parts always sum to `total`
 * (largest-remainder method; ties go to the earlier part). Used to spread an amount over lines.
 */
export function allocateMinor(total: number, ratios: readonly number[]): number[] {
  if (ratios.length === 0) throw new MoneyError("allocate needs at least one ratio");
  if (ratios.some((r) => !Number.isSafeInteger(r) || r < 0))
    throw new MoneyError("ratios must be non-negative integers");
  const sum = ratios.reduce((a, b) => a + b, 0);
  if (sum === 0) throw new MoneyError("ratios must not all be zero");
  const sign = total < 0 ? -1 : 1;
  const abs = Math.abs(total);
  // BigInt for the products: abs * ratio can exceed 2^53 even when both fit.
  const parts = ratios.map((r) => (BigInt(abs) * BigInt(r)) / BigInt(sum));
  const rema = ratios.map((r, i) => ({ i, rem: (BigInt(abs) * BigInt(r)) % BigInt(sum) }));
  let left = BigInt(abs) - parts.reduce((a, b) => a + b, 0n);
  rema.sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of rema) {
    if (left === 0n) break;
    parts[i] = (parts[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return parts.map((p) => (p === 0n ? 0 : sign * Number(p)));
}

/**
 * Exact decimals for purchase orders. Amazon's Money.amount is a decimal string that may carry an exponent
 * ("1.5E+2"); quantities are integers. Values become integers at a fixed scale (4 dp for unit costs, the
 * precision Xero keeps with `unitdp=4`), computed on digits with BigInt — never through floating point.
 */

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/**
 * "94.97" at scale 4 → 949700; "1.5e2" → 1500000. Undefined when the text is not a decimal, needs more
 * than `scale` decimals (not representable exactly) or is beyond the exact integer range.
 */
export function parseScaled(text: string, scale: number): number | undefined {
  const m = DECIMAL.exec(text.trim());
  if (!m) return undefined;
  const [, sign = "", int = "", frac = "", exp = "0"] = m;
  const digits = BigInt(`${int}${frac}` || "0");
  const shift = Number(exp) - frac.length + scale;
  let value: bigint;
  if (shift >= 0) value = digits * 10n ** BigInt(shift);
  else {
    const div = 10n ** BigInt(-shift);
    if (digits % div !== 0n) return undefined;
    value = digits / div;
  }
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  const n = Number(value);
  return sign === "-" && n !== 0 ? -n : n;
}

/** Integer at `scale` → plain decimal string with exactly `scale` decimals. */
export function formatScaled(value: number, scale: number): string {
  const negative = value < 0;
  const digits = String(Math.abs(value)).padStart(scale + 1, "0");
  const int = scale === 0 ? digits : digits.slice(0, digits.length - scale);
  return `${negative ? "-" : ""}${int}${scale === 0 ? "" : `.${digits.slice(digits.length - scale)}`}`;
}

/** Integer at `scale` → plain decimal, trailing zeros dropped ("50.0000" → "50"). */
export function showScaled(value: number, scale: number): string {
  const s = formatScaled(value, scale);
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/** n/d rounded half away from zero (BigInt, exact). */
export function divRound(n: bigint, d: bigint): bigint {
  const negative = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (an * 2n + ad) / (2n * ad);
  return negative ? -q : q;
}

/** Line value in cents (2 dp): quantity (integer at `qScale`) × unit (integer at 4 dp), rounded half up as Xero does. */
export function lineValueCents(quantity: number, unit4: number, qScale = 0): number {
  const v = divRound(BigInt(quantity) * BigInt(unit4), 10n ** BigInt(qScale + 2));
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError("line value is beyond the exact range");
  return Number(v);
}

/** JSON number carrying exactly the decimal digits of an integer at `scale`. */
export function wireScaled(value: number, scale: number): number {
  return Number(formatScaled(value, scale));
}

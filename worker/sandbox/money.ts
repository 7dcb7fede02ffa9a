/**
 * Exact decimal handling. Money is kept in integer cents (scale 2), unit amounts and quantities in
 * integer units of 0.0001 (scale 4), tax rates in units of 0.0001 %. No float arithmetic on money:
 * input numbers are converted through their shortest decimal text, products use BigInt.
 */

export const MONEY = 2;
export const UNIT = 4;

/** A decimal rendered verbatim into JSON (so 10000 is written as `10000.00`). */
export class Dec {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `@@DEC@@${this.text}@@`;
  }
}

/** Decimal text of a JS number without exponent notation. */
function numberText(v: number): string {
  const s = String(v);
  if (!/e/i.test(s)) return s;
  return v.toFixed(20).replace(/0+$/, "").replace(/\.$/, "");
}

/** Parse a number or numeric string into an integer at `scale` decimals, rounding half away from zero. */
export function toScaled(v: unknown, scale: number): number | null {
  let text: string;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return null;
    text = numberText(v);
  } else if (typeof v === "string" && v.trim() !== "") {
    text = v.trim();
  } else return null;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const neg = m[1] === "-";
  const intPart = m[2] || "0";
  const frac = m[3] ?? "";
  const kept = (frac + "0".repeat(scale)).slice(0, scale);
  let units = BigInt(intPart + kept);
  const next = frac.charCodeAt(scale);
  if (!Number.isNaN(next) && next >= 53 /* '5' */) units += 1n;
  const n = Number(neg ? -units : units);
  return Object.is(n, -0) ? 0 : n;
}

/** Render an integer at `scale` decimals as text, e.g. (1234, 2) → "12.34". */
export function scaledText(units: number, scale: number): string {
  const neg = units < 0;
  const digits = String(Math.abs(units)).padStart(scale + 1, "0");
  const body = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return neg ? `-${body}` : body;
}

export const money = (cents: number): Dec => new Dec(scaledText(cents, MONEY));
export const unit4 = (units: number): Dec => new Dec(scaledText(units, UNIT));

/** round(n / d) half away from zero, exact. */
export function divRound(n: bigint, d: bigint): bigint {
  const neg = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (an * 2n + ad) / (ad * 2n);
  return neg ? -q : q;
}

/** cents = round2(quantity(4dp) × unitAmount(4dp) × (1 − discountRate(4dp %)/100)). */
export function lineCents(quantity4: number, unit4v: number, discountRate4 = 0): number {
  const gross = BigInt(quantity4) * BigInt(unit4v); // scale 8
  const factor = 1_000_000n - BigInt(discountRate4); // (100 % − rate) at scale 4 → scale 6 of a unit
  return Number(divRound(gross * factor, 1_000_000n * 1_000_000n));
}

/** Tax on a line: exclusive round2(LA × r), inclusive round2(LA × r / (1 + r)); r in 4dp percent. */
export function lineTax(lineAmountCents: number, rate4: number, inclusive: boolean): number {
  const la = BigInt(lineAmountCents);
  const r = BigInt(rate4);
  if (inclusive) return Number(divRound(la * r, 1_000_000n + r));
  return Number(divRound(la * r, 1_000_000n));
}

/** 2-dp text used inside Xero messages, e.g. "100.00". */
export const moneyText = (cents: number): string => scaledText(cents, MONEY);

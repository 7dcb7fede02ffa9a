/**
 * Exact conversions into Xero's money: every Xero amount is 2 dp whatever the currency, and manual journals
 * are in the organisation's base currency. Rounding is half away from zero (what Xero appears to use) on
 * integers/BigInt, never floats; callers book the residue to the rounding account.
 */
import { currencyScale, MoneyError } from "../money";

const XERO_SCALE = 2;

function divRoundHalfAway(n: bigint, d: bigint): bigint {
  const negative = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (an * 2n + ad) / (2n * ad);
  return negative ? -q : q;
}

/** Minor units of `currency` → Xero minor units (2 dp). Exact for 0–2 dp currencies. */
export function toXeroMinor(minor: number, currency: string): number {
  const scale = currencyScale(currency);
  if (scale === XERO_SCALE) return minor;
  if (scale < XERO_SCALE) return minor * 10 ** (XERO_SCALE - scale);
  return Number(divRoundHalfAway(BigInt(minor), 10n ** BigInt(scale - XERO_SCALE)));
}

/** A plain positive decimal rate "83.125" → [digits, scale]. */
function parseRate(rate: string): [bigint, bigint] {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(rate.trim());
  if (!m) throw new MoneyError(`exchange rate "${rate}" is not a plain positive decimal`);
  const frac = m[2] ?? "";
  const digits = BigInt(`${m[1]}${frac}`);
  if (digits === 0n) throw new MoneyError("exchange rate must not be zero");
  return [digits, 10n ** BigInt(frac.length)];
}

export function isValidRate(rate: string): boolean {
  try {
    parseRate(rate);
    return true;
  } catch {
    return false;
  }
}

/** 2 dp amount × rate, rounded to 2 dp. */
export function convertAtRate(minor: number, rate: string): number {
  const [digits, scale] = parseRate(rate);
  return Number(divRoundHalfAway(BigInt(minor) * digits, scale));
}

/**
 * Xero's CurrencyRate is "units of the document currency per unit of base currency"; the remittance gives
 * "payment currency per invoice currency". Invert it to `dp` decimals.
 */
export function invertRate(rate: string, dp = 6): number {
  const [digits, scale] = parseRate(rate);
  const q = divRoundHalfAway(scale * 10n ** BigInt(dp), digits);
  const s = q.toString().padStart(dp + 1, "0");
  return Number(`${s.slice(0, -dp)}.${s.slice(-dp)}`);
}

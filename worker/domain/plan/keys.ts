/**
 * Document keys: one stable string per planned document, derived only from the remittance's identity
 * (vendor code, payment number, role, Amazon document number and its occurrence), never from amounts, org
 * state or time — so re-planning yields the same keys and the Worker can skip what it already posted.
 * The key is the future Idempotency-Key (≤ 128 chars) and is written into Reference/Narration.
 */

export const KEY_VERSION = "vcx1";
export const MAX_KEY_LENGTH = 128;

export type KeyRole = "cn" | "alloc" | "pay" | "refund" | "mj" | "bank";

const SAFE = /^[A-Za-z0-9._-]*$/;

/** Header-safe text: anything but letters, digits and `._-` is percent-encoded. */
export function encodePart(s: string): string {
  if (SAFE.test(s)) return s; // the common case: nothing to encode, no bytes to build
  return Array.from(new TextEncoder().encode(s))
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9._-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
}

/** FNV-1a 64-bit: a small, pure, deterministic digest to shorten over-long keys. */
export function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(text)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, "0");
}

export interface KeyParts {
  vendorCode: string;
  paymentNumber: string;
  role: KeyRole;
  /** Amazon/vendor document number the document is about. */
  document?: string;
  /** 1-based occurrence of `document` within the payment (duplicates get #2, #3…). */
  occurrence?: number;
}

export function documentKey(p: KeyParts): string {
  const parts = [KEY_VERSION, encodePart(p.vendorCode), encodePart(p.paymentNumber), p.role];
  if (p.document !== undefined) parts.push(encodePart(p.document));
  let key = parts.join(":");
  if (p.occurrence !== undefined && p.occurrence > 1) key += `~${p.occurrence}`;
  if (key.length <= MAX_KEY_LENGTH) return key;
  // Keep a readable prefix and make the whole unique with a digest of the full key.
  return `${key.slice(0, MAX_KEY_LENGTH - 18)}~h${fnv1a64(key)}`;
}

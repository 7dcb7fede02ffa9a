/** WebCrypto helpers: random tokens, SHA-256 digests, constant-time comparison, HMAC, AES-GCM at rest. */

const enc = new TextEncoder();
const dec = new TextDecoder();

export function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function base64ToBytes(b64: string): Uint8Array {
  const norm = b64.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(norm + "=".repeat((4 - (norm.length % 4)) % 4));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

export function bytesToBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** A random, URL-safe secret with a readable prefix (e.g. `vcxs_…` for sessions). */
export function randomToken(prefix: string, bytes = 32): string {
  return `${prefix}${base64url(crypto.getRandomValues(new Uint8Array(bytes)))}`;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compare two byte strings in time independent of where they differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i % (a.length || 1)] ?? 0) ^ (b[i % (b.length || 1)] ?? 0);
  return diff === 0;
}

export async function hmacSha256(key: string, data: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", enc.encode(key), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, data));
}

/**
 * AES-256-GCM for Xero tokens at rest. Ciphertext format: `v1.<base64 iv>.<base64 ciphertext+tag>`; the
 * organisation id is bound as additional data so a token row cannot be swapped onto another organisation.
 */
export class TokenCipher {
  private constructor(private readonly key: CryptoKey) {}

  static async fromSecret(secretBase64: string | undefined): Promise<TokenCipher> {
    if (!secretBase64) throw new Error("TOKEN_ENCRYPTION_KEY is not configured");
    const raw = base64ToBytes(secretBase64);
    if (raw.length !== 32) throw new Error("TOKEN_ENCRYPTION_KEY must be 32 bytes (base64)");
    const key = await crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    return new TokenCipher(key);
  }

  async encrypt(plain: string, context: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: enc.encode(context) },
      this.key,
      enc.encode(plain),
    );
    return `v1.${bytesToBase64(iv)}.${bytesToBase64(new Uint8Array(ct))}`;
  }

  async decrypt(sealed: string, context: string): Promise<string> {
    const [version, iv, ct] = sealed.split(".");
    if (version !== "v1" || !iv || !ct) throw new Error("unknown token ciphertext format");
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: base64ToBytes(iv), additionalData: enc.encode(context) },
      this.key,
      base64ToBytes(ct),
    );
    return dec.decode(plain);
  }
}

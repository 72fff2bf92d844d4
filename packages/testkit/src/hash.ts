/**
 * Small non-cryptographic hashes: FNV-1a over bytes and strings, folded into a 53-bit
 * number so that it is a safe integer usable as a map key. Used for entry fingerprints in
 * the Log Matching checker and for trace hashes; collisions are astronomically unlikely at
 * simulation scale and would only hide a violation, never invent one.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** A 53-bit hash of `bytes`, optionally continuing from `seed` (a previous hash). */
export function hashBytes(bytes: Uint8Array, seed = 0): number {
  let h1 = (FNV_OFFSET ^ seed) >>> 0;
  let h2 = (0x9747b28c ^ Math.floor(seed / 4294967296)) >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    h1 = Math.imul(h1 ^ b, FNV_PRIME) >>> 0;
    h2 = Math.imul(h2 ^ b, 0x5bd1e995) >>> 0;
  }
  h2 = Math.imul(h2 ^ bytes.length, 0x5bd1e995) >>> 0;
  return (h2 & 0x1fffff) * 4294967296 + h1;
}

/** A 53-bit hash of the UTF-16 code units of `text`, optionally continuing from `seed`. */
export function hashString(text: string, seed = 0): number {
  let h1 = (FNV_OFFSET ^ seed) >>> 0;
  let h2 = (0x9747b28c ^ Math.floor(seed / 4294967296)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, FNV_PRIME) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  h2 = Math.imul(h2 ^ text.length, 0x5bd1e995) >>> 0;
  return (h2 & 0x1fffff) * 4294967296 + h1;
}

/** `hash` as 14 lowercase hex digits (the width of a 53-bit number). */
export function hashHex(hash: number): string {
  return hash.toString(16).padStart(14, '0');
}

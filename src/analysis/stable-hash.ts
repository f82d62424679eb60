/**
 * A deterministic 64-bit FNV-1a hash of a string's UTF-16 code units, as 16 hex digits. Not
 * cryptographic: used to shorten over-long job ids and to derive stable names, identically in
 * every process and on every run.
 */
export function stableHash(text: string): string {
  // 64-bit FNV-1a over two 32-bit halves (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (let i = 0; i < text.length; i += 1) {
    low = (low ^ text.charCodeAt(i)) >>> 0;
    // (high, low) *= 0x100000001b3 modulo 2^64, split as 2^40 + 0x1b3.
    const lowTimes = low * 0x1b3;
    const carry = Math.floor(lowTimes / 0x100000000);
    const newLow = lowTimes >>> 0;
    high = (Math.imul(high, 0x1b3) + Math.imul(low, 0x100) + carry) >>> 0;
    low = newLow;
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}

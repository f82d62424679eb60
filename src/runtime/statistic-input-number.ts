import { parseDecimal } from './parse-decimal.js';

const QUOTE = 0x22;
const SPACE = 0x20;

/** Words accepted besides decimal numbers. */
const WORDS: ReadonlyMap<string, number> = new Map([
  ['null', Number.NaN],
  ['NULL', Number.NaN],
  ['NaN', Number.NaN],
  ['nan', Number.NaN],
  ['true', 1],
  ['True', 1],
  ['TRUE', 1],
  ['false', 0],
  ['False', 0],
  ['FALSE', 0],
  ['inf', Number.POSITIVE_INFINITY],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-inf', Number.NEGATIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
]);

/** The bytes as a Buffer (no copy), for cheap `latin1` slices. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The number in bytes[start, end): empty (or quoted empty) is null (NaN); a decimal number is
 * read exactly as `Number()` reads it ({@link parseDecimal}); the words null, NaN, true, false,
 * inf and Infinity are accepted. Returns undefined for anything else (`0x10`, `1_000`, `1e`).
 */
export function parseNumberField(bytes: Buffer, start: number, end: number): number | undefined {
  let s = start;
  let e = end;
  if (e - s >= 2 && bytes[s] === QUOTE && bytes[e - 1] === QUOTE) {
    s++;
    e--;
  }
  while (s < e && bytes[s] === SPACE) s++;
  while (e > s && bytes[e - 1] === SPACE) e--;
  if (s === e) return Number.NaN;
  const value = parseDecimal(bytes, s, e);
  if (value !== undefined) return value;
  return WORDS.get(bytes.toString('latin1', s, e));
}

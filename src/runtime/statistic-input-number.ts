/** Exact powers of ten 10^0 … 10^22 (the range where a double holds them exactly). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const QUOTE = 0x22;

/** Words accepted besides numbers. */
const WORDS: Readonly<Record<string, number>> = {
  null: Number.NaN,
  NULL: Number.NaN,
  NaN: Number.NaN,
  nan: Number.NaN,
  true: 1,
  True: 1,
  TRUE: 1,
  false: 0,
  False: 0,
  FALSE: 0,
  inf: Number.POSITIVE_INFINITY,
  Infinity: Number.POSITIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** The bytes as a Buffer (no copy), for cheap `latin1` slices. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The number in bytes[start, end): empty (or quoted empty) is null (NaN); decimal numbers with
 * at most 15 significant digits and a power of ten within ±22 are converted exactly on the fast
 * path (Clinger: one correctly rounded multiply or divide), anything else through `Number()`.
 * Returns undefined when the text is not a number.
 */
export function parseNumberField(bytes: Buffer, start: number, end: number): number | undefined {
  let s = start;
  let e = end;
  if (e - s >= 2 && bytes[s] === QUOTE && bytes[e - 1] === QUOTE) {
    s++;
    e--;
  }
  while (s < e && bytes[s] === 0x20) s++;
  while (e > s && bytes[e - 1] === 0x20) e--;
  if (s === e) return Number.NaN;
  const fast = fastDecimal(bytes, s, e);
  if (fast !== undefined) return fast;
  const text = bytes.toString('latin1', s, e);
  const word = WORDS[text];
  if (word !== undefined) return word;
  const value = Number(text);
  return Number.isNaN(value) || text.trim() === '' ? undefined : value;
}

function fastDecimal(bytes: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  let negative = false;
  if (bytes[i] === MINUS || bytes[i] === PLUS) negative = bytes[i++] === MINUS;
  let mantissa = 0;
  let digits = 0;
  let exponent = 0;
  let sawDigit = false;
  for (; i < end && bytes[i]! >= ZERO && bytes[i]! <= NINE; i++) {
    mantissa = mantissa * 10 + (bytes[i]! - ZERO);
    if (mantissa > 0) digits++;
    sawDigit = true;
  }
  if (i < end && bytes[i] === DOT) {
    for (i++; i < end && bytes[i]! >= ZERO && bytes[i]! <= NINE; i++) {
      mantissa = mantissa * 10 + (bytes[i]! - ZERO);
      if (mantissa > 0) digits++;
      exponent--;
      sawDigit = true;
    }
  }
  if (i !== end || !sawDigit || digits > 15 || exponent < -22) return undefined;
  const value = exponent === 0 ? mantissa : mantissa / POW10[-exponent]!;
  return negative ? -value : value;
}

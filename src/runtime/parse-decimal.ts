/**
 * Exact decimal-to-double conversion straight from bytes, for the input of `contrail stats`.
 *
 * Accepts only decimal numbers: `[+-]digits[.digits][(e|E)[+-]digits]` (either side of the dot
 * may be empty, not both). Returns the same double as `Number()` on that text:
 * - up to 15 significant digits with a power of ten within ±22: one correctly rounded multiply
 *   or divide of two exact doubles (Clinger's fast path);
 * - up to 18 significant digits with a power of ten within ±22: the exact product or quotient in
 *   double-double arithmetic, rounded once; when that sum lies within a safety margin of a
 *   rounding boundary (about one input in a billion), `Number()` decides;
 * - anything else (more digits, larger exponents): `Number()` on the validated text.
 */

/** Exact powers of ten 10^0 … 10^22 (the range where a double holds them exactly). */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
/** Significant digits kept in the head accumulator (head × 5^8 stays below 2^53). */
const HEAD_DIGITS = 10;
/** Significant digits of the double-double path: 10 in the head, 8 in the tail. */
const MAX_DIGITS = 18;
const TWO_53 = 2 ** 53;
/** Dekker's splitter, 2^27 + 1. */
const SPLITTER = 134_217_729;
/** Margin around a rounding boundary, in units of the half-ulp: far above the rounding error. */
const MARGIN = 2 ** -30;
/** Larger exponents are left to `Number()` (and saturate the accumulator harmlessly). */
const EXPONENT_LIMIT = 100_000;

/** Dekker's split of each power of ten: POW10[k] = POW10_HIGH[k] + POW10_LOW[k], 26 bits each. */
const POW10_HIGH = POW10.map((d) => SPLITTER * d - (SPLITTER * d - d));
const POW10_LOW = POW10.map((d, k) => d - POW10_HIGH[k]!);

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/**
 * Half the gap from the positive normal double `y` to its upper neighbour (2^(exponent − 53)),
 * read from its bits; {@link lowerHalfGap} is the same towards the lower neighbour.
 */
function upperHalfGap(y: number): number {
  bits[0] = y;
  const exponent = (words[1]! >>> 20) & 0x7ff;
  const mantissaIsZero = words[0] === 0 && (words[1]! & 0xfffff) === 0;
  // 2^(exponent − 1076) as a double: biased exponent (exponent − 53), zero mantissa.
  words[0] = 0;
  words[1] = (exponent - 53) << 20;
  const half = bits[0];
  lowerHalfGap = mantissaIsZero ? half / 2 : half;
  return half;
}

/** Set by {@link upperHalfGap}: half the gap to the lower neighbour (smaller at a power of two). */
let lowerHalfGap = 0;

/**
 * The rounding error of `p = a × 10^k`: a × 10^k = p + error exactly (Dekker, with the power
 * of ten split in advance).
 */
function productError(a: number, k: number, p: number): number {
  const ca = SPLITTER * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const bh = POW10_HIGH[k]!;
  const bl = POW10_LOW[k]!;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * `base + correction` rounded, when the exact value `base + trueCorrection` (with
 * |trueCorrection − correction| far below {@link MARGIN} half-ulps) rounds the same way;
 * undefined when the sum is too close to a rounding boundary to tell.
 */
function certifiedSum(base: number, correction: number): number | undefined {
  const y = base + correction;
  const halfUp = upperHalfGap(y);
  const halfDown = lowerHalfGap;
  const offset = y - base;
  const margin = halfDown * MARGIN;
  if (Math.abs(correction - (offset + halfUp)) <= margin) return undefined;
  if (Math.abs(correction - (offset - halfDown)) <= margin) return undefined;
  return y;
}

/** w × 10^q for w = wh + wl exactly (wl ≠ 0 or wh > 2^53), |q| ≤ 22; undefined near a tie. */
function doubleDouble(wh: number, wl: number, q: number): number | undefined {
  const k = q < 0 ? -q : q;
  const d = POW10[k]!;
  if (q >= 0) {
    const p = wh * d;
    return certifiedSum(p, productError(wh, k, p) + wl * d);
  }
  const q1 = wh / d;
  const p = q1 * d;
  const remainder = wh - p - productError(q1, k, p) + wl;
  return certifiedSum(q1, remainder / d);
}

/**
 * The decimal number in bytes[start, end) as `Number()` reads it, or undefined when the text is
 * not a decimal number (hex, binary, octal, words, stray characters, empty).
 */
export function parseDecimal(bytes: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  let negative = false;
  if (i < end && (bytes[i] === MINUS || bytes[i] === PLUS)) negative = bytes[i++] === MINUS;
  const intStart = i;
  while (i < end && bytes[i] === ZERO) i++; // leading zeros are not significant
  const intSignificant = i;
  while (i < end && bytes[i]! >= ZERO && bytes[i]! <= NINE) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < end && bytes[i] === DOT) {
    fracStart = ++i;
    while (i < end && bytes[i]! >= ZERO && bytes[i]! <= NINE) i++;
    fracEnd = i;
  }
  if (intEnd === intStart && fracEnd === fracStart) return undefined;
  let exponent = 0;
  if (i < end && (bytes[i] === LOWER_E || bytes[i] === UPPER_E)) {
    i++;
    let expNegative = false;
    if (i < end && (bytes[i] === MINUS || bytes[i] === PLUS)) expNegative = bytes[i++] === MINUS;
    const first = i;
    for (; i < end && bytes[i]! >= ZERO && bytes[i]! <= NINE; i++) {
      if (exponent < EXPONENT_LIMIT) exponent = exponent * 10 + (bytes[i]! - ZERO);
    }
    if (i === first) return undefined;
    if (expNegative) exponent = -exponent;
  }
  if (i !== end) return undefined;
  const value = digitsValue(bytes, intSignificant, intEnd, fracStart, fracEnd, exponent);
  if (value !== undefined) return negative ? -value : value;
  return Number(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', start, end),
  );
}

/**
 * The value of the digits bytes[intFrom, intEnd) . bytes[fracStart, fracEnd) × 10^exponent
 * (no leading zeros before intFrom); undefined when `Number()` must decide.
 */
function digitsValue(
  bytes: Uint8Array,
  intFrom: number,
  intEnd: number,
  fracStart: number,
  fracEnd: number,
  exponent: number,
): number | undefined {
  let from = intFrom;
  if (intFrom === intEnd) {
    // 0.000ddd: the zeros after the dot only shift the exponent.
    from = fracStart;
    while (from < fracEnd && bytes[from] === ZERO) from++;
    if (from === fracEnd) return 0;
  }
  const intDigits = intEnd - from > 0 ? intEnd - from : 0;
  const fracDigits = fracEnd - (intDigits > 0 ? fracStart : from);
  const significant = intDigits + fracDigits;
  const scale = exponent - (fracEnd - fracStart);
  if (significant > MAX_DIGITS || scale > 22 || scale < -22) return undefined;
  // The digits are bytes[from, end1) then bytes[start2, fracEnd) (the dot between is skipped);
  // the first HEAD_DIGITS of them go to head, the rest to tail.
  const end1 = intDigits > 0 ? intEnd : fracEnd;
  const start2 = intDigits > 0 ? fracStart : fracEnd;
  const headEnd1 = Math.min(end1, from + HEAD_DIGITS);
  let head = 0;
  let tail = 0;
  let k = from;
  for (; k < headEnd1; k++) head = head * 10 + (bytes[k]! - ZERO);
  for (; k < end1; k++) tail = tail * 10 + (bytes[k]! - ZERO);
  const headEnd2 = Math.min(fracEnd, start2 + HEAD_DIGITS - (headEnd1 - from));
  for (k = start2; k < headEnd2; k++) head = head * 10 + (bytes[k]! - ZERO);
  for (; k < fracEnd; k++) tail = tail * 10 + (bytes[k]! - ZERO);
  const tailDigits = significant > HEAD_DIGITS ? significant - HEAD_DIGITS : 0;
  return convert(head, tail, tailDigits, scale);
}

/** head·10^tailDigits + tail, times 10^exponent; undefined when `Number()` must decide. */
function convert(
  head: number,
  tail: number,
  tailDigits: number,
  exponent: number,
): number | undefined {
  const scaled = head * POW10[tailDigits]!; // exact: head × 5^8 < 2^53
  const wh = scaled + tail;
  const wl = tail - (wh - scaled); // Fast2Sum: scaled ≥ tail
  if (wl === 0 && wh <= TWO_53) {
    if (exponent === 0) return wh;
    return exponent > 0 ? wh * POW10[exponent]! : wh / POW10[-exponent]!;
  }
  return doubleDouble(wh, wl, exponent);
}

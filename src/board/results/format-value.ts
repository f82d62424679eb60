/**
 * Number formatting for the results pages: deterministic (no locale), typographic minus signs,
 * and "n/a" for missing values so that an empty cell never looks like a zero.
 */

/** Shown where a value is null or not finite. */
export const MISSING = 'n/a';

const MINUS = '\u2212';

function withMinus(text: string): string {
  return text.startsWith('-') ? `${MINUS}${text.slice(1)}` : text;
}

/** Groups the integer part in threes with thin commas: 1234567.5 → "1,234,567.5". */
function groupThousands(text: string): string {
  const [whole = '', fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/**
 * A metric value with about four significant digits: 4.854, 0.4312, 1,234, 2.1e−5.
 * @param value - null or a non-finite number gives {@link MISSING}.
 */
export function formatValue(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return MISSING;
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e9) return withMinus(value.toExponential(2)).replace('e-', `e${MINUS}`);
  if (abs >= 1000) return withMinus(groupThousands(value.toFixed(abs >= 1e5 ? 0 : 1)));
  return withMinus(String(Number(value.toPrecision(4))));
}

/** A value with an explicit sign: +0.993, −1.2. */
export function formatSigned(value: number | null): string {
  const text = formatValue(value);
  return value !== null && Number.isFinite(value) && value > 0 ? `+${text}` : text;
}

/** A relative change as a signed percentage: 0.2107 → "+21.1%". */
export function formatPercent(value: number | null, digits = 1): string {
  if (value === null || !Number.isFinite(value)) return MISSING;
  const text = withMinus((value * 100).toFixed(digits));
  const zero = Number((value * 100).toFixed(digits)) === 0;
  return `${value > 0 && !zero ? '+' : ''}${zero ? (0).toFixed(digits) : text}%`;
}

/** "[lower, upper]" with the given formatter, or "no interval" when a bound is missing. */
export function formatInterval(
  lower: number | null,
  upper: number | null,
  format: (value: number | null) => string,
): string {
  if (lower === null || upper === null) return 'no interval';
  return `[${format(lower)}, ${format(upper)}]`;
}

/** A p-value: 0.4493 → "0.449", 1.56e−5 → "1.6e−5", below 1e−300 → "< 1e−300". */
export function formatPValue(p: number): string {
  if (p < 1e-300) return `< 1e${MINUS}300`;
  if (p >= 0.001) return p.toFixed(3);
  return p.toExponential(1).replace('e-', `e${MINUS}`);
}

/** A count of clients: 12345 → "12,345". */
export function formatCount(count: number | null): string {
  if (count === null || !Number.isFinite(count)) return MISSING;
  return groupThousands(String(Math.round(count)));
}

/** Window indices as ranges: [1, 2, 3, 5] → "1–3, 5"; [] → "none". */
export function formatWindowList(windows: readonly number[]): string {
  if (windows.length === 0) return 'none';
  const parts: string[] = [];
  let start = windows[0]!;
  let prev = start;
  for (const n of [...windows.slice(1), Number.NaN]) {
    if (n === prev + 1) {
      prev = n;
      continue;
    }
    parts.push(start === prev ? String(start) : `${start}\u2013${prev}`);
    start = n;
    prev = n;
  }
  return parts.join(', ');
}

/** Unix seconds as `YYYY-MM-DD HH:MM UTC`; null gives "never". */
export function formatUnixTime(seconds: number | null): string {
  if (seconds === null) return 'never';
  return `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

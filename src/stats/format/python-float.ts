/**
 * Python's `round(v, 6)`: the double nearest to v correctly rounded to 6 decimals, ties to even.
 * `toFixed` rounds the exact binary value too but breaks ties away from zero, so exact ties
 * (the exact decimal expansion ends in 5 at the 7th decimal) are corrected.
 */
export function roundHalfEven6(v: number): number {
  if (!Number.isFinite(v) || v === 0 || Math.abs(v) >= 1e15) return v;
  const rounded = Number(v.toFixed(6));
  const exact = Math.abs(v).toFixed(30);
  const point = exact.indexOf('.');
  const tail = exact.slice(point + 7);
  if (tail[0] === '5' && /^50*$/.test(tail)) {
    const lastKept = Number(exact[point + 6]);
    if (lastKept % 2 === 0) return Number(Math.sign(v) * Number(exact.slice(0, point + 7)));
  }
  return rounded;
}

/** Python's `repr` of a float: shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
export function pythonFloatRepr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Number.POSITIVE_INFINITY) return 'inf';
  if (v === Number.NEGATIVE_INFINITY) return '-inf';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  if (v === 0) return `${sign}0.0`;
  const [mantissa = '', exponentText = '0'] = Math.abs(v).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${body}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const intDigits = digits.padEnd(exponent + 1, '0');
  const whole = intDigits.slice(0, exponent + 1);
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
}

/**
 * A statistic row's numeric `parameter` the way jetstream writes it: Python `str(round(v, 6))`,
 * e.g. `2.044627`, `13.0`, `1e-05`. Integers (the extra grid row at 0) print without a decimal
 * point, like Python's `str(0)`.
 */
export function formatParameter(v: number, integer = false): string {
  if (integer && Number.isInteger(v)) return String(v);
  return pythonFloatRepr(roundHalfEven6(v));
}

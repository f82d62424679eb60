import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseDecimal } from '../../../src/runtime/parse-decimal.js';

/** parseDecimal over the whole text, as the CSV and NDJSON readers call it. */
function parse(text: string): number | undefined {
  const bytes = Buffer.from(text, 'latin1');
  return parseDecimal(bytes, 0, bytes.length);
}

/** Same double as Number(), bit for bit (-0 and 0 differ). */
function expectSameAsNumber(text: string): void {
  const parsed = parse(text);
  const expected = Number(text);
  expect(
    parsed !== undefined && Object.is(parsed, expected),
    `${text}: ${parsed} vs ${expected}`,
  ).toBe(true);
}

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

/** Decimal texts of every shape: sign, integer part, fraction, exponent, up to 25 digits. */
const decimalText = fc
  .record({
    sign: fc.constantFrom('', '-', '+'),
    int: digits(0, 20),
    dot: fc.boolean(),
    frac: digits(0, 20),
    exp: fc.option(
      fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), digits(1, 3)),
    ),
  })
  .filter((r) => r.int.length + (r.dot ? r.frac.length : 0) > 0)
  .map(
    (r) => `${r.sign}${r.int}${r.dot ? `.${r.frac}` : ''}${r.exp === null ? '' : r.exp.join('')}`,
  );

describe('parseDecimal', () => {
  it('gives the same double as Number() for random decimal texts', () => {
    fc.assert(fc.property(decimalText, expectSameAsNumber), { numRuns: 60_000 });
  });

  it('gives the same double as Number() for the shortest text of random doubles', () => {
    const doubles = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(doubles, (x) => {
        expectSameAsNumber(String(x));
        expectSameAsNumber(x.toExponential(16));
        expectSameAsNumber(x.toPrecision(17));
      }),
      { numRuns: 30_000 },
    );
  });

  it('gives the same double as Number() next to rounding boundaries', () => {
    // Decimal expansions of midpoints between neighbouring doubles, and one unit either side in
    // the last of 17-18 digits: the hardest inputs for a fast conversion.
    const doubles = fc.double({ min: 1e-20, max: 1e20, noNaN: true });
    fc.assert(
      fc.property(doubles, fc.integer({ min: 16, max: 18 }), (x, precision) => {
        const next = x + (x * 2 ** -52) / 2;
        const text = next.toPrecision(precision);
        expectSameAsNumber(text);
        const exponent = text.indexOf('e');
        const mantissa = exponent < 0 ? text : text.slice(0, exponent);
        const suffix = exponent < 0 ? '' : text.slice(exponent);
        expectSameAsNumber(`${mantissa}1${suffix}`.replace(/^(\d+)1(e|$)/, '$1.1$2'));
      }),
      { numRuns: 30_000 },
    );
    for (const text of [
      '9007199254740993',
      '9007199254740993.0',
      '900719925474099.25',
      '18014398509481985',
      '0.30000000000000004',
      '2.2250738585072014e-308',
      '4.9e-324',
      '1.7976931348623157e308',
      '1e308',
      '1e309',
      '123456789012345678901234567890',
      '-0',
      '-0.0e5',
      '.5',
      '5.',
      '00012.50',
    ]) {
      expectSameAsNumber(text);
    }
  });

  it('accepts only decimal numbers', () => {
    for (const text of [
      '0x10',
      '0b1',
      '0o7',
      '1_000',
      '1e',
      '1e+',
      '.',
      '-',
      '',
      'e5',
      '1..2',
      '1e5.5',
      ' 1',
      'Infinity',
      'NaN',
      '1,5',
    ]) {
      expect(parse(text), text).toBeUndefined();
    }
  });
});

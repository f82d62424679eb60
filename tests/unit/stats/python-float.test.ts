import { describe, expect, it } from 'vitest';

import { formatParameter, pythonFloatRepr } from '../../../src/stats/format/python-float.js';

describe('parameter formatting (Python str(round(v, 6)))', () => {
  it.each([
    [2.04, '2.04'],
    [2.0446271, '2.044627'],
    [2.6323137, '2.632314'],
    [1e-5, '1e-05'],
    [1.23e-5, '1.2e-05'],
    [0.00012345, '0.000123'],
    [13, '13.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [-1e-7, '-0.0'],
    [5e-7, '0.0'],
    [1e16, '1e+16'],
    [1.5e20, '1.5e+20'],
    [122.0703125, '122.070312'],
    [-122.0703125, '-122.070312'],
    [122.0703135, '122.070313'],
    [123456.1234565, '123456.123457'],
  ])('formats %d as %s', (v, expected) => {
    expect(formatParameter(v)).toBe(expected);
  });

  it('prints integers without a decimal point and non-finite values like Python', () => {
    expect(formatParameter(0, true)).toBe('0');
    expect(pythonFloatRepr(Number.POSITIVE_INFINITY)).toBe('inf');
    expect(pythonFloatRepr(Number.NaN)).toBe('nan');
    expect(pythonFloatRepr(0.1 + 0.2)).toBe('0.30000000000000004');
  });
});

import { describe, expect, it } from 'vitest';

import {
  MISSING,
  formatCount,
  formatInterval,
  formatPValue,
  formatPercent,
  formatSigned,
  formatUnixTime,
  formatValue,
  formatWindowList,
} from '../../../../src/board/results/format-value.js';

describe('result formatting', () => {
  it('writes values with about four significant digits and a typographic minus', () => {
    expect(formatValue(4.853979427321025)).toBe('4.854');
    expect(formatValue(-0.16491754)).toBe('\u22120.1649');
    expect(formatValue(1234.56)).toBe('1,234.6');
    expect(formatValue(1234567)).toBe('1,234,567');
    expect(formatValue(0.00002)).toBe('2.00e\u22125');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(null)).toBe(MISSING);
    expect(formatValue(Number.NaN)).toBe(MISSING);
  });

  it('signs differences and percentages', () => {
    expect(formatSigned(0.9929)).toBe('+0.9929');
    expect(formatSigned(-2)).toBe('\u22122');
    expect(formatPercent(0.21069841813370477)).toBe('+21.1%');
    expect(formatPercent(-0.019200646673585616, 2)).toBe('\u22121.92%');
    expect(formatPercent(-0.00001)).toBe('0.0%');
    expect(formatPercent(null)).toBe(MISSING);
  });

  it('writes intervals, p-values, counts, windows and times', () => {
    expect(formatInterval(-0.1, 0.2, formatSigned)).toBe('[\u22120.1, +0.2]');
    expect(formatInterval(null, 0.2, formatSigned)).toBe('no interval');
    expect(formatPValue(0.4493289641172217)).toBe('0.449');
    expect(formatPValue(1.5620981879329473e-5)).toBe('1.6e\u22125');
    expect(formatPValue(0)).toBe('< 1e\u2212300');
    expect(formatCount(12345)).toBe('12,345');
    expect(formatWindowList([1, 2, 3, 5, 7, 8])).toBe('1\u20133, 5, 7\u20138');
    expect(formatWindowList([4])).toBe('4');
    expect(formatWindowList([])).toBe('none');
    expect(formatUnixTime(1772416800)).toBe('2026-03-02 02:00 UTC');
    expect(formatUnixTime(null)).toBe('never');
  });
});

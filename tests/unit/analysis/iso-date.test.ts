import { describe, expect, it } from 'vitest';

import { addDays, daysBetween, isIsoDate, isoDateToMs } from '../../../src/analysis/iso-date.js';

describe('iso dates', () => {
  it('validates real calendar days only', () => {
    expect(isIsoDate('2020-02-29')).toBe(true);
    expect(isIsoDate('2021-02-29')).toBe(false);
    expect(isIsoDate('2021-2-1')).toBe(false);
    expect(() => isoDateToMs('yesterday')).toThrow(/not a date/);
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2020-12-25', 10)).toBe('2021-01-04');
    expect(addDays('2020-03-01', -1)).toBe('2020-02-29');
    expect(daysBetween('2020-12-01', '2021-01-04')).toBe(34);
    expect(daysBetween('2021-01-04', '2020-12-01')).toBe(-34);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  capCompressed,
  compressSample,
  quantileCompressed,
} from '../../../src/stats/sample/compressed-sample.js';
import { Sfc32 } from '../../../src/stats/random/sfc32.js';
import { compressPairs } from '../../../src/stats/sample/compressed-pairs.js';
import { lerp, quantileSorted } from '../../../src/stats/sample/quantile.js';
import { orderAtRanks } from '../../../src/stats/sample/order-at-ranks.js';
import { quantileUnsorted } from '../../../src/stats/sample/select.js';
import { cappingQuantile, winsorize } from '../../../src/stats/sample/winsorize.js';
import { range } from './helpers.js';

const doubles = fc.array(
  fc.integer({ min: -50, max: 50 }).map((k) => k / 4),
  {
    minLength: 1,
    maxLength: 200,
  },
);
const probability = fc.double({ min: 0, max: 1, noNaN: true });

describe('type-7 quantiles', () => {
  it('interpolates like numpy (A15: linspace(0, 1, 1001))', () => {
    const xs = Float64Array.from({ length: 1001 }, (_, i) => i / 1000);
    for (const p of [0.05, 0.31, 0.95]) {
      expect(Math.abs(quantileSorted(xs, p) - p)).toBeLessThan(1e-12);
    }
    expect(quantileSorted(Float64Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 0.995)).toBeCloseTo(
      8.955,
      12,
    );
    expect(lerp(2, 4, 1)).toBe(4);
    expect(lerp(2, 4, 0)).toBe(2);
    expect(Number.isNaN(quantileSorted(new Float64Array(0), 0.5))).toBe(true);
    expect(() => quantileSorted(Float64Array.of(1), 1.5)).toThrow(RangeError);
  });

  it('selects the same quantile without sorting', () => {
    fc.assert(
      fc.property(doubles, probability, (values, p) => {
        const xs = Float64Array.from(values);
        const sorted = xs.slice().sort();
        expect(quantileUnsorted(xs, p)).toBe(quantileSorted(sorted, p));
        expect(xs).toEqual(Float64Array.from(values));
      }),
    );
  });

  it('selects the same quantile from large samples (bracketed), whatever their order and ties', () => {
    const rng = new Sfc32(41);
    const n = 50_000;
    const shapes: Record<string, Float64Array> = {
      random: Float64Array.from({ length: n }, () => Math.exp(3 * rng.nextDouble())),
      ascending: Float64Array.from({ length: n }, (_, i) => i * 0.5),
      descending: Float64Array.from({ length: n }, (_, i) => n - i),
      // Periodic: the evenly spaced sample sees only one phase of the period.
      periodic: Float64Array.from({ length: n }, (_, i) => (i % 1024 === 0 ? 1e6 + i : i % 7)),
      ties: Float64Array.from({ length: n }, () => Math.floor(4 * rng.nextDouble())),
      constant: new Float64Array(n).fill(2.5),
      'one outlier': Float64Array.from({ length: n }, (_, i) => (i === 777 ? 1e300 : 1)),
    };
    for (const [shape, xs] of Object.entries(shapes)) {
      const copy = xs.slice();
      const sorted = xs.slice().sort();
      for (const p of [0, 1e-5, 0.01, 0.25, 0.5, 0.9, 0.995, 0.99999, 1]) {
        expect(quantileUnsorted(xs, p), `${shape} p=${p}`).toBe(quantileSorted(sorted, p));
      }
      expect(xs).toEqual(copy);
    }
  });

  it('computes the same quantile from the compressed sample', () => {
    fc.assert(
      fc.property(doubles, probability, (values, p) => {
        const xs = Float64Array.from(values);
        expect(quantileCompressed(compressSample(xs), p)).toBe(
          quantileSorted(xs.slice().sort(), p),
        );
      }),
    );
  });
});

describe('partial sorting', () => {
  it('orders the values at every rank of the requested ranges', () => {
    const rank = fc.nat({ max: 20_000 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(rank, fc.nat({ max: 300 })), { maxLength: 9 }),
        fc.integer({ min: 1, max: 20_000 }),
        (ranges, n) => {
          const values = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 7.3) * 1000);
          const sorted = values.slice().sort();
          const partial = orderAtRanks(
            values,
            ranges.map(([first, width]) => ({ first, last: first + width })),
          );
          for (const [first, width] of ranges) {
            for (let r = first; r <= Math.min(n - 1, first + width); r++) {
              expect(partial[r]).toBe(sorted[r]);
            }
          }
          expect(partial.slice().sort()).toEqual(sorted);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('compression', () => {
  it('tallies distinct values in order by hashing and by sorting, −0 as 0', () => {
    fc.assert(
      fc.property(doubles, (values) => {
        const xs = Float64Array.from(values);
        const sample = compressSample(xs);
        const expected = new Map<number, number>();
        for (const x of values) {
          expected.set(x === 0 ? 0 : x, (expected.get(x === 0 ? 0 : x) ?? 0) + 1);
        }
        const keys = [...expected.keys()].sort((a, b) => a - b);
        expect(Array.from(sample.values)).toEqual(keys);
        expect(Array.from(sample.counts)).toEqual(keys.map((k) => expected.get(k)));
        expect(sample.total).toBe(values.length);
      }),
    );
    const manyDistinct = Float64Array.from(range(50_000), (i) => Math.sin(i) * 1000);
    const sorted = compressSample(manyDistinct);
    expect(sorted.values.length).toBe(50_000);
    expect(sorted.values.every((v, i) => i === 0 || v > sorted.values[i - 1]!)).toBe(true);
    expect(Object.is(compressSample(Float64Array.of(-0, 0)).values[0], 0)).toBe(true);
  });

  it('caps a compressed sample by merging the values above the cap', () => {
    const sample = compressSample(Float64Array.of(1, 2, 2, 3, 5, 5, 9));
    const capped = capCompressed(sample, 4);
    expect(Array.from(capped.values)).toEqual([1, 2, 3, 4]);
    expect(Array.from(capped.counts)).toEqual([1, 2, 1, 3]);
    expect(capped.total).toBe(7);
    expect(capCompressed(sample, 9)).toBe(sample);
  });

  it('tallies (numerator, denominator) pairs or gives up above the limit', () => {
    const num = Float64Array.of(1, 2, 1, 1, 3);
    const den = Float64Array.of(5, 5, 5, 6, 5);
    const pairs = compressPairs(num, den, 10)!;
    expect(Array.from(pairs.pairs)).toEqual([1, 5, 2, 5, 1, 6, 3, 5]);
    expect(Array.from(pairs.counts)).toEqual([2, 1, 1, 1]);
    expect(compressPairs(num, den, 3)).toBeUndefined();
  });
});

describe('filter_outliers (A14)', () => {
  it('caps 1..100 at Q(0.99) = 99.01 and keeps the length', () => {
    const capped = winsorize(Float64Array.from(range(100, 1)), 0.99);
    expect(capped.length).toBe(100);
    expect(Math.max(...capped)).toBeCloseTo(99.01, 12);
    expect(capped[50]).toBe(51);
  });

  it('leaves constant data alone and maps drop_highest to the capping quantile', () => {
    expect(Array.from(winsorize(Float64Array.of(1, 1, 1, 1), 0.99))).toEqual([1, 1, 1, 1]);
    expect(cappingQuantile(0.005)).toBe(0.995);
    expect(cappingQuantile(0)).toBeUndefined();
    expect(cappingQuantile(1)).toBeUndefined();
    expect(() => cappingQuantile(0.7)).toThrow(RangeError);
  });
});

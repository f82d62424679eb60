import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { niceTicks } from '../../../../src/board/results/nice-ticks.js';

describe('niceTicks', () => {
  it('picks 1, 2 or 5 × 10^k steps inside the range', () => {
    expect(niceTicks(-0.6, 0.27)).toEqual([-0.6, -0.4, -0.2, 0, 0.2]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3.2, 47)).toEqual([0, 10, 20, 30, 40]);
  });

  it('stays inside the range, steps evenly, includes 0 when spanned, and gives a few ticks', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        (min, width) => {
          const max = min + width;
          fc.pre(max > min);
          const ticks = niceTicks(min, max, 5);
          expect(ticks.length).toBeGreaterThanOrEqual(2);
          expect(ticks.length).toBeLessThanOrEqual(11);
          const step = ticks[1]! - ticks[0]!;
          ticks.forEach((t, i) => {
            expect(t).toBeGreaterThanOrEqual(min - step * 1e-6);
            expect(t).toBeLessThanOrEqual(max + step * 1e-6);
            if (i > 0) expect(t - ticks[i - 1]!).toBeCloseTo(step, 6);
          });
          if (min < 0 && max > 0) expect(ticks).toContain(0);
        },
      ),
    );
  });

  it('rejects an empty range', () => {
    expect(() => niceTicks(1, 1)).toThrow(/finite min < max.*\[1, 1\]/);
  });
});

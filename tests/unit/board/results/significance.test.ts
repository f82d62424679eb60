import { describe, expect, it } from 'vitest';

import { significanceOf } from '../../../../src/board/results/significance.js';

describe('significanceOf', () => {
  it('is significant only when the interval excludes zero', () => {
    expect(significanceOf(0.01, 0.3, true).direction).toBe('increase');
    expect(significanceOf(-0.3, -0.01, true).direction).toBe('decrease');
    expect(significanceOf(-0.3, 0.01, true).direction).toBe('none');
    expect(significanceOf(0, 0.3, true).direction).toBe('none');
    expect(significanceOf(null, 0.3, true).direction).toBe('unknown');
  });

  it('judges the change by bigger_is_better, and says so in words', () => {
    expect(significanceOf(0.1, 0.2, true)).toMatchObject({
      verdict: 'better',
      label: 'significant increase (better)',
    });
    expect(significanceOf(0.1, 0.2, false)).toMatchObject({
      verdict: 'worse',
      label: 'significant increase (worse)',
    });
    expect(significanceOf(-0.2, -0.1, false)).toMatchObject({ verdict: 'better' });
    expect(significanceOf(-0.2, -0.1, null)).toMatchObject({
      verdict: 'unknown',
      label: 'significant decrease',
    });
    expect(significanceOf(-0.2, 0.1, true)).toMatchObject({
      verdict: 'neutral',
      label: 'not significant',
      short: 'n.s.',
    });
  });
});

import { describe, expect, it } from 'vitest';

import {
  plotDomain,
  renderForestPlot,
  type ForestPlotRow,
} from '../../../../src/board/results/forest-plot.js';
import { significanceOf } from '../../../../src/board/results/significance.js';

function row(label: string, point: number | null, lower: number | null, upper: number | null) {
  return {
    label,
    point,
    lower,
    upper,
    significance: significanceOf(lower, upper, true),
    data: { branch: label, comparison: 'relative_uplift' },
  } satisfies ForestPlotRow;
}

const ROWS = [
  row('treatment · mean', 0.2107, -0.0192, 0.4747),
  row('b<i>2</i> & co', 0.3, 0.1, 0.5),
  row('no bounds', -0.05, null, null),
];

/** Attribute `name` of every element `tag` with class `cls` (in document order). */
function attributes(svg: string, tag: string, cls: string, name: string): number[] {
  const element = new RegExp(`<${tag}\\s[^>]*class="${cls}"[^>]*>`, 'g');
  return [...svg.matchAll(element)].map((m) =>
    Number(new RegExp(`\\s${name}="([^"]*)"`).exec(m[0])?.[1]),
  );
}

describe('renderForestPlot', () => {
  const svg = renderForestPlot({
    id: 'p1',
    title: 'Active hours: relative uplift against control',
    description: 'Relative change per branch.',
    scale: 'percent',
    rows: ROWS,
  }).value;

  it('draws one interval group per row, with its significance and data attributes', () => {
    const groups = [...svg.matchAll(/<g\s+class="interval ([^"]*)"\s+data-significance="(\w+)"/g)];
    expect(groups.map((g) => [g[1], g[2]])).toEqual([
      ['sig-neutral', 'none'],
      ['sig-better', 'increase'],
      ['sig-unknown', 'unknown'],
    ]);
    expect(svg).toContain('data-branch="treatment · mean"');
    expect(svg.match(/data-comparison="relative_uplift"/g)).toHaveLength(3);
  });

  it('places each point inside its interval and zero between the bounds that straddle it', () => {
    const x1 = attributes(svg, 'line', 'ci', 'x1');
    const x2 = attributes(svg, 'line', 'ci', 'x2');
    const cx = attributes(svg, 'circle', 'point', 'cx');
    expect(x1).toHaveLength(2); // the row without bounds has a point only
    expect(cx).toHaveLength(3);
    for (let i = 0; i < 2; i++) {
      expect(cx[i]!).toBeGreaterThan(x1[i]!);
      expect(cx[i]!).toBeLessThan(x2[i]!);
    }
    const zero = attributes(svg, 'line', 'zero', 'x1')[0]!;
    expect(zero).toBeGreaterThan(x1[0]!);
    expect(zero).toBeLessThan(x2[0]!);
    expect(x1[1]!).toBeGreaterThan(zero); // the significant interval lies right of zero
    expect(cx[2]!).toBeLessThan(zero); // a negative point lies left of it
  });

  it('is accessible: role img, title and desc referenced by id, every row in words', () => {
    expect(svg).toMatch(/^<svg[^>]*role="img"[^>]*aria-labelledby="p1-title p1-desc"/);
    expect(svg).toContain(
      '<title id="p1-title">Active hours: relative uplift against control</title>',
    );
    const desc = /<desc id="p1-desc">([^<]*)<\/desc>/.exec(svg)?.[1] ?? '';
    expect(desc).toContain('treatment · mean: +21.1% [\u22121.9%, +47.5%], not significant.');
    expect(desc).toContain('no bounds: \u22125.0% no interval, no interval.');
    expect(desc).toContain('significant increase (better)');
  });

  it('escapes labels', () => {
    expect(svg).not.toContain('<i>');
    expect(svg).toContain('b&lt;i&gt;2&lt;/i&gt; &amp; co');
  });

  it('pads the domain around every value and zero', () => {
    expect(plotDomain(ROWS)[0]).toBeLessThan(-0.05);
    expect(plotDomain(ROWS)[1]).toBeGreaterThan(0.5);
    expect(plotDomain([row('x', 2, 1, 3)])[0]).toBeLessThan(0);
    expect(plotDomain([])).toEqual([-1, 1]);
  });
});

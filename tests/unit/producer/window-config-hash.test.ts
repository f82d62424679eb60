import { describe, expect, it } from 'vitest';

import { planAnalysis, planGroupsOf } from '../../../src/analysis/analysis-plan.js';
import { windowConfigHash } from '../../../src/producer/window-config-hash.js';
import { makeConfig, makeEffective } from '../experiments/experiment-factory.js';

function item(periods: Parameters<typeof makeConfig>[1]) {
  const experiment = makeEffective({ slug: 'alpha', endDate: '2021-02-01', status: 'Complete' });
  return { experiment, config: makeConfig('alpha', periods) };
}

function weekGroup(periods: Parameters<typeof makeConfig>[1]) {
  const it = item(periods);
  const plan = planAnalysis({ date: '2020-12-14', experiments: [it] });
  const group = planGroupsOf(plan).find((g) => g.period === 'week')!;
  return { group, item: it };
}

describe('windowConfigHash', () => {
  it('is stable for the same configuration and changes with the metrics', () => {
    const a = weekGroup({ week: ['active_hours'] });
    const b = weekGroup({ week: ['active_hours'] });
    const c = weekGroup({ week: ['active_hours', 'uri_count'] });
    expect(windowConfigHash(a.group, a.item)).toMatch(/^[0-9a-f]{32}$/);
    expect(windowConfigHash(b.group, b.item)).toBe(windowConfigHash(a.group, a.item));
    expect(windowConfigHash(c.group, c.item)).not.toBe(windowConfigHash(a.group, a.item));
  });

  it('does not change when a run selects fewer metrics (a metric-level rerun)', () => {
    const { group, item: it } = weekGroup({ week: ['active_hours', 'uri_count'] });
    const selected = { ...group, tasks: group.tasks.slice(0, 1) };
    expect(windowConfigHash(selected, it)).toBe(windowConfigHash(group, it));
  });
});

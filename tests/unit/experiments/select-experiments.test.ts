import { describe, expect, it } from 'vitest';

import {
  preselectExperiments,
  selectExperiments,
} from '../../../src/experiments/select-experiments.js';
import { makeEffective, makeExperiment } from './experiment-factory.js';

const date = '2024-06-30';

describe('preselectExperiments (daily run, before config resolution)', () => {
  it('keeps Live experiments and those that ended within 90 days', () => {
    const experiments = [
      makeExperiment({ slug: 'live', endDate: null, status: 'Live' }),
      makeExperiment({ slug: 'ended-90-days-ago', endDate: '2024-04-01', status: 'Complete' }),
      makeExperiment({ slug: 'ended-91-days-ago', endDate: '2024-03-31', status: 'Complete' }),
      makeExperiment({ slug: 'rollout', isRollout: true }),
      makeExperiment({ slug: 'legacy', type: 'rapid' }),
    ];
    const selection = preselectExperiments(experiments, { date });
    expect(selection.selected.map((e) => e.slug)).toEqual(['live', 'ended-90-days-ago']);
    expect(selection.excluded).toEqual([
      { slug: 'ended-91-days-ago', reason: 'ended more than 90 days before 2024-06-30' },
      { slug: 'rollout', reason: 'rollout' },
      { slug: 'legacy', reason: 'type rapid is not analysed daily' },
    ]);
  });

  it('selects exactly the named slugs, with no other filter, and reports unknown ones', () => {
    const experiments = [
      makeExperiment({ slug: 'a', isRollout: true }),
      makeExperiment({ slug: 'b', endDate: '2019-01-01', status: 'Complete' }),
      makeExperiment({ slug: 'c' }),
    ];
    const selection = preselectExperiments(experiments, { date, slugs: ['a', 'b', 'zzz'] });
    expect(selection.selected.map((e) => e.slug)).toEqual(['a', 'b']);
    expect(selection.missing).toEqual(['zzz']);
  });
});

describe('selectExperiments (daily run, after config resolution)', () => {
  it('also drops skipped experiments and those whose effective end date is before the date', () => {
    const experiments = [
      makeEffective({ slug: 'keep' }),
      makeEffective({ slug: 'skipped' }, { skip: true }),
      makeEffective({ slug: 'config-ended' }, { endDate: '2024-06-29' }),
      makeEffective({ slug: 'ends-on-date' }, { endDate: '2024-06-30' }),
    ];
    const selection = selectExperiments(experiments, { date });
    expect(selection.selected.map((e) => e.slug)).toEqual(['keep', 'ends-on-date']);
    expect(selection.excluded.map((e) => [e.slug, e.reason])).toEqual([
      ['skipped', 'skip = true in its config'],
      ['config-ended', 'ended on 2024-06-29, before 2024-06-30'],
    ]);
  });
});

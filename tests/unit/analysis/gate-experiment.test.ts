import { describe, expect, it } from 'vitest';

import { assertRunnable, gateExperiment } from '../../../src/analysis/gate-experiment.js';
import {
  EndedError,
  GatingError,
  UnsupportedApplicationError,
} from '../../../src/analysis/gating-errors.js';
import { makeEffective } from '../experiments/experiment-factory.js';

const date = '2020-12-20';

describe('gateExperiment', () => {
  it('lets a complete, enrolled experiment run', () => {
    expect(gateExperiment(makeEffective(), date)).toBeNull();
    expect(() => assertRunnable(makeEffective(), date)).not.toThrow();
  });

  it.each([
    ['NoSlug', makeEffective({ slug: '' }), true],
    ['ExplicitSkip', makeEffective({}, { skip: true }), true],
    ['HighPopulation', makeEffective({ isHighPopulation: true }), true],
    ['NoEnrollmentPeriod', makeEffective({}, { enrollmentPeriod: 0 }), true],
    ['NoStartDate', makeEffective({ startDate: null }, { enrollmentPeriod: 7 }), true],
    ['Ended', makeEffective({ endDate: '2020-12-19', status: 'Complete' }), true],
    ['RolloutSkip', makeEffective({ isRollout: true }), true],
    ['UnsupportedApplication', makeEffective({ appName: 'lynx' }), false],
    ['EnrollmentNotComplete', makeEffective({ enrollmentEndDate: null }), true],
  ])('reports %s (expected: %s)', (reason, experiment, expected) => {
    const error = gateExperiment(experiment, date);
    expect(error).toBeInstanceOf(GatingError);
    expect(error?.reason).toBe(reason);
    expect(error?.name).toBe(`${reason}Error`);
    expect(error?.expected).toBe(expected);
    if (reason !== 'NoSlug') expect(error?.message).toMatch(/^test-experiment: /);
  });

  it('runs the checks in the order of spec §1.4', () => {
    // Everything wrong at once: each fix reveals the next check in order.
    const order = [
      makeEffective(
        { slug: '', isHighPopulation: true, isRollout: true, appName: 'lynx' },
        { skip: true },
      ),
      makeEffective({ isHighPopulation: true, isRollout: true, appName: 'lynx' }, { skip: true }),
      makeEffective({ isHighPopulation: true, isRollout: true, appName: 'lynx' }),
      makeEffective(
        { isRollout: true, appName: 'lynx', enrollmentEndDate: null, proposedEnrollment: null },
        {},
      ),
      makeEffective(
        { isRollout: true, appName: 'lynx', startDate: null, endDate: '2020-12-01' },
        {
          enrollmentPeriod: 7,
        },
      ),
      makeEffective({ isRollout: true, appName: 'lynx', endDate: '2020-12-01' }),
      makeEffective({ isRollout: true, appName: 'lynx', enrollmentEndDate: null }),
      makeEffective({ appName: 'lynx', enrollmentEndDate: null }),
      makeEffective({ enrollmentEndDate: null }),
    ].map((experiment) => gateExperiment(experiment, date)?.reason);
    expect(order).toEqual([
      'NoSlug',
      'ExplicitSkip',
      'HighPopulation',
      'NoEnrollmentPeriod',
      'NoStartDate',
      'Ended',
      'RolloutSkip',
      'UnsupportedApplication',
      'EnrollmentNotComplete',
    ]);
  });

  it('does not report EnrollmentNotComplete when the config sets the period', () => {
    const configured = makeEffective({ enrollmentEndDate: null }, { enrollmentPeriod: 7 });
    expect(gateExperiment(configured, date)).toBeNull();
  });

  it('reports Ended only after the end date, naming both dates', () => {
    const ends = makeEffective({ endDate: '2020-12-20', status: 'Complete' });
    expect(gateExperiment(ends, '2020-12-20')).toBeNull();
    const error = gateExperiment(ends, '2020-12-21');
    expect(error).toBeInstanceOf(EndedError);
    expect(error?.message).toContain('2020-12-20');
    expect(error?.message).toContain('2020-12-21');
  });

  it('throws from assertRunnable', () => {
    expect(() => assertRunnable(makeEffective({ appName: 'lynx' }), date)).toThrow(
      UnsupportedApplicationError,
    );
  });
});

import { describe, expect, it } from 'vitest';

import { effectiveExperiment } from '../../../src/experiments/effective-experiment.js';
import { appIdToDataset, PLATFORM_DEFAULTS } from '../../../src/experiments/platform-defaults.js';
import { makeEffective, makeExperiment, makeOverrides } from './experiment-factory.js';

describe('effectiveExperiment', () => {
  it('takes Experimenter values when the config overrides nothing', () => {
    const effective = makeEffective();
    expect(effective).toMatchObject({
      slug: 'test-experiment',
      status: 'Live',
      startDate: '2020-12-01',
      endDate: null,
      referenceBranch: 'control',
      enrollmentPeriod: 7,
      enrollmentPeriodSource: 'enrollment-end-date',
      lastEnrollmentDate: '2020-12-08',
      analysisUnit: 'client_id',
      enrollmentsQueryType: 'normandy',
      appDataset: 'firefox_desktop',
      isSupportedApplication: true,
      skip: false,
    });
  });

  it('lets the config override dates and reference branch; a config end date forces Complete', () => {
    const effective = makeEffective(
      { status: 'Live' },
      { startDate: '2020-12-03', endDate: '2021-01-31', referenceBranch: 'treatment' },
    );
    expect(effective.startDate).toBe('2020-12-03');
    expect(effective.endDate).toBe('2021-01-31');
    expect(effective.referenceBranch).toBe('treatment');
    expect(effective.status).toBe('Complete');
    // The enrollment period is measured from the effective start date: 12-03 .. 12-07 = 5 days.
    expect(effective.enrollmentPeriod).toBe(5);
    expect(effective.lastEnrollmentDate).toBe('2020-12-08');
  });

  it('follows the enrollment period rule: config, end date, proposed, else 0', () => {
    const cases = [
      [makeEffective({}, { enrollmentPeriod: 14 }), 14, 'config'],
      [makeEffective({}, { enrollmentPeriod: 0 }), 0, 'config'],
      [makeEffective({ enrollmentEndDate: '2020-12-01' }), 1, 'enrollment-end-date'],
      [makeEffective({ enrollmentEndDate: null, proposedEnrollment: 9 }), 9, 'proposed-enrollment'],
      [makeEffective({ enrollmentEndDate: null, proposedEnrollment: null }), 0, 'none'],
      [makeEffective({ enrollmentEndDate: null, proposedEnrollment: 0 }), 0, 'none'],
    ] as const;
    for (const [effective, days, source] of cases) {
      expect([effective.enrollmentPeriod, effective.enrollmentPeriodSource]).toEqual([
        days,
        source,
      ]);
    }
    expect(makeEffective({ startDate: null }).lastEnrollmentDate).toBeNull();
  });

  it('derives the analysis unit from the randomization unit unless configured', () => {
    expect(makeEffective({ randomizationUnit: 'group_id' }).analysisUnit).toBe('profile_group_id');
    expect(makeEffective({ randomizationUnit: 'nimbus_id' }).analysisUnit).toBe('client_id');
    expect(
      makeEffective({ randomizationUnit: 'group_id' }, { analysisUnit: 'client_id' }).analysisUnit,
    ).toBe('client_id');
  });

  it('uses the platform defaults for the enrollments query type and the app dataset', () => {
    const fenix = makeEffective({ appName: 'fenix', appId: 'org.mozilla.firefox' });
    expect(fenix.enrollmentsQueryType).toBe('glean-event');
    expect(fenix.appDataset).toBe('org_mozilla_firefox');
    const ios = makeEffective({ appName: 'firefox_ios', appId: null });
    expect(ios.appId).toBe('org.mozilla.ios.FirefoxBeta');
    expect(ios.appDataset).toBe('org_mozilla_ios_firefoxbeta');
    const configured = makeEffective({}, { enrollmentsQueryType: 'fenix-fallback' });
    expect(configured.enrollmentsQueryType).toBe('fenix-fallback');
  });

  it('marks unknown applications unsupported, including Object prototype names', () => {
    for (const appName of ['lynx', 'constructor', 'toString']) {
      const effective = effectiveExperiment(
        makeExperiment({ appName, appId: null }),
        makeOverrides(),
      );
      expect(effective.isSupportedApplication).toBe(false);
      expect(effective.appDataset).toBeNull();
    }
  });

  it('knows every platform metric-hub has jetstream defaults for', () => {
    const expected = [
      'fenix',
      'firefox_desktop',
      'firefox_ios',
      'focus_android',
      'focus_ios',
      'klar_android',
      'klar_ios',
      'monitor_cirrus',
    ];
    expect(Object.keys(PLATFORM_DEFAULTS).sort()).toEqual(expected);
    expect(appIdToDataset('firefox-desktop')).toBe('firefox_desktop');
  });
});

import { describe, expect, it } from 'vitest';

import {
  ExperimentsFormatError,
  parseExperiments,
} from '../../../src/experiments/parse-experiments.js';

/** A v8 entry as Experimenter serves it (extra fields included, which must be ignored). */
function v8Entry(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: '1.12.0',
    slug: 'pref-test',
    id: 'pref-test',
    application: 'firefox-desktop',
    appName: 'firefox_desktop',
    appId: 'firefox-desktop',
    channel: 'release',
    userFacingName: 'Pref test',
    userFacingDescription: 'A test',
    isEnrollmentPaused: true,
    isRollout: false,
    bucketConfig: {
      randomizationUnit: 'normandy_id',
      namespace: 'ns',
      start: 0,
      count: 100,
      total: 10000,
    },
    probeSets: [],
    outcomes: [{ slug: 'networking', priority: 'primary' }],
    segments: [{ slug: 'new_users' }],
    branches: [
      { slug: 'control', ratio: 1, features: [] },
      { slug: 'treatment', ratio: 3, features: [] },
    ],
    targeting: 'true',
    startDate: '2024-01-02',
    endDate: null,
    proposedDuration: 28,
    proposedEnrollment: 7,
    enrollmentEndDate: '2024-01-09',
    referenceBranch: 'control',
    featureIds: ['x'],
    ...fields,
  };
}

describe('parseExperiments', () => {
  it('maps a v8 entry to an Experiment', () => {
    const { experiments, rejected } = parseExperiments([v8Entry()], '2024-02-01');
    expect(rejected).toEqual([]);
    expect(experiments).toEqual([
      {
        slug: 'pref-test',
        type: 'v6',
        status: 'Live',
        branches: [
          { slug: 'control', ratio: 1 },
          { slug: 'treatment', ratio: 3 },
        ],
        referenceBranch: 'control',
        startDate: '2024-01-02',
        endDate: null,
        proposedEnrollment: 7,
        enrollmentEndDate: '2024-01-09',
        isEnrollmentPaused: true,
        randomizationUnit: 'normandy_id',
        appName: 'firefox_desktop',
        appId: 'firefox-desktop',
        outcomes: ['networking'],
        segments: ['new_users'],
        isRollout: false,
        isHighPopulation: false,
      },
    ]);
  });

  it('decides Live/Complete from today: an experiment ending today is Complete', () => {
    const entries = [
      v8Entry({ slug: 'ends-tomorrow', endDate: '2024-02-02' }),
      v8Entry({ slug: 'ends-today', endDate: '2024-02-01' }),
      v8Entry({ slug: 'ended', endDate: '2024-01-20' }),
    ];
    const { experiments } = parseExperiments(entries, '2024-02-01');
    expect(experiments.map((e) => [e.slug, e.status])).toEqual([
      ['ends-tomorrow', 'Live'],
      ['ends-today', 'Complete'],
      ['ended', 'Complete'],
    ]);
  });

  it('applies defaults for absent optional fields and reads timestamps as UTC days', () => {
    const minimal = {
      slug: 'minimal',
      branches: [{ slug: 'a' }],
      startDate: '2024-01-02T00:00:00Z',
    };
    const [experiment] = parseExperiments([minimal], '2024-02-01').experiments;
    expect(experiment).toMatchObject({
      appName: 'firefox_desktop',
      appId: null,
      startDate: '2024-01-02',
      endDate: null,
      enrollmentEndDate: null,
      proposedEnrollment: null,
      randomizationUnit: null,
      isRollout: false,
      isEnrollmentPaused: false,
      outcomes: [],
      branches: [{ slug: 'a', ratio: 1 }],
    });
  });

  it('reports a malformed entry with its slug and index and keeps the others', () => {
    const entries = [
      v8Entry({ slug: 'good-1' }),
      v8Entry({ slug: 'bad-date', startDate: 'next tuesday' }),
      { branches: [] },
      42,
      v8Entry({ slug: 'bad-branches', branches: 'control' }),
      v8Entry({ slug: 'good-2', appName: 'fenix' }),
    ];
    const { experiments, rejected } = parseExperiments(entries, '2024-02-01');
    expect(experiments.map((e) => e.slug)).toEqual(['good-1', 'good-2']);
    expect(rejected.map((r) => [r.slug, r.index])).toEqual([
      ['bad-date', 1],
      [null, 2],
      [null, 3],
      ['bad-branches', 4],
    ]);
    expect(rejected[0]?.reason).toMatch(/^startDate: not a date .*"next tuesday"/);
    expect(rejected[1]?.reason).toMatch(/^slug: /);
    expect(rejected[3]?.reason).toMatch(/^branches: /);
  });

  it('rejects a slug that could break out of SQL quoting, and duplicates', () => {
    const entries = [
      v8Entry({ slug: 'x"; DROP TABLE y; --' }),
      v8Entry({ slug: 'dup' }),
      v8Entry({ slug: 'dup' }),
    ];
    const { experiments, rejected } = parseExperiments(entries, '2024-02-01');
    expect(experiments.map((e) => e.slug)).toEqual(['dup']);
    expect(rejected).toEqual([
      { slug: 'x"; DROP TABLE y; --', index: 0, reason: expect.stringMatching(/not a slug/) },
      { slug: 'dup', index: 2, reason: 'duplicate slug' },
    ]);
  });

  it('accepts an empty list and refuses a non-list', () => {
    expect(parseExperiments([], '2024-02-01')).toEqual({ experiments: [], rejected: [] });
    expect(() => parseExperiments({ results: [] }, '2024-02-01')).toThrow(ExperimentsFormatError);
    expect(() => parseExperiments(null, '2024-02-01')).toThrow(/got null/);
  });
});

import type { AnalysisPeriod } from '../../../src/analysis/analysis-period.js';
import type {
  AnalysisConfig,
  DataSource,
  ExperimentOverrides,
  MetricSummary,
} from '../../../src/config/analysis-config.js';
import {
  effectiveExperiment,
  type EffectiveExperiment,
} from '../../../src/experiments/effective-experiment.js';
import type { Experiment } from '../../../src/experiments/experiment.js';

/** A complete, runnable Nimbus experiment; override any field. */
export function makeExperiment(fields: Partial<Experiment> = {}): Experiment {
  return {
    slug: 'test-experiment',
    type: 'v6',
    status: 'Live',
    branches: [
      { slug: 'control', ratio: 1 },
      { slug: 'treatment', ratio: 1 },
    ],
    referenceBranch: 'control',
    startDate: '2020-12-01',
    endDate: null,
    proposedEnrollment: 7,
    enrollmentEndDate: '2020-12-07',
    isEnrollmentPaused: true,
    randomizationUnit: 'normandy_id',
    appName: 'firefox_desktop',
    appId: 'firefox-desktop',
    outcomes: [],
    segments: [],
    isRollout: false,
    isHighPopulation: false,
    ...fields,
  };
}

/** `[experiment]` overrides with nothing overridden; override any field. */
export function makeOverrides(fields: Partial<ExperimentOverrides> = {}): ExperimentOverrides {
  return { skip: false, isPrivate: false, segments: [], outcomes: [], ...fields };
}

/** An effective experiment from {@link makeExperiment} and {@link makeOverrides}. */
export function makeEffective(
  fields: Partial<Experiment> = {},
  overrides: Partial<ExperimentOverrides> = {},
): EffectiveExperiment {
  return effectiveExperiment(makeExperiment(fields), makeOverrides(overrides));
}

const dataSource: DataSource = {
  name: 'clients_daily',
  fromExpression: 'mozdata.telemetry.clients_daily',
  clientIdColumn: 'client_id',
  groupIdColumn: 'profile_group_id',
  submissionDateColumn: 'submission_date',
  experimentsColumnType: 'simple',
  analysisUnits: ['client_id', 'profile_group_id'],
  friendlyName: null,
  description: null,
};

/** A metric summary with a bootstrap_mean statistic. */
export function makeSummary(name: string): MetricSummary {
  return {
    metric: {
      name,
      selectExpression: `SUM(${name})`,
      dataSource,
      friendlyName: null,
      description: null,
      biggerIsBetter: true,
      analysisBases: ['enrollments', 'exposures'],
      dependsOn: [],
      category: null,
      type: null,
    },
    statistics: [{ name: 'bootstrap_mean', params: {}, preTreatments: [] }],
  };
}

/** A resolved config with the given metric names per period. */
export function makeConfig(
  slug: string,
  periods: Partial<Record<AnalysisPeriod, readonly string[]>>,
  overrides: Partial<ExperimentOverrides> = {},
): AnalysisConfig {
  const entries = Object.entries(periods).map(([period, names]) => [
    period,
    (names ?? []).map(makeSummary),
  ]);
  return {
    experimentSlug: slug,
    platform: 'firefox_desktop',
    experiment: makeOverrides(overrides),
    periods: Object.fromEntries(entries) as AnalysisConfig['periods'],
    segments: [],
    outcomes: [],
    sources: ['test'],
  };
}

import { addDays, daysBetween, type IsoDate } from '../analysis/iso-date.js';
import type { AnalysisUnit, ExperimentOverrides } from '../config/analysis-config.js';
import type { Experiment } from './experiment.js';
import { appIdToDataset, PLATFORM_DEFAULTS, type PlatformDefaults } from './platform-defaults.js';

/** Where the effective enrollment period came from (the first rule of §1.3 item 5 that applied). */
export type EnrollmentPeriodSource =
  'config' | 'enrollment-end-date' | 'proposed-enrollment' | 'none';

/**
 * An experiment with its config's `[experiment]` overrides applied: the values every later step
 * (gating, windows, enrollments, metrics) uses (spec/analysis.md §1.3 item 5).
 */
export interface EffectiveExperiment {
  /** The experiment as discovered, unchanged. */
  readonly experiment: Experiment;
  readonly slug: string;
  readonly type: string;
  /** `Complete` when the config sets an end date, else the discovered status. */
  readonly status: 'Live' | 'Complete';
  readonly startDate: IsoDate | null;
  readonly endDate: IsoDate | null;
  readonly referenceBranch: string | null;
  /** Days of enrollment after the start date (0 when nothing says). */
  readonly enrollmentPeriod: number;
  readonly enrollmentPeriodSource: EnrollmentPeriodSource;
  /** E = startDate + enrollmentPeriod; null without a start date. */
  readonly lastEnrollmentDate: IsoDate | null;
  readonly analysisUnit: AnalysisUnit;
  /** `normandy`, `glean-event`, `cirrus`, ... (config, else the platform default). */
  readonly enrollmentsQueryType: string;
  readonly appName: string;
  /** Experimenter's appId, else the platform's; null for an unknown platform without one. */
  readonly appId: string | null;
  /** BigQuery dataset of the app's Glean tables, from `appId`; null when `appId` is. */
  readonly appDataset: string | null;
  /** False when `appName` has no platform defaults (gating: UnsupportedApplication). */
  readonly isSupportedApplication: boolean;
  readonly isRollout: boolean;
  readonly isHighPopulation: boolean;
  /** `skip = true` in the config. */
  readonly skip: boolean;
  /** The overrides applied, for the steps that read other keys (enrollment query, exposure signal). */
  readonly overrides: ExperimentOverrides;
}

/**
 * The enrollment period rule: the config value, else (enrollmentEndDate − startDate) + 1, else
 * proposedEnrollment, else 0 (metric-config-parser `ExperimentConfiguration.enrollment_period`).
 */
export function effectiveEnrollmentPeriod(
  experiment: Experiment,
  overrides: ExperimentOverrides,
  startDate: IsoDate | null,
): { days: number; source: EnrollmentPeriodSource } {
  if (overrides.enrollmentPeriod !== undefined) {
    return { days: overrides.enrollmentPeriod, source: 'config' };
  }
  if (experiment.enrollmentEndDate !== null && startDate !== null) {
    const days = daysBetween(startDate, experiment.enrollmentEndDate) + 1;
    return { days, source: 'enrollment-end-date' };
  }
  if (experiment.proposedEnrollment) {
    return { days: experiment.proposedEnrollment, source: 'proposed-enrollment' };
  }
  return { days: 0, source: 'none' };
}

/** `profile_group_id` for group-randomized experiments, else `client_id`, unless configured. */
function effectiveAnalysisUnit(
  experiment: Experiment,
  overrides: ExperimentOverrides,
): AnalysisUnit {
  if (overrides.analysisUnit !== undefined) return overrides.analysisUnit;
  return experiment.randomizationUnit === 'group_id' ? 'profile_group_id' : 'client_id';
}

/**
 * Applies a config's `[experiment]` overrides to a discovered experiment.
 * @param platforms - platform defaults by app name.
 * @defaultValue platforms: {@link PLATFORM_DEFAULTS}
 */
export function effectiveExperiment(
  experiment: Experiment,
  overrides: ExperimentOverrides,
  platforms: Readonly<Record<string, PlatformDefaults>> = PLATFORM_DEFAULTS,
): EffectiveExperiment {
  const platform = Object.hasOwn(platforms, experiment.appName)
    ? platforms[experiment.appName]
    : undefined;
  const startDate = overrides.startDate ?? experiment.startDate;
  const endDate = overrides.endDate ?? experiment.endDate;
  const period = effectiveEnrollmentPeriod(experiment, overrides, startDate);
  const appId = experiment.appId ?? platform?.appId ?? null;
  return {
    experiment,
    slug: experiment.slug,
    type: experiment.type,
    status: overrides.endDate !== undefined ? 'Complete' : experiment.status,
    startDate,
    endDate,
    referenceBranch: overrides.referenceBranch ?? experiment.referenceBranch,
    enrollmentPeriod: period.days,
    enrollmentPeriodSource: period.source,
    lastEnrollmentDate: startDate === null ? null : addDays(startDate, period.days),
    analysisUnit: effectiveAnalysisUnit(experiment, overrides),
    enrollmentsQueryType:
      overrides.enrollmentsQueryType ?? platform?.enrollmentsQueryType ?? 'glean-event',
    appName: experiment.appName,
    appId,
    appDataset: appId === null ? null : appIdToDataset(appId),
    isSupportedApplication: platform !== undefined,
    isRollout: experiment.isRollout,
    isHighPopulation: experiment.isHighPopulation,
    skip: overrides.skip,
    overrides,
  };
}

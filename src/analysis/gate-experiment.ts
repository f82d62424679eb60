import type { EffectiveExperiment } from '../experiments/effective-experiment.js';
import {
  EndedError,
  EnrollmentNotCompleteError,
  ExplicitSkipError,
  HighPopulationError,
  NoEnrollmentPeriodError,
  NoSlugError,
  NoStartDateError,
  RolloutSkipError,
  UnsupportedApplicationError,
  type GatingError,
} from './gating-errors.js';
import { compareIsoDates, type IsoDate } from './iso-date.js';

type Check = (e: EffectiveExperiment, date: IsoDate) => GatingError | null;

/** The checks of spec/analysis.md §1.4, in order (jetstream `check_runnable` then `run`). */
const CHECKS: readonly Check[] = [
  (e) => (e.slug === '' ? new NoSlugError() : null),
  (e) => (e.skip ? new ExplicitSkipError(e.slug) : null),
  (e) => (e.isHighPopulation ? new HighPopulationError(e.slug) : null),
  (e) => (e.enrollmentPeriod <= 0 ? new NoEnrollmentPeriodError(e.slug, e.enrollmentPeriod) : null),
  (e) => (e.startDate === null ? new NoStartDateError(e.slug) : null),
  (e, date) =>
    e.endDate !== null && compareIsoDates(e.endDate, date) < 0
      ? new EndedError(e.slug, e.endDate, date)
      : null,
  (e) => (e.isRollout ? new RolloutSkipError(e.slug) : null),
  (e) => (e.isSupportedApplication ? null : new UnsupportedApplicationError(e.slug, e.appName)),
  (e) =>
    e.type === 'v6' &&
    e.experiment.enrollmentEndDate === null &&
    e.overrides.enrollmentPeriod === undefined
      ? new EnrollmentNotCompleteError(e.slug)
      : null,
];

/**
 * The first gating check an experiment fails on `date`, or null when it may be analysed.
 * EnrollmentLongerThanAnalysis is not among these: it belongs to the overall window (see
 * `dueWindow`).
 */
export function gateExperiment(experiment: EffectiveExperiment, date: IsoDate): GatingError | null {
  for (const check of CHECKS) {
    const error = check(experiment, date);
    if (error !== null) return error;
  }
  return null;
}

/**
 * Throws the first failed gating check.
 * @throws GatingError (a subclass per reason; `expected` tells whether to retry).
 */
export function assertRunnable(experiment: EffectiveExperiment, date: IsoDate): void {
  const error = gateExperiment(experiment, date);
  if (error !== null) throw error;
}

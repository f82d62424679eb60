/**
 * Why an experiment is not analysed on a date (spec/analysis.md §1.4, §5). Expected reasons
 * (jetstream's ValidationException family) are logged and the unit counts as a success, without
 * retry; unexpected ones fail the unit.
 */

/** Every gating reason, in the order the checks run (EnrollmentLongerThanAnalysis comes from the overall window). */
export const GATING_REASONS = [
  'NoSlug',
  'ExplicitSkip',
  'HighPopulation',
  'NoEnrollmentPeriod',
  'NoStartDate',
  'Ended',
  'RolloutSkip',
  'UnsupportedApplication',
  'EnrollmentNotComplete',
  'EnrollmentLongerThanAnalysis',
] as const;

/** One gating reason. */
export type GatingReason = (typeof GATING_REASONS)[number];

/** Base of the gating errors: carries the slug, the reason code and whether it is expected. */
export abstract class GatingError extends Error {
  /** The reason code, also the prefix of the class name. */
  abstract readonly reason: GatingReason;
  /** True for the ValidationException family: log and complete, never retry. */
  abstract readonly expected: boolean;
  /** The experiment, or null when it has no slug. */
  readonly slug: string | null;

  constructor(slug: string | null, message: string) {
    super(slug === null ? message : `${slug}: ${message}`);
    this.slug = slug;
  }
}

/** The experiment has no slug. */
export class NoSlugError extends GatingError {
  override readonly name = 'NoSlugError';
  readonly reason = 'NoSlug';
  readonly expected = true;
  constructor() {
    super(null, 'experiment has no slug');
  }
}

/** The config says `skip = true`. */
export class ExplicitSkipError extends GatingError {
  override readonly name = 'ExplicitSkipError';
  readonly reason = 'ExplicitSkip';
  readonly expected = true;
  constructor(slug: string) {
    super(slug, 'skipped by its config (skip = true)');
  }
}

/** High-population experiments are not analysed. */
export class HighPopulationError extends GatingError {
  override readonly name = 'HighPopulationError';
  readonly reason = 'HighPopulation';
  readonly expected = true;
  constructor(slug: string) {
    super(slug, 'high-population experiment, not analysed');
  }
}

/** The effective enrollment period is 0 (or negative). */
export class NoEnrollmentPeriodError extends GatingError {
  override readonly name = 'NoEnrollmentPeriodError';
  readonly reason = 'NoEnrollmentPeriod';
  readonly expected = true;
  constructor(slug: string, days: number) {
    super(slug, `experiment has no enrollment period (${days} days)`);
  }
}

/** Neither Experimenter nor the config gives a start date. */
export class NoStartDateError extends GatingError {
  override readonly name = 'NoStartDateError';
  readonly reason = 'NoStartDate';
  readonly expected = true;
  constructor(slug: string) {
    super(slug, 'experiment has no start date');
  }
}

/** The run date is after the effective end date. */
export class EndedError extends GatingError {
  override readonly name = 'EndedError';
  readonly reason = 'Ended';
  readonly expected = true;
  constructor(slug: string, endDate: string, date: string) {
    super(slug, `experiment ended on ${endDate}, before ${date}`);
  }
}

/** Rollouts are not analysed. */
export class RolloutSkipError extends GatingError {
  override readonly name = 'RolloutSkipError';
  readonly reason = 'RolloutSkip';
  readonly expected = true;
  constructor(slug: string) {
    super(slug, 'rollout, not analysed');
  }
}

/** The experiment's app has no platform configuration: a real problem, not expected. */
export class UnsupportedApplicationError extends GatingError {
  override readonly name = 'UnsupportedApplicationError';
  readonly reason = 'UnsupportedApplication';
  readonly expected = false;
  constructor(slug: string, appName: string) {
    super(slug, `application ${JSON.stringify(appName)} is not supported`);
  }
}

/** A Nimbus experiment without enrollmentEndDate and without a configured enrollment period. */
export class EnrollmentNotCompleteError extends GatingError {
  override readonly name = 'EnrollmentNotCompleteError';
  readonly reason = 'EnrollmentNotComplete';
  readonly expected = true;
  constructor(slug: string) {
    super(slug, 'enrollment has not ended (no enrollmentEndDate, no enrollment_period in config)');
  }
}

/** The overall window would have negative length: the end date is before enrollment ends. */
export class EnrollmentLongerThanAnalysisError extends GatingError {
  override readonly name = 'EnrollmentLongerThanAnalysisError';
  readonly reason = 'EnrollmentLongerThanAnalysis';
  readonly expected = true;
  constructor(slug: string, lastEnrollmentDate: string, endDate: string) {
    super(
      slug,
      `enrollment (until ${lastEnrollmentDate}) is longer than the analysis (ends ${endDate})`,
    );
  }
}

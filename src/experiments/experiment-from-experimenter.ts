import { compareIsoDates, type IsoDate } from '../analysis/iso-date.js';
import type { Experiment } from './experiment.js';
import type { ExperimenterExperiment } from './experimenter-experiment.js';

/** App name jetstream assumes when Experimenter gives none. */
export const DEFAULT_APP_NAME = 'firefox_desktop';

/**
 * `Live` while the experiment has no end date or ends after `today`, else `Complete` (jetstream
 * compares the end day's midnight with the current time, so an experiment ending today is
 * already `Complete`).
 */
export function experimentStatus(endDate: IsoDate | null, today: IsoDate): Experiment['status'] {
  return endDate === null || compareIsoDates(endDate, today) > 0 ? 'Live' : 'Complete';
}

/**
 * Maps a validated v8 entry to contrail's {@link Experiment}: type `v6`, high population false,
 * app name defaulting to `firefox_desktop`, status relative to `today`.
 * @param today - the current UTC day; a parameter because core never reads the clock.
 */
export function experimentFromExperimenter(
  entry: ExperimenterExperiment,
  today: IsoDate,
): Experiment {
  const endDate = entry.endDate ?? null;
  return {
    slug: entry.slug,
    type: 'v6',
    status: experimentStatus(endDate, today),
    branches: entry.branches.map((b) => ({ slug: b.slug, ratio: b.ratio ?? 1 })),
    referenceBranch: entry.referenceBranch ?? null,
    startDate: entry.startDate ?? null,
    endDate,
    proposedEnrollment: entry.proposedEnrollment ?? null,
    enrollmentEndDate: entry.enrollmentEndDate ?? null,
    isEnrollmentPaused: entry.isEnrollmentPaused ?? false,
    randomizationUnit: entry.bucketConfig?.randomizationUnit ?? null,
    appName: entry.appName ?? DEFAULT_APP_NAME,
    appId: entry.appId ?? null,
    outcomes: (entry.outcomes ?? []).map((o) => o.slug),
    segments: (entry.segments ?? []).map((s) => s.slug),
    isRollout: entry.isRollout ?? false,
    isHighPopulation: false,
  };
}

import type { IsoDate } from '../analysis/iso-date.js';
import type { Experiment } from '../experiments/experiment.js';
import type { ExperimentEntryFields } from './entry-schemas.js';

/** Start date a stub experiment gets when its config does not name one (validation only). */
export const STUB_START_DATE: IsoDate = '2024-01-01';

/**
 * A stand-in for Experimenter's record, used to validate configs without Experimenter (as
 * metric-config-parser validates with a dummy experiment): the given slug and app, two
 * branches, a 7-day enrollment, and whatever the config's own `[experiment]` keys say.
 */
export function stubExperiment(
  slug: string,
  appName: string,
  section: Partial<ExperimentEntryFields> = {},
  outcomes: readonly string[] = [],
): Experiment {
  const endDate = section.endDate ?? null;
  return {
    slug,
    type: 'v6',
    status: endDate === null ? 'Live' : 'Complete',
    branches: [
      { slug: section.referenceBranch ?? 'control', ratio: 1 },
      { slug: 'treatment', ratio: 1 },
    ],
    referenceBranch: section.referenceBranch ?? 'control',
    startDate: section.startDate ?? STUB_START_DATE,
    endDate,
    proposedEnrollment: 7,
    enrollmentEndDate: null,
    isEnrollmentPaused: false,
    randomizationUnit: null,
    appName,
    appId: null,
    outcomes,
    segments: [],
    isRollout: false,
    isHighPopulation: false,
  };
}

import { daysBetween } from '../../analysis/iso-date.js';
import { BUCKET_TOTAL, type PlannedExperiment } from './seed-plan.js';

/**
 * An experiment as the Experimenter v8 API serves it. The fields of NimbusExperiment_v1.0.json
 * plus the API-only ones jetstream reads (appName, appId, channel, isRollout, outcomes, segments,
 * featureIds).
 */
export interface ExperimenterV8Experiment {
  readonly schemaVersion: string;
  readonly slug: string;
  readonly id: string;
  readonly appName: string;
  readonly appId: string;
  readonly application: string;
  readonly channel: string;
  readonly userFacingName: string;
  readonly userFacingDescription: string;
  readonly isEnrollmentPaused: boolean;
  readonly isRollout: boolean;
  readonly bucketConfig: {
    readonly randomizationUnit: string;
    readonly namespace: string;
    readonly start: number;
    readonly count: number;
    readonly total: number;
  };
  readonly featureIds: readonly string[];
  readonly probeSets: readonly string[];
  readonly outcomes: readonly { readonly slug: string; readonly priority: string }[];
  readonly segments: readonly { readonly slug: string }[];
  readonly branches: readonly {
    readonly slug: string;
    readonly ratio: number;
    readonly feature: {
      readonly featureId: string;
      readonly enabled: boolean;
      readonly value: object;
    };
  }[];
  readonly targeting: string;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly proposedDuration: number;
  readonly proposedEnrollment: number;
  readonly enrollmentEndDate: string | null;
  readonly referenceBranch: string | null;
}

/** Keys of {@link ExperimenterV8Experiment} that NimbusExperiment_v1.0.json does not define. */
export const API_ONLY_KEYS = [
  'appName',
  'appId',
  'channel',
  'isRollout',
  'featureIds',
  'outcomes',
  'segments',
] as const;

const APPS = {
  firefox_desktop: { appId: 'firefox-desktop', unit: 'normandy_id', targeting: 'true' },
  fenix: {
    appId: 'org.mozilla.firefox',
    unit: 'nimbus_id',
    targeting: "app_id == 'org.mozilla.firefox'",
  },
} as const;

/** Default proposed duration (days) of experiments that have not ended. */
const PROPOSED_DURATION = 35;

/** The Experimenter v8 record of a planned experiment. */
export function toExperimenterJson(experiment: PlannedExperiment): ExperimenterV8Experiment {
  const app = APPS[experiment.platform];
  const enrollmentOver = experiment.enrollmentEndDate !== null;
  return {
    schemaVersion: '1.12.0',
    slug: experiment.slug,
    id: experiment.slug,
    appName: experiment.platform,
    appId: app.appId,
    application: app.appId,
    channel: 'release',
    userFacingName: experiment.userFacingName,
    userFacingDescription: experiment.description,
    isEnrollmentPaused: enrollmentOver,
    isRollout: experiment.isRollout,
    bucketConfig: {
      randomizationUnit: app.unit,
      namespace: experiment.namespace,
      start: experiment.bucketStart,
      count: experiment.bucketCount,
      total: BUCKET_TOTAL,
    },
    featureIds: [experiment.featureId],
    probeSets: [],
    outcomes: [],
    segments: experiment.segments.map((slug) => ({ slug })),
    branches: experiment.branches.map((b) => ({
      slug: b.slug,
      ratio: b.ratio,
      feature: { featureId: experiment.featureId, enabled: true, value: {} },
    })),
    targeting: app.targeting,
    startDate: experiment.startDate,
    endDate: experiment.endDate,
    proposedDuration:
      experiment.endDate === null
        ? PROPOSED_DURATION
        : daysBetween(experiment.startDate, experiment.endDate),
    proposedEnrollment: experiment.enrollmentDays,
    enrollmentEndDate: experiment.enrollmentEndDate,
    referenceBranch: experiment.branches[0]?.slug ?? null,
  };
}

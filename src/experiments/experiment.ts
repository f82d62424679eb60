import type { IsoDate } from '../analysis/iso-date.js';

/**
 * An experiment as contrail sees it: the fields of the Experimenter v8 API that the analysis
 * uses (spec/analysis.md §1.1), mapped to camel-cased, typed values. Dates are UTC days.
 */
export interface Experiment {
  /** Experimenter slug; also the key of `jetstream/<slug>.toml` overrides. */
  readonly slug: string;
  /** `v6` for every Nimbus experiment (jetstream sets it so). */
  readonly type: string;
  /** `Live` while endDate is null or in the future (relative to the discovery time), else `Complete`. */
  readonly status: 'Live' | 'Complete';
  /** Branches in the order Experimenter lists them, with their relative population ratios. */
  readonly branches: readonly ExperimentBranch[];
  /** The branch comparisons are reported against on pages; null when Experimenter gives none. */
  readonly referenceBranch: string | null;
  readonly startDate: IsoDate | null;
  readonly endDate: IsoDate | null;
  /** Planned enrollment length in days. */
  readonly proposedEnrollment: number | null;
  /** The day enrollment actually ended, once it has. */
  readonly enrollmentEndDate: IsoDate | null;
  readonly isEnrollmentPaused: boolean;
  /** Bucketing unit, e.g. `normandy_id`, `nimbus_id`, `group_id`. */
  readonly randomizationUnit: string | null;
  /** Application name, e.g. `firefox_desktop` (the default), `fenix`. */
  readonly appName: string;
  /** Application id, e.g. `org.mozilla.firefox`; names the Glean dataset. */
  readonly appId: string | null;
  /** Outcome slugs chosen in Experimenter. */
  readonly outcomes: readonly string[];
  /** Segment slugs chosen in Experimenter. */
  readonly segments: readonly string[];
  readonly isRollout: boolean;
  /** Always false for experiments from the API (jetstream never sets it from there). */
  readonly isHighPopulation: boolean;
}

/** One branch of an experiment. */
export interface ExperimentBranch {
  readonly slug: string;
  /** Relative share of the population (Experimenter's integer ratio). */
  readonly ratio: number;
}

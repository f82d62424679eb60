import type { IsoDate } from '../../analysis/iso-date.js';
import type { AnalysisWindowDays } from './due-windows.js';
import type { BranchKnobs, ExperimentTrait, SyntheticPlatform } from './experiment-catalogue.js';
import type { WindowTrueEffects } from './true-effects.js';

/**
 * `manifest.json`: what `contrail seed` generated, so that tests and people can check the
 * analysis against known truth. Deterministic for a seed (no timings, no absolute paths).
 */
export interface SeedManifest {
  readonly generator: 'contrail seed';
  readonly formatVersion: 1;
  /** `synthetic` (generated telemetry) or `jetstream-fixtures` (jetstream's test data). */
  readonly mode: 'synthetic' | 'jetstream-fixtures';
  /** Seed of the random draws; null for fixtures. */
  readonly seed: number | null;
  /** Run date on which the `dueWindows` of every experiment are due. */
  readonly demoDate: IsoDate;
  readonly dataStart: IsoDate;
  readonly dataEnd: IsoDate;
  /** Clients per platform (0 for a platform without data). */
  readonly population: Readonly<Record<string, number>>;
  /** Paths relative to the warehouse folder. */
  readonly files: {
    readonly experiments: string;
    readonly metricHub: string;
  };
  readonly tables: readonly ManifestTable[];
  readonly experiments: readonly ManifestExperiment[];
  /** Planted sample ratio mismatches (one per affected experiment). */
  readonly sampleRatioMismatches: readonly SampleRatioMismatch[];
  /** Notes on what the truth covers and how the data were made. */
  readonly notes: readonly string[];
}

/** One generated table. */
export interface ManifestTable {
  readonly dataset: string;
  readonly table: string;
  /** `tables/<dataset>/<table>.parquet`. */
  readonly path: string;
  readonly rows: number;
}

/** One experiment as generated. */
export interface ManifestExperiment {
  readonly slug: string;
  readonly platform: SyntheticPlatform;
  readonly traits: readonly ExperimentTrait[];
  readonly startDate: IsoDate;
  readonly enrollmentEndDate: IsoDate | null;
  readonly endDate: IsoDate | null;
  /** Effective enrollment period (Experimenter or the config override). */
  readonly enrollmentPeriod: number;
  /** E = start date + enrollment period. */
  readonly lastEnrollmentDate: IsoDate;
  readonly referenceBranch: string | null;
  /** Has a metric-hub override `jetstream/<slug>.toml`. */
  readonly hasOverride: boolean;
  readonly analysable: boolean;
  readonly branches: readonly ManifestBranch[];
  /** Analysis windows due on the demo date. */
  readonly dueWindows: readonly AnalysisWindowDays[];
  readonly trueEffects: readonly WindowTrueEffects[];
}

/** One branch: its published ratio, the share actually assigned, knobs and realised counts. */
export interface ManifestBranch {
  readonly slug: string;
  readonly ratio: number;
  /** Share of enrollees assigned to this branch by the generator. */
  readonly assignmentShare: number;
  readonly knobs: BranchKnobs;
  /** Clients enrolled (one enrollment event each). */
  readonly enrolled: number;
  /** Clients with at least one exposure event. */
  readonly exposed: number;
}

/** A planted sample ratio mismatch. */
export interface SampleRatioMismatch {
  readonly slug: string;
  /** Shares implied by the published ratios. */
  readonly expectedShares: Readonly<Record<string, number>>;
  /** Shares the generator assigned with. */
  readonly assignedShares: Readonly<Record<string, number>>;
  /** Realised enrollment counts. */
  readonly enrolled: Readonly<Record<string, number>>;
}

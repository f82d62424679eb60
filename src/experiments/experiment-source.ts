import type { IsoDate } from '../analysis/iso-date.js';
import type { Experiment } from './experiment.js';
import type { ParsedExperiments } from './parse-experiments.js';

/**
 * Where experiments come from: the Experimenter API or a file in its format. Implementations
 * live in src/experiments/api (the only I/O of this area); core code depends on this port only.
 */
export interface ExperimentSource {
  /** The URL or file path, for logs and error messages. */
  readonly origin: string;
  /**
   * Every experiment; entries that fail to parse are reported in `rejected`, never fatal.
   * @param today - the current UTC day (decides `Live` vs `Complete`).
   */
  listExperiments(today: IsoDate): Promise<ParsedExperiments>;
  /**
   * One experiment by slug.
   * @throws ExperimentNotFoundError when the source has no such experiment.
   */
  getExperiment(slug: string, today: IsoDate): Promise<Experiment>;
}

/** Raised when a named experiment does not exist in the source (an expected failure). */
export class ExperimentNotFoundError extends Error {
  override readonly name = 'ExperimentNotFoundError';
  readonly slug: string;

  constructor(slug: string, origin: string) {
    super(`experiment ${JSON.stringify(slug)} not found in ${origin}`);
    this.slug = slug;
  }
}

/**
 * Raised when a single experiment's entry cannot be used (bad fields or unsafe slug).
 */
export class ExperimentParseError extends Error {
  override readonly name = 'ExperimentParseError';
  readonly slug: string;

  constructor(slug: string, origin: string, reason: string) {
    super(`experiment ${JSON.stringify(slug)} from ${origin} cannot be used: ${reason}`);
    this.slug = slug;
  }
}

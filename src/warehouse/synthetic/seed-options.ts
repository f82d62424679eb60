import { isIsoDate, type IsoDate } from '../../analysis/iso-date.js';
import type { CatalogueExperiment } from './experiment-catalogue.js';

/** What `contrail seed` builds: where, how big, how many experiments, and from which seed. */
export interface SeedOptions {
  /** Warehouse folder (`<dir>/tables/...`, `experiments.json`, `metric-hub/`, `manifest.json`). */
  readonly dir: string;
  /** Desktop clients; the Glean (Fenix) population is a quarter of this. */
  readonly clients: number;
  /** Days of telemetry, ending on the demo date (inclusive). */
  readonly days: number;
  /** Experiments to generate: the first K of the catalogue, then extra two-branch ones. */
  readonly experiments: number;
  /** Seed of every random draw; the same seed gives byte-identical tables. */
  readonly seed: number;
  /** The run date on which several analysis periods are due at once; last day of data. */
  readonly demoDate: IsoDate;
  /**
   * Experiments to generate instead of the first `experiments` of the built-in catalogue (a
   * benchmark's own workload); `experiments` is then ignored. @defaultValue undefined
   */
  readonly catalogue?: readonly CatalogueExperiment[];
}

/** Defaults of {@link SeedOptions} (except `dir`, which the caller resolves). */
export const SEED_DEFAULTS = {
  /** @defaultValue 20000 */
  clients: 20_000,
  /** @defaultValue 63 (nine weeks: covers every pre-enrollment window of the catalogue) */
  days: 63,
  /** @defaultValue 9 (the whole catalogue) */
  experiments: 9,
  /** @defaultValue 1 */
  seed: 1,
  /** @defaultValue 2026-03-01 */
  demoDate: '2026-03-01',
} as const;

/** Bounds of the numeric options, checked by {@link resolveSeedOptions}. */
export const SEED_LIMITS = {
  clients: { min: 100, max: 5_000_000 },
  days: { max: 400 },
  experiments: { min: 1, max: 30 },
  seed: { min: 0, max: 2_147_483_647 },
} as const;

/** A seed option out of range; the message names the option and the allowed range. */
export class SeedOptionsError extends Error {
  override readonly name = 'SeedOptionsError';
}

/**
 * Fills defaults and checks ranges. `days` is checked against the catalogue separately (see
 * `planExperiments`), because its minimum depends on which experiments are generated.
 * @throws SeedOptionsError naming the first bad option.
 */
export function resolveSeedOptions(input: Partial<SeedOptions> & { dir: string }): SeedOptions {
  const options: SeedOptions = {
    dir: input.dir,
    clients: input.clients ?? SEED_DEFAULTS.clients,
    days: input.days ?? SEED_DEFAULTS.days,
    experiments: input.experiments ?? SEED_DEFAULTS.experiments,
    seed: input.seed ?? SEED_DEFAULTS.seed,
    demoDate: input.demoDate ?? SEED_DEFAULTS.demoDate,
    ...(input.catalogue === undefined ? {} : { catalogue: input.catalogue }),
  };
  checkInteger('clients', options.clients, SEED_LIMITS.clients.min, SEED_LIMITS.clients.max);
  checkInteger('days', options.days, 1, SEED_LIMITS.days.max);
  checkInteger(
    'experiments',
    options.experiments,
    SEED_LIMITS.experiments.min,
    SEED_LIMITS.experiments.max,
  );
  checkInteger('seed', options.seed, SEED_LIMITS.seed.min, SEED_LIMITS.seed.max);
  if (!isIsoDate(options.demoDate)) {
    throw new SeedOptionsError(`demo date must be a YYYY-MM-DD day, got ${options.demoDate}`);
  }
  if (options.dir.trim() === '') throw new SeedOptionsError('dir must not be empty');
  if (options.catalogue?.length === 0) throw new SeedOptionsError('catalogue must not be empty');
  return options;
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SeedOptionsError(`--${name} must be an integer in ${min}..${max}, got ${value}`);
  }
}

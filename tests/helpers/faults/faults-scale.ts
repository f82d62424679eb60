/**
 * How big the fault suite runs. CI runs a reduced size (the whole suite fits in a few minutes on
 * two cores); `npm run test:faults` sets `CONTRAIL_FAULTS_SIZE=full` for the full load.
 */
export type FaultsSize = 'ci' | 'full';

/** The workload sizes of one suite size. */
export interface FaultsScale {
  readonly size: FaultsSize;
  /** Synthetic desktop clients seeded into the warehouse. */
  readonly clients: number;
  /** Bootstrap samples of the planted slow metric (makes one metric job last seconds). */
  readonly slowSamples: number;
  /** Experiments of the load workload (copies of the core experiment). */
  readonly loadExperiments: number;
  /** Metrics of each load experiment beyond its 15 default metric jobs. */
  readonly loadExtraMetrics: number;
  /** Metric jobs per worker process in the load test. */
  readonly loadConcurrency: number;
  /** Random worker kills happen every `[min, max]` ms during the load test. */
  readonly killEveryMs: readonly [number, number];
}

const SCALES: Readonly<Record<FaultsSize, FaultsScale>> = {
  ci: {
    size: 'ci',
    clients: 1000,
    slowSamples: 1_000_000,
    loadExperiments: 3,
    loadExtraMetrics: 10,
    loadConcurrency: 2,
    killEveryMs: [2_500, 4_500],
  },
  full: {
    size: 'full',
    clients: 1000,
    slowSamples: 1_000_000,
    loadExperiments: 20,
    loadExtraMetrics: 85,
    loadConcurrency: 2,
    killEveryMs: [3_000, 6_000],
  },
};

/**
 * The scale chosen by `CONTRAIL_FAULTS_SIZE` (`ci` when unset).
 * @throws Error naming the variable when it holds anything else.
 */
export function faultsScale(value = process.env['CONTRAIL_FAULTS_SIZE']): FaultsScale {
  if (value === undefined || value === '') return SCALES.ci;
  if (value === 'ci' || value === 'full') return SCALES[value];
  throw new Error(`CONTRAIL_FAULTS_SIZE must be "ci" or "full", not ${JSON.stringify(value)}`);
}

/** Metric jobs of the load workload at `scale` (each experiment: 15 defaults + extras). */
export function loadMetricJobs(scale: FaultsScale): number {
  return scale.loadExperiments * (15 + scale.loadExtraMetrics);
}

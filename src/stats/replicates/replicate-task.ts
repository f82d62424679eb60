/**
 * Replicate tasks: plain-data descriptions of the random part of a statistic, so that the same
 * computation can run inline or be split over worker threads. Replicates are generated in blocks
 * of {@link REPLICATE_BLOCK_SIZE}; block b draws from the stream `Sfc32.forBlock(seed, b)`, so the
 * replicates are bit-identical whichever thread computes which block.
 */

/** Replicates per block (fixed: changing it changes every seeded result). */
export const REPLICATE_BLOCK_SIZE = 64;

/** Bayesian bootstrap of a mean over a compressed sample: Σ w_j v_j with w ~ Dirichlet(counts). */
export interface BayesianBootstrapTask {
  readonly kind: 'bayesian_bootstrap';
  readonly replicates: number;
  readonly seed: number;
  /**
   * Values that each get an Exp(1) weight: the distinct values that occur once, or every row of
   * a continuous sample.
   */
  readonly singles: Float64Array;
  /** Distinct values that occur more than once... */
  readonly values: Float64Array;
  /** ...with their counts (each gets a Gamma(count) weight). */
  readonly counts: Float64Array;
}

/**
 * Percentile bootstrap of Σnum/Σden over resampled rows. With `counts` the arrays hold distinct
 * (num, den) pairs and a replicate draws their multiplicities as Multinomial(N, counts/N);
 * without, they hold the rows and a replicate draws N row indices.
 */
export interface ResampleRatioTask {
  readonly kind: 'resample_ratio';
  readonly replicates: number;
  readonly seed: number;
  /** Interleaved (numerator, denominator) pairs: [num₀, den₀, num₁, den₁, …]. */
  readonly pairs: Float64Array;
  /** Multiplicity of each pair (multinomial mode), or null when `pairs` holds every row. */
  readonly counts: Float64Array | null;
}

/**
 * Resampling-free quantile bootstrap (Spotify, arXiv 2202.10992): for each probability q the
 * replicate is sorted[K] with K ~ Binomial(n − 1, q). Width = probabilities.length.
 */
export interface OrderStatisticsTask {
  readonly kind: 'order_statistics';
  readonly replicates: number;
  readonly seed: number;
  /**
   * The values, in sorted order at least at every rank a Binomial(n − 1, q) table can return
   * (see `orderAtRanks`); elsewhere in any order.
   */
  readonly sorted: Float64Array;
  readonly probabilities: Float64Array;
}

/** Independent Beta(alpha, beta) draws (posterior of a binomial rate). */
export interface BetaTask {
  readonly kind: 'beta';
  readonly replicates: number;
  readonly seed: number;
  readonly alpha: number;
  readonly beta: number;
}

/** Any replicate task. */
export type ReplicateTask =
  BayesianBootstrapTask | ResampleRatioTask | OrderStatisticsTask | BetaTask;

/** Values per replicate (the output holds replicates × width values, replicate-major). */
export function replicateWidth(task: ReplicateTask): number {
  return task.kind === 'order_statistics' ? task.probabilities.length : 1;
}

/** Number of blocks of a task. */
export function replicateBlockCount(task: ReplicateTask): number {
  return Math.ceil(task.replicates / REPLICATE_BLOCK_SIZE);
}

/** Replicate range [start, end) of block `block`. */
export function blockRange(task: ReplicateTask, block: number): { start: number; end: number } {
  const start = block * REPLICATE_BLOCK_SIZE;
  return { start, end: Math.min(task.replicates, start + REPLICATE_BLOCK_SIZE) };
}

/**
 * Rough cost of a task in random draws, so a runner can keep cheap tasks on the calling thread.
 */
export function replicateTaskCost(task: ReplicateTask): number {
  switch (task.kind) {
    case 'bayesian_bootstrap':
      return task.replicates * (task.singles.length + 4 * task.values.length);
    case 'resample_ratio':
      return task.replicates * (task.counts ? 8 * task.counts.length : task.pairs.length / 2);
    case 'order_statistics':
      return task.replicates * task.probabilities.length * 4;
    case 'beta':
      return task.replicates * 4;
  }
}

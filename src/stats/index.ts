/**
 * Public API of the statistics engine (the leaf layer: pure, seeded, no I/O).
 */
export {
  computeStatistics,
  computeStatisticsWith,
  type SeedFunction,
  type StatisticsInput,
  type StatisticsResult,
} from './compute-statistics.js';
export { formatParameter, pythonFloatRepr, roundHalfEven6 } from './format/python-float.js';
export { parsePreTreatmentParams, parseStatisticParams } from './parse-params.js';
export { deriveSeed, seedFor } from './random/seed-for.js';
export {
  computeReplicateBlocks,
  warmUpReplicateKernels,
  inlineReplicateRunner,
  runReplicateTask,
  type ReplicateRunner,
} from './replicates/compute-replicate-blocks.js';
export {
  REPLICATE_BLOCK_SIZE,
  replicateBlockCount,
  replicateTaskCost,
  replicateWidth,
  type ReplicateTask,
} from './replicates/replicate-task.js';
export {
  COVARIATE_COLUMN,
  SOURCE_LINE_COLUMN,
  VALUE_COLUMN,
  type BranchSlice,
  type MetricSlice,
} from './slice/metric-slice.js';
export * from './statistic-error.js';
export type { StatisticBasis, StatisticPeriod } from './statistics/statistic-plan.js';

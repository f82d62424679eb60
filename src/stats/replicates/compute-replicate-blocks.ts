import { sampleBeta } from '../random/beta.js';
import { Sfc32 } from '../random/sfc32.js';
import { bayesianBootstrapBlock } from './bayesian-bootstrap-kernel.js';
import { orderStatisticsBlock } from './order-statistics-kernel.js';
import {
  blockRange,
  replicateBlockCount,
  replicateWidth,
  type BetaTask,
  type ReplicateTask,
} from './replicate-task.js';
import { resampleRatioBlock } from './resample-ratio-kernel.js';

function betaBlock(task: BetaTask, block: number, out: Float64Array): void {
  const rng = Sfc32.forBlock(task.seed, block);
  const { start, end } = blockRange(task, block);
  for (let r = start; r < end; r++) out[r] = sampleBeta(rng, task.alpha, task.beta);
}

/**
 * Computes blocks [fromBlock, toBlock) of `task` into `out` (length replicates × width, shared by
 * every caller of the task). This is what a worker thread runs.
 */
export function computeReplicateBlocks(
  task: ReplicateTask,
  fromBlock: number,
  toBlock: number,
  out: Float64Array,
): void {
  for (let block = fromBlock; block < toBlock; block++) {
    switch (task.kind) {
      case 'bayesian_bootstrap':
        bayesianBootstrapBlock(task, block, out);
        break;
      case 'resample_ratio':
        resampleRatioBlock(task, block, out);
        break;
      case 'order_statistics':
        orderStatisticsBlock(task, block, out);
        break;
      case 'beta':
        betaBlock(task, block, out);
        break;
    }
  }
}

/** All replicates of `task`, computed on the calling thread. */
export function runReplicateTask(task: ReplicateTask): Float64Array {
  const out = new Float64Array(task.replicates * replicateWidth(task));
  computeReplicateBlocks(task, 0, replicateBlockCount(task), out);
  return out;
}

/**
 * Runs replicate tasks and resolves to one output per task (in order). The inline runner and
 * the worker-thread pool both implement it; their outputs are bit-identical.
 */
export type ReplicateRunner = (tasks: readonly ReplicateTask[]) => Promise<Float64Array[]>;

/** A {@link ReplicateRunner} that computes everything on the calling thread. */
export const inlineReplicateRunner: ReplicateRunner = (tasks) =>
  Promise.resolve(tasks.map(runReplicateTask));

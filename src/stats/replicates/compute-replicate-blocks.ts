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

/** Small tasks of every kind, run once per thread before the first real task. */
function warmUpTasks(): ReplicateTask[] {
  const values = Float64Array.from({ length: 2048 }, (_, i) => (i * 0.618) % 7);
  const pairs = Float64Array.from({ length: 512 }, (_, i) => 1 + (i % 5));
  return [
    {
      kind: 'bayesian_bootstrap',
      replicates: 8,
      seed: 1,
      singles: values,
      values: Float64Array.of(1, 2),
      counts: Float64Array.of(3, 40),
    },
    { kind: 'resample_ratio', replicates: 8, seed: 2, pairs, counts: null },
    {
      kind: 'resample_ratio',
      replicates: 8,
      seed: 3,
      pairs: Float64Array.of(1, 2, 3, 4),
      counts: Float64Array.of(20, 30),
    },
    // Large cells: the multinomial's binomials take the BTRD path (and p > 0.5).
    {
      kind: 'resample_ratio',
      replicates: 8,
      seed: 6,
      pairs: Float64Array.from({ length: 64 }, (_, i) => 1 + (i % 9)),
      counts: Float64Array.from({ length: 32 }, (_, i) => 50_000 + 997 * i),
    },
    {
      kind: 'order_statistics',
      replicates: 8,
      seed: 4,
      sorted: values,
      probabilities: Float64Array.of(0.1, 0.9),
    },
    { kind: 'beta', replicates: 8, seed: 5, alpha: 3, beta: 40 },
  ];
}

let warmedUp = false;

/**
 * Runs every kernel a few times on tiny inputs, once per thread. V8 optimizes a long kernel loop
 * on stack (OSR) before the code after the loop has run; without type feedback there, each call
 * then deoptimizes when the loop ends and runs much of the next call unoptimized. Warming up
 * first gives every site its feedback (~1 ms).
 */
export function warmUpReplicateKernels(): void {
  if (warmedUp) return;
  warmedUp = true;
  for (let round = 0; round < 3; round++) {
    for (const task of warmUpTasks()) {
      computeBlocksUnwarmed(task, 0, 1, new Float64Array(task.replicates * replicateWidth(task)));
    }
  }
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
  warmUpReplicateKernels();
  computeBlocksUnwarmed(task, fromBlock, toBlock, out);
}

function computeBlocksUnwarmed(
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

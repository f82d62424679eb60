import { BinomialTable } from '../random/binomial-table.js';
import { Sfc32 } from '../random/sfc32.js';
import { blockRange, type OrderStatisticsTask } from './replicate-task.js';

/** Binomial tables per task, built once however many blocks a thread computes. */
const tablesByTask = new WeakMap<OrderStatisticsTask, readonly BinomialTable[]>();

function tablesFor(task: OrderStatisticsTask): readonly BinomialTable[] {
  let tables = tablesByTask.get(task);
  if (!tables) {
    const n = task.sorted.length;
    tables = Array.from(task.probabilities, (q) => new BinomialTable(n - 1, q));
    tablesByTask.set(task, tables);
  }
  return tables;
}

/**
 * Replicates of one block of the resampling-free quantile bootstrap: for replicate r and
 * probability i, out[r·w + i] = sorted[K] with K ~ Binomial(n − 1, q_i). One uniform per replicate
 * drives every probability (inverse CDF), so each K keeps its binomial law and the replicates,
 * hence the decile points, are non-decreasing in q.
 */
export function orderStatisticsBlock(
  task: OrderStatisticsTask,
  block: number,
  out: Float64Array,
): void {
  const rng = Sfc32.forBlock(task.seed, block);
  const { start, end } = blockRange(task, block);
  const tables = tablesFor(task);
  const width = tables.length;
  const sorted = task.sorted;
  for (let r = start; r < end; r++) {
    const u = rng.nextDouble();
    for (let i = 0; i < width; i++) out[r * width + i] = sorted[tables[i]!.quantile(u)]!;
  }
}

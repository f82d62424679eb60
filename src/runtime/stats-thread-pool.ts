import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import {
  replicateBlockCount,
  replicateTaskCost,
  replicateWidth,
  runReplicateTask,
  type ReplicateRunner,
  type ReplicateTask,
} from '../stats/index.js';
import { isBlockResponse, isThreadReady, type BlockRequest } from './stats-thread-messages.js';

/** The pool could not start or a thread failed. */
export class StatsThreadPoolError extends Error {
  override readonly name = 'StatsThreadPoolError';
}

/** Options of {@link StatsThreadPool.create}. */
export interface StatsThreadPoolOptions {
  /** Number of worker threads (≥ 1). */
  readonly threads: number;
  /**
   * Tasks cheaper than this many random draws run on the calling thread.
   * @defaultValue 2,000,000
   */
  readonly inlineBelowCost?: number;
  /** Compiled thread entry; @defaultValue {@link resolveStatsThreadEntry}() */
  readonly entry?: URL;
}

const DEFAULT_INLINE_BELOW_COST = 2_000_000;
/**
 * At least this many chunks per thread and task, so that threads that finish early pick up more
 * work.
 */
const CHUNKS_PER_THREAD = 4;
/**
 * A chunk holds more than one block only while it stays under this cost (random draws, ~10 ms):
 * the threads finish at most one chunk apart, so expensive blocks go one at a time.
 */
const CHUNK_COST = 4_000_000;

/**
 * The compiled thread entry next to this module: `dist/runtime/stats-thread-entry.js`. When this
 * module runs from `src/` (tsx, vitest), the entry is the compiled file in `dist/`.
 * @throws StatsThreadPoolError when that file does not exist (run `npm run build`).
 */
export function resolveStatsThreadEntry(moduleUrl: string = import.meta.url): URL {
  let url = new URL('./stats-thread-entry.js', moduleUrl);
  if (moduleUrl.endsWith('.ts')) {
    url = new URL(
      url.href.replace(
        /\/src\/runtime\/stats-thread-entry\.js$/,
        '/dist/runtime/stats-thread-entry.js',
      ),
    );
  }
  if (!existsSync(fileURLToPath(url))) {
    throw new StatsThreadPoolError(
      `compiled stats thread entry ${fileURLToPath(url)} not found: run \`npm run build\` first`,
    );
  }
  return url;
}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

/** One unit of work: some blocks of one task. */
interface Chunk {
  readonly task: ReplicateTask;
  readonly out: Float64Array;
  readonly fromBlock: number;
  readonly toBlock: number;
}

/** Copies a task's arrays into shared memory so threads read them without copies. */
function shareTask(task: ReplicateTask): ReplicateTask {
  const share = (a: Float64Array): Float64Array => {
    const shared = new Float64Array(new SharedArrayBuffer(a.byteLength));
    shared.set(a);
    return shared;
  };
  switch (task.kind) {
    case 'bayesian_bootstrap':
      return {
        ...task,
        singles: share(task.singles),
        values: share(task.values),
        counts: share(task.counts),
      };
    case 'resample_ratio':
      return { ...task, pairs: share(task.pairs), counts: task.counts ? share(task.counts) : null };
    case 'order_statistics':
      return { ...task, sorted: share(task.sorted), probabilities: share(task.probabilities) };
    case 'beta':
      return task;
  }
}

/**
 * worker_threads computing replicate blocks. Every block draws from its own (seed, block) stream,
 * so results are bit-identical to the inline computation for any number of threads.
 * Use {@link StatsThreadPool.runner} with `computeStatisticsWith`; call {@link close} when done.
 */
export class StatsThreadPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private readonly inlineBelowCost: number;
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;

  private constructor(workers: Worker[], inlineBelowCost: number) {
    this.workers = workers;
    this.inlineBelowCost = inlineBelowCost;
    for (const worker of workers) {
      worker.on('message', (message: unknown) => this.onMessage(message));
      worker.on('error', (error) =>
        this.failAll(new StatsThreadPoolError(`stats thread failed: ${error.message}`)),
      );
      worker.on('exit', (code) => {
        if (code !== 0) {
          this.failAll(new StatsThreadPoolError(`stats thread exited with code ${code}`));
        }
      });
    }
  }

  /**
   * Starts `threads` worker threads and waits until each has loaded its modules and warmed up its
   * kernels (so the first task does not pay for that).
   * @throws StatsThreadPoolError when the compiled entry is missing or a thread cannot start.
   */
  static async create(options: StatsThreadPoolOptions): Promise<StatsThreadPool> {
    if (!Number.isInteger(options.threads) || options.threads < 1) {
      throw new StatsThreadPoolError(`threads must be a positive integer, got ${options.threads}`);
    }
    const entry = options.entry ?? resolveStatsThreadEntry();
    const workers = Array.from({ length: options.threads }, () => new Worker(entry));
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const onMessage = (message: unknown) => {
              if (!isThreadReady(message)) return;
              worker.off('message', onMessage);
              resolve();
            };
            worker.on('message', onMessage);
            worker.once('error', (error) =>
              reject(new StatsThreadPoolError(`stats thread failed to start: ${error.message}`)),
            );
            worker.once('exit', (code) =>
              reject(new StatsThreadPoolError(`stats thread exited with code ${code} at start`)),
            );
          }),
      ),
    );
    return new StatsThreadPool(workers, options.inlineBelowCost ?? DEFAULT_INLINE_BELOW_COST);
  }

  /** Number of threads. */
  get threads(): number {
    return this.workers.length;
  }

  /** A {@link ReplicateRunner} backed by this pool. */
  readonly runner: ReplicateRunner = (tasks) => this.run(tasks);

  /** Runs the tasks (expensive ones split over the threads) and resolves to their outputs. */
  async run(tasks: readonly ReplicateTask[]): Promise<Float64Array[]> {
    if (this.failure) throw this.failure;
    const outputs: Float64Array[] = [];
    const chunks: Chunk[] = [];
    for (const task of tasks) {
      if (replicateTaskCost(task) < this.inlineBelowCost) {
        outputs.push(runReplicateTask(task));
        continue;
      }
      const out = new Float64Array(
        new SharedArrayBuffer(task.replicates * replicateWidth(task) * 8),
      );
      outputs.push(out);
      chunks.push(...this.chunksOf(shareTask(task), out));
    }
    await this.drain(chunks);
    return outputs;
  }

  private chunksOf(task: ReplicateTask, out: Float64Array): Chunk[] {
    const blocks = replicateBlockCount(task);
    const blockCost = replicateTaskCost(task) / blocks;
    const size = Math.max(
      1,
      Math.min(
        Math.ceil(blocks / (this.workers.length * CHUNKS_PER_THREAD)),
        Math.floor(CHUNK_COST / blockCost),
      ),
    );
    const chunks: Chunk[] = [];
    for (let from = 0; from < blocks; from += size) {
      chunks.push({ task, out, fromBlock: from, toBlock: Math.min(blocks, from + size) });
    }
    return chunks;
  }

  /** Feeds the chunks to the threads, one at a time per thread, until all are done. */
  private async drain(chunks: readonly Chunk[]): Promise<void> {
    let next = 0;
    const feed = async (worker: Worker): Promise<void> => {
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        await this.send(worker, chunk);
      }
    };
    await Promise.all(this.workers.map(feed));
  }

  private send(worker: Worker, chunk: Chunk): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: BlockRequest = { id, ...chunk };
      worker.postMessage(request);
    });
  }

  private onMessage(message: unknown): void {
    if (!isBlockResponse(message)) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.error !== undefined) pending.reject(new StatsThreadPoolError(message.error));
    else pending.resolve();
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

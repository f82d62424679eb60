import { Worker } from 'node:worker_threads';

/** A request to a pool thread. */
export interface ThreadRequest<P> {
  readonly id: number;
  readonly payload: P;
}

/** A thread's answer. */
export type ThreadResponse<R> =
  | { readonly id: number; readonly ok: true; readonly value: R }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

/** An error as it crosses the thread boundary. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly retryable?: boolean;
}

/** An error re-created from a thread's answer; keeps the original name. */
export class ThreadJobError extends Error {
  override readonly name: string;
  readonly retryable: boolean | undefined;

  constructor(error: SerializedError) {
    super(error.message);
    this.name = error.name;
    this.retryable = error.retryable;
    if (error.stack !== undefined) this.stack = error.stack;
  }
}

/** The thread was stopped before it answered (timeout or shutdown). */
export class ThreadAbortedError extends Error {
  override readonly name = 'ThreadAbortedError';
  readonly reason: 'timeout' | 'shutdown';

  constructor(reason: 'timeout' | 'shutdown', detail: string) {
    super(detail);
    this.reason = reason;
  }
}

/** Options of {@link createJobThreadPool}. */
export interface JobThreadPoolOptions {
  /** Compiled JS entry (see `compiledEntry`). */
  readonly entry: URL;
  /** Threads (= jobs computed in parallel). */
  readonly size: number;
  /** Heap cap per thread in MB (operations.md §1.6: size pod memory as size × cap + main). */
  readonly maxOldGenerationSizeMb?: number;
  /** Passed to each thread as `workerData`. */
  readonly workerData?: unknown;
}

/** A fixed set of threads, each computing one job at a time. */
export interface JobThreadPool<P, R> {
  /**
   * Runs `payload` on a free thread. With `timeoutMs`, a thread still busy after that long is
   * terminated (and replaced) and the call rejects with {@link ThreadAbortedError}.
   */
  run(payload: P, options?: { timeoutMs?: number }): Promise<R>;
  /** Terminates every busy thread; their calls reject with a `shutdown` {@link ThreadAbortedError}. */
  abortAll(): Promise<void>;
  /** Terminates all threads. */
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  busy: {
    id: number;
    resolve: (v: unknown) => void;
    reject: (e: Error) => void;
    timer?: NodeJS.Timeout;
  } | null;
}

/**
 * A pool of worker threads for CPU-heavy jobs. CPU work never runs on the main event loop, so
 * BullMQ's lock renewal never starves (operations.md §4), and a runaway job can be stopped —
 * which BullMQ's own sandbox cannot do to a thread busy in synchronous code.
 */
export function createJobThreadPool<P, R>(options: JobThreadPoolOptions): JobThreadPool<P, R> {
  let nextId = 1;
  let closed = false;
  const queue: {
    payload: P;
    timeoutMs?: number;
    resolve: (v: R) => void;
    reject: (e: Error) => void;
  }[] = [];
  const slots: Slot[] = [];

  const spawn = (): Slot => {
    const worker = new Worker(options.entry, {
      workerData: options.workerData,
      resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb ?? 2048 },
    });
    const slot: Slot = { worker, busy: null };
    worker.on('message', (message: ThreadResponse<R>) => settle(slot, message));
    worker.on('error', (error) => fail(slot, error));
    worker.on('exit', (code) => {
      if (slot.busy) fail(slot, new Error(`worker thread exited with code ${code}`));
      replace(slot);
    });
    worker.unref();
    return slot;
  };

  const replace = (slot: Slot) => {
    const index = slots.indexOf(slot);
    if (index < 0 || closed) return;
    slots[index] = spawn();
    pump();
  };

  const settle = (slot: Slot, message: ThreadResponse<R>) => {
    const busy = slot.busy;
    if (!busy || busy.id !== message.id) return;
    clearTimeout(busy.timer);
    slot.busy = null;
    if (message.ok) busy.resolve(message.value);
    else busy.reject(new ThreadJobError(message.error));
    pump();
  };

  const fail = (slot: Slot, error: Error) => {
    const busy = slot.busy;
    if (!busy) return;
    clearTimeout(busy.timer);
    slot.busy = null;
    busy.reject(error);
  };

  const stop = async (slot: Slot, error: ThreadAbortedError) => {
    fail(slot, error);
    await slot.worker.terminate();
  };

  const pump = () => {
    for (const slot of slots) {
      if (slot.busy !== null) continue;
      const next = queue.shift();
      if (next === undefined) return;
      const id = nextId++;
      slot.busy = { id, resolve: next.resolve as (v: unknown) => void, reject: next.reject };
      if (next.timeoutMs !== undefined) {
        const ms = next.timeoutMs;
        slot.busy.timer = setTimeout(() => {
          void stop(slot, new ThreadAbortedError('timeout', `job exceeded its ${ms} ms timeout`));
        }, ms);
      }
      slot.worker.postMessage({ id, payload: next.payload } satisfies ThreadRequest<P>);
    }
  };

  for (let i = 0; i < options.size; i++) slots.push(spawn());

  return {
    run(payload, runOptions) {
      if (closed) return Promise.reject(new Error('thread pool is closed'));
      return new Promise<R>((resolve, reject) => {
        queue.push({
          payload,
          resolve,
          reject,
          ...(runOptions?.timeoutMs === undefined ? {} : { timeoutMs: runOptions.timeoutMs }),
        });
        pump();
      });
    },
    async abortAll() {
      for (const pending of queue.splice(0)) {
        pending.reject(new ThreadAbortedError('shutdown', 'worker is shutting down'));
      }
      await Promise.all(
        slots
          .filter((slot) => slot.busy !== null)
          .map((slot) => stop(slot, new ThreadAbortedError('shutdown', 'worker is shutting down'))),
      );
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}

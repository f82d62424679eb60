import type { ReplicateTask } from '../stats/index.js';

/** Main thread → stats thread: compute blocks [fromBlock, toBlock) of `task` into `out`. */
export interface BlockRequest {
  readonly id: number;
  readonly task: ReplicateTask;
  /** Output of the whole task (SharedArrayBuffer-backed), replicates × width values. */
  readonly out: Float64Array;
  readonly fromBlock: number;
  readonly toBlock: number;
}

/** Stats thread → main thread: request `id` is done, or failed with `error`. */
export interface BlockResponse {
  readonly id: number;
  readonly error?: string;
}

/** Stats thread → main thread, once, before any response: modules loaded, kernels warmed up. */
export interface ThreadReady {
  readonly ready: true;
}

/** Shape check of the ready message. */
export function isThreadReady(value: unknown): value is ThreadReady {
  return isRecord(value) && value.ready === true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Shape check of a message received by a stats thread. */
export function isBlockRequest(value: unknown): value is BlockRequest {
  return (
    isRecord(value) &&
    typeof value.id === 'number' &&
    isRecord(value.task) &&
    typeof value.task.kind === 'string' &&
    value.out instanceof Float64Array &&
    typeof value.fromBlock === 'number' &&
    typeof value.toBlock === 'number'
  );
}

/** Shape check of a message received by the pool. */
export function isBlockResponse(value: unknown): value is BlockResponse {
  return (
    isRecord(value) &&
    typeof value.id === 'number' &&
    (value.error === undefined || typeof value.error === 'string')
  );
}

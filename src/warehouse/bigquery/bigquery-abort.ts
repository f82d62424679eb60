import { coerceError } from '../../analysis/coerce-error.js';
import { WarehouseAbortedError } from '../warehouse-errors.js';

/** The error for an operation `purpose` stopped by `signal` (its reason as the cause). */
export function abortedError(signal: AbortSignal, purpose: string): WarehouseAbortedError {
  const reason: unknown = signal.reason;
  return new WarehouseAbortedError(`BigQuery ${purpose} was aborted`, { cause: reason });
}

/** @throws WarehouseAbortedError when `signal` has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, purpose: string): void {
  if (signal?.aborted === true) throw abortedError(signal, purpose);
}

/**
 * `task`, or a {@link WarehouseAbortedError} as soon as `signal` aborts (the task is left to
 * settle on its own; its outcome is ignored).
 */
export function untilAborted<T>(
  task: Promise<T>,
  signal: AbortSignal | undefined,
  purpose: string,
): Promise<T> {
  if (signal === undefined) return task;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(signal, purpose));
    if (signal.aborted) {
      task.catch(() => undefined);
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    task.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(coerceError(error));
      },
    );
  });
}

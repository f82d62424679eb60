import { isRedisInfrastructureError } from '../queue/is-redis-infrastructure-error.js';

/** Options of {@link createInfrastructureHealth}. */
export interface InfrastructureHealthOptions {
  /** The clock, in ms. */
  readonly now: () => number;
  /**
   * After this long without another infrastructure error the worker is ready again, even if no
   * job completed meanwhile (an idle worker has no job to prove it). @defaultValue 30 000
   */
  readonly quietMs?: number;
  /**
   * A job completing within this long of the last Redis failure proves nothing (its reply may
   * have been on its way on another connection) and leaves the worker not ready.
   * @defaultValue 2 000
   */
  readonly settleMs?: number;
  /** Told each change: the problem when the worker stops being ready, null when it is again. */
  readonly onChange?: (problem: string | null) => void;
}

/**
 * Whether a worker's jobs fail because of Redis (issue 13, case 7): readiness says so, so an
 * orchestrator sees a worker that cannot work, instead of a 200 while every job fails.
 */
export interface InfrastructureHealth {
  /** A job attempt failed, or a worker reported an error; only Redis failures count. */
  failed(error: Error): void;
  /** A job completed: the worker works again (unless a Redis failure was just now). */
  succeeded(): void;
  /** Why the worker is not ready, or null when it is. */
  problem(): string | null;
}

/**
 * The default {@link InfrastructureHealth}: not ready from a Redis failure until a job completes
 * (`settleMs` or more after the last failure) or `quietMs` pass without another one.
 */
export function createInfrastructureHealth(
  options: InfrastructureHealthOptions,
): InfrastructureHealth {
  const quietMs = options.quietMs ?? 30_000;
  const settleMs = options.settleMs ?? 2_000;
  let problem: string | null = null;
  let lastErrorAt = 0;
  const clear = () => {
    if (problem === null) return;
    problem = null;
    options.onChange?.(null);
  };
  return {
    failed(error) {
      if (!isRedisInfrastructureError(error)) return;
      lastErrorAt = options.now();
      if (problem !== null) return;
      problem = `jobs fail because of Redis: ${error.message}`;
      options.onChange?.(problem);
    },
    succeeded() {
      if (options.now() - lastErrorAt >= settleMs) clear();
    },
    problem() {
      if (problem !== null && options.now() - lastErrorAt >= quietMs) clear();
      return problem;
    },
  };
}

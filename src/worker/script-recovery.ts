import type { Job, Processor } from 'bullmq';
import type { Logger } from 'pino';

import { coerceError } from '../analysis/coerce-error.js';
import { isNoScriptError } from '../queue/reload-scripts.js';

/** What {@link createScriptRecovery} needs. */
export interface ScriptRecoveryDeps {
  /** Loads the Lua scripts into Redis again; resolves to how many (`reloadScripts`). */
  readonly reload: () => Promise<number>;
  readonly logger: Logger;
}

/** A worker's way back from `NOSCRIPT` (issue 13, case 7). */
export interface ScriptRecovery {
  /**
   * When `error` is `NOSCRIPT`, loads the scripts again (concurrent calls share one reload) and
   * resolves to true; resolves to false for any other error. A failed reload is logged and
   * resolves to false.
   */
  recover(error: unknown): Promise<boolean>;
  /**
   * `processor`, run once more after a `NOSCRIPT` once the scripts are back, so the job does not
   * spend an attempt on Redis having lost them. Processors are idempotent (DESIGN.md: job
   * identity, atomic replaces), so the second run is safe.
   */
  guard<T>(processor: (job: Job, token?: string) => Promise<T>): Processor;
}

/**
 * Recovery from a Redis that forgot contrail's Lua scripts (`SCRIPT FLUSH`, a failover): the
 * scripts are loaded again and the job goes on, instead of failing every later job until the
 * process restarts.
 */
export function createScriptRecovery(deps: ScriptRecoveryDeps): ScriptRecovery {
  let reloading: Promise<boolean> | null = null;
  const reload = async (cause: Error): Promise<boolean> => {
    try {
      const scripts = await deps.reload();
      deps.logger.warn(
        { reason: cause.message, scripts },
        'Redis lost its Lua scripts (NOSCRIPT: SCRIPT FLUSH or a new server); loaded them again',
      );
      return true;
    } catch (e) {
      deps.logger.error(
        { reason: cause.message, err: coerceError(e).message },
        'Redis lost its Lua scripts (NOSCRIPT) and loading them again failed',
      );
      return false;
    }
  };
  const recover = async (error: unknown): Promise<boolean> => {
    if (!isNoScriptError(error)) return false;
    reloading ??= reload(coerceError(error)).finally(() => (reloading = null));
    return reloading;
  };
  return {
    recover,
    guard: (processor) => async (job, token) => {
      try {
        return await processor(job, token);
      } catch (e) {
        if (!(await recover(e))) throw e;
        return await processor(job, token);
      }
    },
  };
}

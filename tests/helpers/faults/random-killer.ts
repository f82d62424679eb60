import { setTimeout as sleep } from 'node:timers/promises';

import type { FaultCluster, WorkerOptions } from './fault-cluster.js';

/** A running {@link startRandomKiller} loop. */
export interface RandomKiller {
  /** Workers SIGKILLed so far. */
  kills(): number;
  /** Stops killing (a pending pause is cut short) and resolves with the number of kills. */
  stop(): Promise<number>;
}

/** Options of {@link startRandomKiller}. */
export interface RandomKillerOptions {
  readonly cluster: FaultCluster;
  /** Pause before each kill, drawn uniformly from `[min, max]` ms. */
  readonly everyMs: readonly [number, number];
  /** Uniform draws in [0, 1) (a seeded generator, so a failing schedule can be replayed). */
  readonly random: () => number;
  /** Options of the replacement workers. */
  readonly worker?: WorkerOptions;
}

/**
 * Every `everyMs` (random), SIGKILLs one live worker process of the cluster, chosen at random,
 * waits for it to die and starts a replacement with the same options, so the pool keeps its size.
 */
export function startRandomKiller(options: RandomKillerOptions): RandomKiller {
  const { cluster, everyMs, random } = options;
  const abort = new AbortController();
  let kills = 0;
  const loop = (async () => {
    while (!abort.signal.aborted) {
      const pause = everyMs[0] + random() * (everyMs[1] - everyMs[0]);
      try {
        await sleep(pause, undefined, { signal: abort.signal });
      } catch {
        return;
      }
      const live = cluster.liveWorkers();
      const victim = live[Math.floor(random() * live.length)];
      if (victim === undefined) continue;
      await victim.kill('SIGKILL');
      kills += 1;
      cluster.startWorker(options.worker);
    }
  })();
  return {
    kills: () => kills,
    async stop() {
      abort.abort();
      await loop;
      return kills;
    },
  };
}

import { PENDING_STATES, type JobRef, type JobState } from '../queue/job-states.js';
import type { WatchedUnit } from './enqueue-run.js';

/** Watches a run's jobs for ones Redis lost (issue 13, case 8). */
export interface LostJobsWatch {
  /**
   * Takes one poll's job states (`unknown`: no such job). Returns the lost jobs once they have
   * stayed lost for the grace time, else an empty list.
   */
  observe(states: ReadonlyMap<string, JobState>, now: number): JobRef[];
}

/**
 * A job is lost when it was seen unfinished (waiting, running, waiting for children, delayed)
 * and Redis no longer has it; when Redis has no job of the run at all and none was seen before
 * (`FLUSHALL` before the first poll), every job is. Nothing of contrail removes an unfinished job, so this is a flushed, evicted or
 * non-persistent Redis, or a hand-made deletion; a finished job that disappears (retention) is
 * not lost. The grace time absorbs a job removed and added again by a concurrent enqueue.
 * @param graceMs how long jobs must stay lost before they count
 */
export function createLostJobsWatch(refs: readonly JobRef[], graceMs: number): LostJobsWatch {
  const unfinished = new Set<string>();
  let lostSince: number | null = null;
  return {
    observe(states, now) {
      const lost: JobRef[] = [];
      let anyKnown = false;
      for (const ref of refs) {
        const state = states.get(ref.id) ?? 'unknown';
        if (state !== 'unknown') anyKnown = true;
        if (PENDING_STATES.has(state)) unfinished.add(ref.id);
        else if (state !== 'unknown') unfinished.delete(ref.id);
        else if (unfinished.has(ref.id)) lost.push(ref);
      }
      // Nothing of the run left and nothing seen before (flushed before the first poll): all.
      const gone = lost.length > 0 || anyKnown ? lost : [...refs];
      if (gone.length === 0) {
        lostSince = null;
        return [];
      }
      lostSince ??= now;
      return now - lostSince >= graceMs ? gone : [];
    },
  };
}

/**
 * One line per experiment with lost jobs: how many, of which queues (e.g.
 * `tab-groups-srm: 16 unfinished jobs are gone from Redis (1 export, 2 finalize, 13 metric)`).
 */
export function describeLostJobs(units: readonly WatchedUnit[], lost: readonly JobRef[]): string[] {
  const lostIds = new Set(lost.map((ref) => ref.id));
  const lines: string[] = [];
  for (const unit of units) {
    const refs = [unit.enrollments, ...unit.metrics, ...unit.finalize, unit.export];
    const kinds = new Map<string, number>();
    for (const ref of refs.filter((r) => lostIds.has(r.id))) {
      kinds.set(ref.queue, (kinds.get(ref.queue) ?? 0) + 1);
    }
    if (kinds.size === 0) continue;
    const n = [...kinds.values()].reduce((sum, k) => sum + k, 0);
    const parts = [...kinds]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([queue, k]) => `${k} ${queue}`);
    lines.push(
      `${unit.experiment}: ${n} unfinished ${n === 1 ? 'job is' : 'jobs are'} gone from Redis ` +
        `(${parts.join(', ')})`,
    );
  }
  return lines;
}

import type { JobState } from '../queue/job-states.js';
import type { ProgressSnapshot } from './run-progress.js';

/** How each unfinished state reads, in the order it is listed. */
const WORDS: readonly [readonly JobState[], string][] = [
  [['active'], 'running'],
  [['waiting', 'prioritized'], 'waiting for a worker'],
  [['delayed'], 'waiting to be retried'],
  [['waiting-children'], 'waiting for the jobs they depend on'],
  [['unknown'], 'to be added by the jobs before them'],
];

/**
 * What `run --wait` says when it is interrupted (Ctrl-C, issue 13, case 10): how many jobs of
 * the run stay queued and in which states, that workers still process them, and how to follow
 * them, e.g. `interrupted: 45 of 45 jobs of 2026-03-01 stay queued (1 waiting for a worker, 44
 * to be added by the jobs before them); workers will still process them ...`.
 */
export function formatStillQueued(date: string, snapshot: ProgressSnapshot): string {
  const count = (states: readonly JobState[]) =>
    states.reduce((n, state) => n + (snapshot.unfinished[state] ?? 0), 0);
  const parts = WORDS.map(([states, words]) => [count(states), words] as const)
    .filter(([n]) => n > 0)
    .map(([n, words]) => `${n} ${words}`);
  const queued = snapshot.total - snapshot.completed - snapshot.failed;
  if (queued === 0) return `interrupted: every job of ${date} had finished`;
  return (
    `interrupted: ${queued} of ${snapshot.total} jobs of ${date} stay queued (${parts.join(', ')}); ` +
    'workers will still process them (start one with `contrail worker` if none runs); ' +
    `follow them with \`contrail status --date ${date}\``
  );
}

import type { QueueName } from '../queue/queue-names.js';

/** Follows whether workers consume the queues a run waits on (issue 13, case 10). */
export interface WorkerPresence {
  /**
   * Takes one look: the workers connected to each queue, and the queues where jobs of the run
   * wait to be taken. Returns the lines to print: a hint once a queue with waiting jobs has had
   * no worker for the hint delay, and a line when a worker turns up on a queue that had one.
   */
  observe(
    workers: ReadonlyMap<QueueName, number>,
    waiting: ReadonlySet<QueueName>,
    now: number,
  ): string[];
}

/** Options of {@link createWorkerPresence}. */
export interface WorkerPresenceOptions {
  /** A queue with waiting jobs and no worker for this long gets the hint. */
  readonly hintAfterMs: number;
  /** Where the workers must connect, e.g. `Redis redis://host:6379, queue prefix contrail`. */
  readonly where: string;
}

/** The hint lines of `contrail run --wait` when nobody works on its queues. */
export function createWorkerPresence(options: WorkerPresenceOptions): WorkerPresence {
  const missingSince = new Map<QueueName, number>();
  const hinted = new Set<QueueName>();
  return {
    observe(workers, waiting, now) {
      const lines: string[] = [];
      const due: QueueName[] = [];
      for (const [queue, count] of workers) {
        if (count > 0) {
          missingSince.delete(queue);
          if (hinted.delete(queue)) lines.push(`a worker is consuming the ${queue} queue now`);
          continue;
        }
        if (!waiting.has(queue)) {
          missingSince.delete(queue);
          continue;
        }
        const since = missingSince.get(queue) ?? now;
        missingSince.set(queue, since);
        if (!hinted.has(queue) && now - since >= options.hintAfterMs) due.push(queue);
      }
      if (due.length > 0) {
        for (const queue of due) hinted.add(queue);
        lines.push(noWorkerHint(due, options));
      }
      return lines;
    },
  };
}

function noWorkerHint(queues: readonly QueueName[], options: WorkerPresenceOptions): string {
  const names = queues.length === 1 ? `the ${queues[0]} queue` : `the ${queues.join(', ')} queues`;
  const seconds = Math.round(options.hintAfterMs / 1000);
  return (
    `no worker is consuming ${names} (none seen for ${seconds} s): jobs stay queued until ` +
    `a worker starts. Start one with \`contrail worker\` (${options.where}); ` +
    'Ctrl-C stops waiting and leaves the jobs queued'
  );
}

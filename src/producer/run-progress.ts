import { coerceError } from '../analysis/coerce-error.js';
import type { ContrailQueues } from '../queue/contrail-queues.js';
import { jobStates, type JobRef, type JobState } from '../queue/job-states.js';
import type { QueueName } from '../queue/queue-names.js';
import { workerCounts } from '../queue/worker-counts.js';
import type { WatchedUnit } from './enqueue-run.js';
import { createLostJobsWatch } from './lost-jobs.js';
import { createWorkerPresence, type WorkerPresence } from './worker-presence.js';

/** A snapshot of a run's jobs. */
export interface ProgressSnapshot {
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  readonly running: number;
  /** True when every experiment's export has finished (or its enrollments failed). */
  readonly finished: boolean;
  /** Jobs that failed for good, with BullMQ's state. */
  readonly failedJobs: readonly JobRef[];
  /** The jobs counted in `total` that have not finished, by state (`unknown`: not added yet). */
  readonly unfinished: Readonly<Partial<Record<JobState, number>>>;
  /** What Redis said of every watched job (completed jobs remembered from earlier polls). */
  readonly states: ReadonlyMap<string, JobState>;
}

/** Every job of the watched units (enrollments, metrics, finalizers, export). */
export function watchedJobs(units: readonly WatchedUnit[]): JobRef[] {
  return units.flatMap((u) => [u.enrollments, ...u.metrics, ...u.finalize, u.export]);
}

/**
 * Reads the state of every watched job once. A unit whose enrollments job failed will never
 * get its flow, so its other jobs count as failed too.
 *
 * `settled` carries completed jobs from one poll to the next: they are not asked again (a poll
 * of a large run otherwise costs milliseconds of client and Redis CPU taken from the workers).
 * Export jobs are always asked, since they decide when the run is finished.
 */
export async function readProgress(
  queues: ContrailQueues,
  units: readonly WatchedUnit[],
  settled: Set<string> = new Set(),
): Promise<ProgressSnapshot> {
  const exports = new Set(units.map((u) => u.export.id));
  const asked = await jobStates(
    queues,
    watchedJobs(units).filter((ref) => !settled.has(ref.id)),
  );
  const states = new Map<string, JobState>(asked);
  for (const id of settled) states.set(id, 'completed');
  for (const [id, state] of asked) {
    if (state === 'completed' && !exports.has(id)) settled.add(id);
  }
  let total = 0;
  let completed = 0;
  let failed = 0;
  let running = 0;
  let finished = true;
  const failedJobs: JobRef[] = [];
  const unfinished: Partial<Record<JobState, number>> = {};
  for (const unit of units) {
    const enrollmentsFailed = states.get(unit.enrollments.id) === 'failed';
    const exportState = states.get(unit.export.id) ?? 'unknown';
    if (!enrollmentsFailed && !isFinal(exportState)) finished = false;
    for (const ref of [unit.enrollments, ...unit.metrics, ...unit.finalize, unit.export]) {
      const state: JobState =
        enrollmentsFailed && ref !== unit.enrollments
          ? 'failed'
          : (states.get(ref.id) ?? 'unknown');
      // A metric job a finished window never added (its metrics-table columns failed) did not
      // run: the finalizer reports it as a failed metric, it is no job of the run.
      if (state === 'unknown' && isFinal(exportState) && ref.queue === 'metric') continue;
      total += 1;
      if (state === 'completed') completed += 1;
      else if (state === 'failed') {
        failed += 1;
        if (!enrollmentsFailed || ref === unit.enrollments) failedJobs.push(ref);
      } else {
        if (state === 'active') running += 1;
        unfinished[state] = (unfinished[state] ?? 0) + 1;
      }
    }
  }
  return { total, completed, failed, running, finished, failedJobs, unfinished, states };
}

function isFinal(state: JobState): boolean {
  return state === 'completed' || state === 'failed';
}

/** `1m05s`-style duration. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

/**
 * One progress line: a bar on a TTY (`[#####-----] 120/200 jobs, 2 failed, 4 running, 0m12s elapsed, ETA 0m08s`),
 * the same without the bar otherwise.
 */
export function formatProgress(
  snapshot: ProgressSnapshot,
  elapsedMs: number,
  tty: boolean,
): string {
  const done = snapshot.completed + snapshot.failed;
  const fraction = snapshot.total === 0 ? 1 : done / snapshot.total;
  const eta = done === 0 ? '?' : formatDuration((elapsedMs / done) * (snapshot.total - done));
  const text =
    `${done}/${snapshot.total} jobs, ${snapshot.failed} failed, ${snapshot.running} running, ` +
    `${formatDuration(elapsedMs)} elapsed, ETA ${eta}`;
  if (!tty) return text;
  const width = 30;
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}`;
}

/** Options of {@link waitForRun}. */
export interface WaitOptions {
  readonly out: NodeJS.WritableStream;
  readonly tty: boolean;
  /** Poll interval in ms. @defaultValue 250 */
  readonly intervalMs?: number;
  /** Non-TTY: print a line at most this often (and on every change of the failed count). @defaultValue 5000 */
  readonly lineEveryMs?: number;
  /** The clock, injected. */
  readonly now: () => number;
  /** Gives up after this many ms (then reports what is unfinished). */
  readonly timeoutMs?: number;
  /**
   * How long Redis may stay unreachable (restart, dropped connections) before waiting fails;
   * meanwhile polls keep retrying while the connection reconnects. @defaultValue 60 000
   */
  readonly outageLimitMs?: number;
  /**
   * Jobs seen unfinished and then gone from Redis for this long end the wait as lost (a
   * flushed or evicted Redis). @defaultValue 5 000
   */
  readonly lostAfterMs?: number;
  /** A queue with waiting jobs and no worker for this long gets a hint. @defaultValue 10 000 */
  readonly noWorkerHintAfterMs?: number;
  /** How often the workers of the queues are counted (`CLIENT LIST`). @defaultValue 2 000 */
  readonly workerCheckEveryMs?: number;
  /** Where workers must connect, for the hint (Redis URL, queue prefix). */
  readonly workersWhere?: string;
  /** Aborting it (Ctrl-C) stops the wait; the result says `interrupted`. */
  readonly signal?: AbortSignal;
}

/** How a wait ended, with the last snapshot. */
export interface WaitResult extends ProgressSnapshot {
  /** The timeout passed first. */
  readonly timedOut: boolean;
  /** The wait was aborted (Ctrl-C); the jobs stay queued. */
  readonly interrupted: boolean;
  /** Jobs Redis lost before they finished (empty unless that ended the wait). */
  readonly lost: readonly JobRef[];
}

/**
 * Polls until every watched unit finished; renders progress; returns the last snapshot. A poll
 * that fails (Redis restarting, connection dropped) is retried until `outageLimitMs`. The wait
 * also ends when jobs of the run vanish from Redis (`lost`), at the timeout, and when `signal`
 * aborts; while it lasts, it says when no worker consumes a queue the run waits on.
 * @throws the last poll's error once Redis has been unreachable for longer than that.
 */
export async function waitForRun(
  queues: ContrailQueues,
  units: readonly WatchedUnit[],
  options: WaitOptions,
): Promise<WaitResult> {
  const started = options.now();
  const say = sayLine(options);
  const render = progressRenderer(options, started);
  const poll = pollSurvivingOutages(queues, units, options, say);
  const lostWatch = createLostJobsWatch(watchedJobs(units), options.lostAfterMs ?? 5_000);
  const presence = followWorkers(queues, units, options, say);
  let last: ProgressSnapshot = EMPTY_SNAPSHOT;
  const end = (how: Partial<Omit<WaitResult, keyof ProgressSnapshot>> = {}): WaitResult => {
    if (options.tty) options.out.write('\n');
    return { ...last, timedOut: false, interrupted: false, lost: [], ...how };
  };
  for (;;) {
    if (options.signal?.aborted === true) return end({ interrupted: true });
    const snapshot = await poll();
    const timedOut = options.timeoutMs !== undefined && options.now() - started > options.timeoutMs;
    if (snapshot !== null) {
      last = snapshot;
      render(snapshot);
      if (snapshot.finished) return end();
      const lost = lostWatch.observe(snapshot.states, options.now());
      if (lost.length > 0) return end({ lost });
      await presence(snapshot);
    }
    if (timedOut) return end({ timedOut });
    await pause(options.intervalMs ?? 250, options.signal);
  }
}

/**
 * Draws each snapshot: the bar redrawn in place on a TTY; otherwise a line at most every
 * `lineEveryMs`, on every change of the failed count, and at the end.
 */
function progressRenderer(
  options: WaitOptions,
  started: number,
): (snapshot: ProgressSnapshot) => void {
  let lastLine = -Infinity;
  let lastFailed = 0;
  return (snapshot) => {
    const elapsed = options.now() - started;
    const line = formatProgress(snapshot, elapsed, options.tty);
    if (options.tty) options.out.write(`\r${line}\u001b[K`);
    else if (
      snapshot.finished ||
      snapshot.failed !== lastFailed ||
      elapsed - lastLine >= (options.lineEveryMs ?? 5_000)
    ) {
      options.out.write(`${line}\n`);
      lastLine = elapsed;
    }
    lastFailed = snapshot.failed;
  };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted === true) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Writes a message line without garbling the progress bar (a TTY's line is redrawn after it). */
function sayLine(options: WaitOptions): (line: string) => void {
  return (line) => options.out.write(options.tty ? `\r${line}\u001b[K\n` : `${line}\n`);
}

/**
 * Counts the workers of the queues where jobs of the run wait to be taken (every
 * `workerCheckEveryMs`) and says when none has been seen on one for a while.
 */
function followWorkers(
  queues: ContrailQueues,
  units: readonly WatchedUnit[],
  options: WaitOptions,
  say: (line: string) => void,
): (snapshot: ProgressSnapshot) => Promise<void> {
  const queueOf = new Map(watchedJobs(units).map((ref) => [ref.id, ref.queue]));
  const presence: WorkerPresence = createWorkerPresence({
    hintAfterMs: options.noWorkerHintAfterMs ?? 10_000,
    where: options.workersWhere ?? 'the same REDIS_URL and CONTRAIL_QUEUE_PREFIX',
  });
  let lastCheck = -Infinity;
  return async (snapshot) => {
    const now = options.now();
    if (now - lastCheck < (options.workerCheckEveryMs ?? 2_000)) return;
    lastCheck = now;
    const waiting = new Set<QueueName>();
    for (const [id, state] of snapshot.states) {
      const queue = queueOf.get(id);
      if (queue !== undefined && (state === 'waiting' || state === 'prioritized')) {
        waiting.add(queue);
      }
    }
    const counts = await workerCounts(queues, [...new Set(queueOf.values())]);
    if (counts === null) return;
    for (const line of presence.observe(counts, waiting, now)) say(line);
  };
}

const EMPTY_SNAPSHOT: ProgressSnapshot = {
  total: 0,
  completed: 0,
  failed: 0,
  running: 0,
  finished: false,
  failedJobs: [],
  unfinished: {},
  states: new Map(),
};

/**
 * A progress reader that returns null while Redis is unreachable (saying so once per outage)
 * and throws only when an outage outlasts `outageLimitMs`.
 */
function pollSurvivingOutages(
  queues: ContrailQueues,
  units: readonly WatchedUnit[],
  options: WaitOptions,
  say: (line: string) => void,
): () => Promise<ProgressSnapshot | null> {
  let outageSince: number | null = null;
  const settled = new Set<string>();
  return async () => {
    try {
      const snapshot = await readProgress(queues, units, settled);
      if (outageSince !== null) say('Redis is back; still waiting');
      outageSince = null;
      return snapshot;
    } catch (e) {
      const error = coerceError(e);
      const now = options.now();
      if (outageSince === null) {
        outageSince = now;
        say(`cannot read progress (${error.message}); retrying`);
      }
      if (now - outageSince > (options.outageLimitMs ?? 60_000)) throw error;
      return null;
    }
  };
}

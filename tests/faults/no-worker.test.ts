import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { Baseline } from '../helpers/faults/baseline.js';
import type { FaultCluster } from '../helpers/faults/fault-cluster.js';
import { RUN_DATE } from '../helpers/faults/fault-workload.js';
import { DRAINED, scenarioOutcome } from '../helpers/faults/scenario-outcome.js';
import { suiteContext } from '../helpers/faults/suite-context.js';
import { NO_DIFFERENCE } from '../helpers/faults/table-diff.js';
import { waitFor } from '../helpers/faults/wait-for.js';

/**
 * Issue 13, case 10: `run --wait` with no worker. It says after a while that nobody consumes
 * the queue and how to start a worker; Ctrl-C says what stays queued and exits 130; `status`
 * shows the run queued; a worker started afterwards completes it, losing nothing.
 */

const suite = suiteContext();
let baseline: Baseline;
let cluster: FaultCluster | undefined;

beforeAll(async () => {
  baseline = await suite.baseline('core');
});

afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

describe('run --wait with no worker', () => {
  it('hints at `contrail worker`; Ctrl-C leaves the run queued (exit 130); a later worker completes it', async () => {
    const startedAt = Date.now();
    cluster = await suite.cluster('no-worker', 'core');
    const run = cluster.startRun();
    const hint = await waitFor(
      'the no-worker hint',
      () =>
        /^no worker is consuming the enrollments queue \(none seen for 10 s\): .*$/m.exec(
          run.output(),
        )?.[0],
      { timeoutMs: 90_000 },
    );
    expect(hint).toContain(
      'Start one with `contrail worker` ' +
        `(REDIS_URL=${cluster.redisUrl}, CONTRAIL_QUEUE_PREFIX=faults)`,
    );

    const exit = await run.kill('SIGINT');
    expect(exit).toEqual({ code: 130, signal: null });
    expect(run.stdout()).toMatch(
      new RegExp(
        `^interrupted: (\\d+) of \\1 jobs of ${RUN_DATE} stay queued \\(1 waiting for a worker, ` +
          '\\d+ to be added by the jobs before them\\); workers will still process them ' +
          '\\(start one with `contrail worker` if none runs\\); ' +
          `follow them with \`contrail status --date ${RUN_DATE}\`$`,
        'm',
      ),
    );

    // What `run` enqueued is queued, not "not-enqueued", although only its enrollments job exists.
    const status = await cluster.command(['status', '--date', RUN_DATE]);
    expect(status.code, status.output).toBe(0);
    expect(status.stdout).toContain(`${RUN_DATE}: 1 experiments, windows: 2 queued\n`);
    expect(status.stdout).toContain('tab-groups-srm: enrollments queued, export queued\n');
    expect(status.stdout).not.toContain('not-enqueued');

    // The jobs stayed queued: a worker started now works them off.
    cluster.startWorker();
    await waitFor(
      'the run to be done',
      async () => (await cluster?.queue('export').getJobCounts('completed'))?.['completed'] === 1,
      { timeoutMs: 240_000, intervalMs: 250 },
    );
    const outcome = await scenarioOutcome(cluster, baseline.tables, {
      scenario: 'run --wait with no worker, Ctrl-C, then a worker',
      startedAt,
      faultsInjected: 1,
    });
    expect(outcome.diff).toEqual(NO_DIFFERENCE);
    expect(outcome.unfinished).toEqual(DRAINED);
    expect(outcome.leaks).toEqual([]);
  });
});

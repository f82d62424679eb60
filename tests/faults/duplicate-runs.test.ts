import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { QUEUE_NAMES } from '../../src/queue/queue-names.js';
import type { Baseline } from '../helpers/faults/baseline.js';
import type { FaultCluster } from '../helpers/faults/fault-cluster.js';
import { DRAINED, scenarioOutcome } from '../helpers/faults/scenario-outcome.js';
import { runSummary } from '../helpers/faults/run-checks.js';
import { suiteContext } from '../helpers/faults/suite-context.js';
import { countRows, diffTables, NO_DIFFERENCE } from '../helpers/faults/table-diff.js';

/**
 * Issue #7, fault 5: the same `contrail run` twice at once, twice more in sequence, then a
 * `--force` rerun. No job runs twice, no row is doubled, the results never change.
 */

const suite = suiteContext();
let baseline: Baseline;
let cluster: FaultCluster;
let startedAt: number;

beforeAll(async () => {
  startedAt = Date.now();
  baseline = await suite.baseline('core');
  cluster = await suite.cluster('duplicate-runs', 'core');
  cluster.startWorker();
  cluster.startWorker();
});

afterAll(async () => {
  await cluster?.close();
});

/** Every job in every queue (any state): queue → id → times it started. */
async function jobStarts(): Promise<Map<string, number>> {
  const starts = new Map<string, number>();
  for (const name of QUEUE_NAMES) {
    for (const job of await cluster.queue(name).getJobs()) {
      starts.set(`${name}/${job.id}`, job.attemptsStarted);
    }
  }
  return starts;
}

/**
 * How often a job of a run that went through once is started: once, but twice for a finalize
 * job, a step job (it adds its metric jobs once the metrics tables are written, then runs again
 * when they are done).
 */
function startsOf(job: string): number {
  return job.startsWith('finalize/') ? 2 : 1;
}

/** Table name → `last_updated` label (changes only when a table is rewritten). */
async function lastUpdated(): Promise<Map<string, string | undefined>> {
  const { openWarehouse } = await import('../../src/runtime/open-warehouse.js');
  const opened = await openWarehouse({ kind: 'duckdb', dir: cluster.warehouseDir });
  try {
    const out = new Map<string, string | undefined>();
    for (const name of baseline.tables.keys()) {
      out.set(name, (await opened.warehouse.tableInfo(name))?.labels['last_updated']);
    }
    return out;
  } finally {
    await opened.close();
  }
}

describe('duplicate and repeated runs', () => {
  it('two identical runs at once: each job is added and runs once; tables equal the undisturbed run', async () => {
    const [a, b] = [cluster.startRun(['--timeout', '240']), cluster.startRun(['--timeout', '240'])];
    const [exitA, exitB] = await Promise.all([a.exited, b.exited]);
    expect(exitA.code, a.output()).toBe(0);
    expect(exitB.code, b.output()).toBe(0);
    const starts = await jobStarts();
    const metricJobs = [...starts.keys()].filter((k) => k.startsWith('metric/metric.'));
    const planned = Number(/(\d+) metric jobs planned/.exec(a.stdout())?.[1]);
    expect(planned).toBeGreaterThan(10);
    expect(metricJobs).toHaveLength(planned);
    for (const [job, n] of starts) expect(n, job).toBe(startsOf(job));
    const tables = await cluster.tables();
    expect(countRows(tables)).toBe(countRows(baseline.tables));
    expect(diffTables(tables, baseline.tables)).toEqual(NO_DIFFERENCE);
  });

  it('the same run twice more in sequence: nothing is enqueued, no table is rewritten', async () => {
    const before = await lastUpdated();
    const startsBefore = await jobStarts();
    for (let i = 0; i < 2; i++) {
      const again = await cluster.command(['run', '--date', '2026-03-01', '--wait']);
      expect(again.code, again.output).toBe(0);
      expect(again.stdout).toMatch(/0 windows enqueued, 2 already done/);
      expect(runSummary(again.stdout)).toEqual({ completed: 0, total: 0, failed: 0 });
    }
    expect(await jobStarts()).toEqual(startsBefore);
    expect(await lastUpdated()).toEqual(before);
  });

  it('a --force rerun recomputes every window once, bit-identical, with no duplicate row', async () => {
    const before = await lastUpdated();
    const forced = await cluster.command(['run', '--date', '2026-03-01', '--wait', '--force']);
    expect(forced.code, forced.output).toBe(0);
    expect(forced.stdout).toMatch(/2 windows enqueued/);
    for (const [job, n] of await jobStarts()) expect(n, job).toBe(startsOf(job));
    const after = await lastUpdated();
    for (const [name, stamp] of after) expect(stamp, name).not.toBe(before.get(name));
    const outcome = await scenarioOutcome(cluster, baseline.tables, {
      scenario: 'same run twice at once, twice in sequence, --force rerun',
      startedAt,
    });
    expect(outcome.diff).toEqual(NO_DIFFERENCE);
    expect(outcome.unfinished).toEqual(DRAINED);
    expect(outcome.leaks).toEqual([]);
  });
});

import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TABLE_LABELS } from '../../src/analysis/table-labels.js';
import { parseJobPayload } from '../../src/queue/job-payloads.js';
import { openWarehouse } from '../../src/runtime/open-warehouse.js';
import { createFinalizeProcessor } from '../../src/worker/finalize-processor.js';
import type { MetricJobResult } from '../../src/worker/metric-processor.js';
import type { Baseline } from '../helpers/faults/baseline.js';
import type { CliProcess } from '../helpers/faults/cli-process.js';
import type { FaultCluster } from '../helpers/faults/fault-cluster.js';
import { DRAINED, scenarioOutcome } from '../helpers/faults/scenario-outcome.js';
import { suiteContext } from '../helpers/faults/suite-context.js';
import { diffTables, NO_DIFFERENCE } from '../helpers/faults/table-diff.js';
import { waitFor } from '../helpers/faults/wait-for.js';
import { readAllStatistics } from '../helpers/warehouse-reader.js';

/**
 * Issue #7, fault 4: the process writing a statistics table dies. Finalize jobs run in their own
 * worker process here, so the test knows whom to kill. A table is always the old one or the new
 * one, never partial, and the retry completes with the undisturbed run's rows.
 */

const suite = suiteContext();
let baseline: Baseline;
let cluster: FaultCluster;
let finalizer: CliProcess;
let exporter: CliProcess | undefined;
let startedAt: number;

const tablesFolder = () => path.join(cluster.warehouseDir, 'tables', 'contrail');
const stagingFolder = () => path.join(cluster.warehouseDir, 'staging');

/** Names of temporary statistics files being written right now. */
function tempFiles(): string[] {
  return readdirSync(tablesFolder()).filter((f) => /^statistics_.*\.parquet\.tmp-/.test(f));
}

beforeAll(async () => {
  startedAt = Date.now();
  baseline = await suite.baseline('core');
  cluster = await suite.cluster('finalizer-kill', 'core');
  // No export worker yet: the window's staged rows stay until the experiment's export ran.
  cluster.startWorker({ queues: ['enrollments', 'metric'] });
  finalizer = cluster.startWorker({ queues: ['finalize'] });
  const enqueued = await cluster.command(['run', '--date', '2026-03-01']);
  expect(enqueued.code, enqueued.output).toBe(0);
});

afterAll(async () => {
  await cluster?.close();
});

/** Starts the export worker (once) and waits until the export job of the first run completed. */
async function exportFirstRun(): Promise<void> {
  exporter ??= cluster.startWorker({ queues: ['export'] });
  await waitFor('the export', async () => (await cluster.queue('export').getCompletedCount()) > 0, {
    timeoutMs: 180_000,
  });
}

/** Completed finalize jobs, once there are `n`. */
async function completedFinalizers(n: number): Promise<Job[]> {
  return waitFor(
    `${n} completed finalize jobs`,
    async () => {
      const jobs = await cluster.queue('finalize').getJobs(['completed']);
      return jobs.length >= n ? jobs : undefined;
    },
    { timeoutMs: 180_000 },
  );
}

describe('the process writing a statistics table dies', () => {
  it('a finalize job re-run after it wrote its table (its completion never recorded) writes the same table', async () => {
    const jobs = await completedFinalizers(baseline.tables.size);
    expect(diffTables(await cluster.tables(), baseline.tables)).toEqual(NO_DIFFERENCE);
    // Re-run each finalize job exactly as a worker would after a crash between its table write
    // and BullMQ's completion: same payload, same children, same warehouse.
    const opened = await openWarehouse({ kind: 'duckdb', dir: cluster.warehouseDir });
    try {
      const finalize = createFinalizeProcessor({ ...opened, now: () => new Date() });
      for (const job of jobs) {
        const values = await job.getChildrenValues<MetricJobResult>();
        // Its metric children, as the worker gathers them (its metrics-table children left out).
        const completed = new Map(
          Object.entries(values)
            .map(([key, value]) => [key.slice(key.indexOf(':metric:') + 8), value] as const)
            .filter(([id]) => !id.startsWith('metrics-table.')),
        );
        const result = await finalize(parseJobPayload('finalize', job.data), {
          completed,
          failed: [],
        });
        expect(result.failedMetrics, job.id).toEqual([]);
        const info = await opened.warehouse.tableInfo(result.table);
        expect(info?.labels[TABLE_LABELS.complete], result.table).toBe('true');
      }
    } finally {
      await opened.close();
    }
    expect(diffTables(await cluster.tables(), baseline.tables)).toEqual(NO_DIFFERENCE);
    // The export cleans the staged rows up once every window of the experiment is final.
    await exportFirstRun();
    await waitFor('staged rows dropped', () => readdirSync(stagingFolder()).length === 0);
  });

  it('SIGKILL mid-write: the table is the old one or the new one; the retry completes', async () => {
    await exportFirstRun();
    const before = await readAllStatistics(cluster.warehouseDir);
    const run = cluster.startRun(['--force', '--timeout', '240']);
    const temp = await waitFor('a statistics table write', () => tempFiles()[0], {
      timeoutMs: 180_000,
      intervalMs: 1,
    });
    expect((await finalizer.kill('SIGKILL')).signal).toBe('SIGKILL');
    const leftBehind = existsSync(path.join(tablesFolder(), temp)); // killed before its rename
    // Right after the kill: every table reads whole, old or new (same rows: statistics are seeded).
    expect(diffTables(await readAllStatistics(cluster.warehouseDir), before)).toEqual(
      NO_DIFFERENCE,
    );
    cluster.startWorker({ queues: ['finalize'] });

    const exit = await run.exited;
    expect(exit.code, run.output()).toBe(0);
    const outcome = await scenarioOutcome(cluster, baseline.tables, {
      scenario: 'SIGKILL the finalizer mid-write; finalize re-run after its write',
      startedAt,
      killsSurvived: 1,
      faultsInjected: 1,
    });
    expect(outcome.diff).toEqual(NO_DIFFERENCE);
    expect(outcome.unfinished).toEqual(DRAINED);
    expect(outcome.leaks).toEqual([]);
    const warehouse = await openWarehouse({ kind: 'duckdb', dir: cluster.warehouseDir });
    try {
      for (const name of baseline.tables.keys()) {
        const info = await warehouse.warehouse.tableInfo(name);
        expect(info?.labels[TABLE_LABELS.complete], name).toBe('true');
      }
    } finally {
      await warehouse.close();
    }
    const retried = (await cluster.queue('finalize').getJobs(['completed'])).filter(
      (job) => job.attemptsStarted >= 2,
    );
    expect(retried.length).toBeGreaterThanOrEqual(1); // the killed write was retried
    if (leftBehind) expect(tempFiles()).toEqual([]);
  });
});

import { existsSync, readdirSync, renameSync, rmSync, truncateSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openWarehouse } from '../../src/runtime/open-warehouse.js';
import type { StatisticRow } from '../../src/stats/statistic-row.js';
import type { LogRow } from '../../src/warehouse/log-row.js';
import type { TableInfo } from '../../src/warehouse/table-info.js';
import type { Baseline } from '../helpers/faults/baseline.js';
import type { CommandResult, FaultCluster } from '../helpers/faults/fault-cluster.js';
import { RUN_DATE } from '../helpers/faults/fault-workload.js';
import {
  DRAINED,
  scenarioOutcome,
  type ScenarioOutcome,
} from '../helpers/faults/scenario-outcome.js';
import { suiteContext } from '../helpers/faults/suite-context.js';
import { diffTables, NO_DIFFERENCE } from '../helpers/faults/table-diff.js';

/**
 * Issue #13, cases 2 and 4: the warehouse, not Redis, says whether a window is done.
 * - A forced rerun while a data source is missing (a transient failure) keeps the rows the
 *   earlier run wrote for the failing metrics (stale, logged), and leaves the windows incomplete;
 *   a plain run, once the data is back, recomputes just those metrics.
 * - Statistics tables that vanish from the warehouse while Redis remembers their finalize jobs
 *   as completed are recomputed by a plain run, not reported as "already done".
 * - Case 6: a corrupt statistics table is reported by name (exit 1); a forced rerun rebuilds it,
 *   and the next plain run completes the window.
 * All end with tables equal to the undisturbed run's.
 */

const suite = suiteContext();
const SEARCH = path.join('tables', 'search', 'search_clients_engines_sources_daily.parquet');
let baseline: Baseline;
let cluster: FaultCluster;
let forced: CommandResult;
let retried: CommandResult;
let recovered: CommandResult;
let corruptTable: string;
let corruptPlan: CommandResult;
let corruptForce: CommandResult;
let corruptAgain: CommandResult;
let afterForce: Map<string, StatisticRow[]>;
let afterForceInfo: TableInfo[];
let logs: LogRow[];
/** The metrics each window's finalize job of the plain run after the forced one computed. */
const retriedMetrics = new Map<string, string[]>();
let outcome: ScenarioOutcome;

async function warehouseState(dir: string): Promise<{ tables: TableInfo[]; logs: LogRow[] }> {
  const opened = await openWarehouse({ kind: 'duckdb', dir });
  try {
    return {
      tables: (await opened.warehouse.listTables()).filter((t) => t.kind === 'statistics'),
      logs: await opened.warehouse.readLogs({}),
    };
  } finally {
    await opened.close();
  }
}

beforeAll(async () => {
  const startedAt = Date.now();
  baseline = await suite.baseline('core');
  cluster = await suite.cluster('warehouse-authority', 'core');
  cluster.startWorker();
  const first = await cluster.command(['run', '--date', RUN_DATE, '--wait', '--timeout', '240']);
  if (first.code !== 0) throw new Error(`the first run failed:\n${first.output}`);
  // Case 4: a data source goes missing during a forced rerun, then comes back.
  const search = path.join(cluster.warehouseDir, SEARCH);
  renameSync(search, `${search}.away`);
  try {
    forced = await cluster.command([
      'run',
      '--date',
      RUN_DATE,
      '--force',
      '--wait',
      '--timeout',
      '240',
    ]);
    afterForce = await cluster.tables();
    const state = await warehouseState(cluster.warehouseDir);
    afterForceInfo = state.tables;
    logs = state.logs;
  } finally {
    renameSync(`${search}.away`, search);
  }
  retried = await cluster.command(['run', '--date', RUN_DATE, '--wait', '--timeout', '240']);
  for (const table of afterForceInfo) {
    const match = /^statistics_tab_groups_srm_(\w+)_(\d+)$/.exec(table.name);
    const id = `finalize.tab-groups-srm.${RUN_DATE}.${match?.[1]}.${match?.[2]}`;
    const finalize = await cluster.job('finalize', id);
    const data = finalize?.data as { metrics?: string[] } | undefined;
    retriedMetrics.set(table.name, [...(data?.metrics ?? [])].sort());
  }
  // Case 2: the statistics tables vanish while Redis remembers their windows as completed.
  const results = path.join(cluster.warehouseDir, 'tables', 'contrail');
  for (const file of readdirSync(results)) {
    if (file.startsWith('statistics_')) rmSync(path.join(results, file));
  }
  recovered = await cluster.command(['run', '--date', RUN_DATE, '--wait', '--timeout', '240']);
  // Case 6: a statistics table file is corrupted (truncated).
  const corrupt = readdirSync(results).find((f) => f.startsWith('statistics_'))!;
  corruptTable = corrupt.replace(/\.parquet$/, '');
  truncateSync(path.join(results, corrupt), 3_000);
  corruptPlan = await cluster.command(['run', '--date', RUN_DATE]);
  corruptForce = await cluster.command([
    'run',
    '--date',
    RUN_DATE,
    '--force',
    '--wait',
    '--timeout',
    '240',
  ]);
  corruptAgain = await cluster.command(['run', '--date', RUN_DATE, '--wait', '--timeout', '240']);
  outcome = await scenarioOutcome(cluster, baseline.tables, {
    scenario: 'warehouse authority',
    startedAt,
    faultsInjected: 3,
  });
});

afterAll(async () => {
  await cluster?.close();
});

describe('the warehouse is the authority on done', () => {
  it('a failed metric keeps the rows an earlier run wrote: the forced rerun lost nothing', () => {
    expect(forced.code, forced.output).toBe(1);
    expect(diffTables(afterForce, baseline.tables)).toEqual(NO_DIFFERENCE);
    const stale = logs.filter((l) => l.exception_type === 'StaleResults');
    const metrics = new Set(stale.map((l) => l.metric));
    expect(metrics.has('search_count'), JSON.stringify([...metrics])).toBe(true);
    for (const row of stale) expect(row.message).toMatch(/kept \(stale\) until a run computes it/);
  });

  it('leaves the windows with stale metrics incomplete, naming the metrics', () => {
    const incomplete = afterForceInfo.filter((t) => t.labels['contrail_complete'] === 'false');
    expect(incomplete.length).toBeGreaterThan(0);
    for (const table of incomplete) {
      const description = JSON.parse(table.description) as { failed_metrics: string[] };
      expect(description.failed_metrics).toContain('search_count');
    }
  });

  it('a plain run retries just the failed metrics, and the windows become complete', () => {
    expect(retried.code, retried.output).toBe(0);
    expect(retried.stdout).toMatch(/[1-9]\d* windows enqueued/);
    const incomplete = afterForceInfo.filter((t) => t.labels['contrail_complete'] === 'false');
    expect(incomplete.length).toBeGreaterThan(0);
    for (const table of incomplete) {
      const { failed_metrics } = JSON.parse(table.description) as { failed_metrics: string[] };
      expect(retriedMetrics.get(table.name), table.name).toEqual(failed_metrics);
    }
  });

  it('tables that vanished are recomputed, not reported as already done', () => {
    expect(recovered.code, recovered.output).toBe(0);
    expect(recovered.stdout).toMatch(/[1-9]\d* windows enqueued, 0 already done/);
    expect(existsSync(path.join(cluster.warehouseDir, 'tables', 'contrail'))).toBe(true);
  });

  it('a corrupt statistics table is named, not skipped; --force rebuilds it and a plain run completes it', () => {
    expect(corruptPlan.code, corruptPlan.output).toBe(1);
    expect(corruptPlan.stdout).toMatch(new RegExp(`error tab-groups-srm: .*${corruptTable}`));
    expect(corruptPlan.stdout).not.toMatch(/[1-9]\d* already done/);
    expect(corruptForce.code, corruptForce.output).toBe(0);
    expect(corruptAgain.code, corruptAgain.output).toBe(0);
    expect(corruptAgain.stdout).toMatch(/1 windows enqueued/);
  });

  it('ends with the tables of the undisturbed run, complete, and the queues drained', () => {
    expect(outcome.diff).toEqual(NO_DIFFERENCE);
    expect(outcome.tables.size).toBe(baseline.tables.size);
    expect(outcome.unfinished).toEqual(DRAINED);
    expect(outcome.leaks).toEqual([]);
  });
});

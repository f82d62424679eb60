import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openWarehouse } from '../../src/runtime/open-warehouse.js';
import type { LogRow } from '../../src/warehouse/log-row.js';
import type { Baseline } from '../helpers/faults/baseline.js';
import type { CommandResult, FaultCluster } from '../helpers/faults/fault-cluster.js';
import {
  copyExperiment,
  CORE_EXPERIMENT,
  readExperiments,
  RUN_DATE,
  writeExperiments,
} from '../helpers/faults/fault-workload.js';
import { runSummary, unfinishedJobs } from '../helpers/faults/run-checks.js';
import {
  DRAINED,
  scenarioOutcome,
  type ScenarioOutcome,
} from '../helpers/faults/scenario-outcome.js';
import { suiteContext } from '../helpers/faults/suite-context.js';
import { NO_DIFFERENCE } from '../helpers/faults/table-diff.js';
import { waitFor } from '../helpers/faults/wait-for.js';
import { holdBackDay } from '../helpers/telemetry-days.js';

/**
 * Issue 13, cases 1, 3 and 5: planning never skips, overwrites or invents a window.
 * - A rerun over a range without --wait (case 1): every date is enqueued while the earlier
 *   dates' enrollments jobs still wait, and the run date's tables equal the undisturbed run's.
 * - Two experiments whose slugs share table names (case 3): both refused, exit 1; the core
 *   experiment's tables equal the undisturbed run's and nothing is written for the pair.
 * - A run date whose telemetry has not landed (case 5): nothing is computed (no zeros), exit 1;
 *   once the day is there, the same command writes tables equal to the undisturbed run's.
 */

const suite = suiteContext();
let baseline: Baseline;

beforeAll(async () => {
  baseline = await suite.baseline('core');
});

/** Waits until no job of the cluster is queued, running or waiting for children. */
async function drained(cluster: FaultCluster): Promise<void> {
  await waitFor(
    'the queues to drain',
    async () => {
      const counts = await unfinishedJobs(cluster);
      return Object.values(counts).every((n) => n === 0);
    },
    { timeoutMs: 240_000, intervalMs: 250 },
  );
}

async function logsOf(cluster: FaultCluster): Promise<LogRow[]> {
  const opened = await openWarehouse({ kind: 'duckdb', dir: cluster.warehouseDir });
  try {
    return await opened.warehouse.readLogs({});
  } finally {
    await opened.close();
  }
}

/** Only the tables of the undisturbed run (a range also writes the earlier dates' tables). */
const baselineTables = (name: string) => baseline.tables.has(name);

describe('a rerun over a range without --wait (case 1)', () => {
  let cluster: FaultCluster;
  let rerun: CommandResult;
  let outcome: ScenarioOutcome;

  beforeAll(async () => {
    const startedAt = Date.now();
    cluster = await suite.cluster('range-rerun', 'core');
    // No worker yet: the 02-28 enrollments job is still waiting when 03-01 is planned.
    rerun = await cluster.command([
      'rerun',
      '--experiment',
      CORE_EXPERIMENT,
      '--from',
      '2026-02-28',
      '--to',
      RUN_DATE,
    ]);
    cluster.startWorker();
    cluster.startWorker();
    await drained(cluster);
    outcome = await scenarioOutcome(cluster, baseline.tables, {
      scenario: 'rerun over a range, no --wait',
      startedAt,
      faultsInjected: 1,
      scope: { tables: baselineTables },
    });
  });

  afterAll(async () => {
    await cluster?.close();
  });

  it('enqueues every date of the range, none counted as in progress', () => {
    expect(rerun.code, rerun.output).toBe(0);
    expect(rerun.stdout).toMatch(
      /^2026-02-28: .*; 1 windows enqueued, 0 already done, 0 in progress$/m,
    );
    expect(rerun.stdout).toMatch(
      new RegExp(`^${RUN_DATE}: .*; 2 windows enqueued, 0 already done, 0 in progress$`, 'm'),
    );
  });

  it('writes every date’s tables; the run date’s equal the undisturbed run’s bit for bit', () => {
    expect(outcome.diff).toEqual(NO_DIFFERENCE);
    expect(outcome.unfinished).toEqual(DRAINED);
    expect(outcome.leaks).toEqual([]);
    expect([...outcome.tables.keys()].sort()).toEqual(
      [...baseline.tables.keys(), 'statistics_tab_groups_srm_day_6'].sort(),
    );
  });
});

describe('slugs that share table names (case 3)', () => {
  const PAIR = ['twin-exp', 'twin_exp'];
  let cluster: FaultCluster;
  let run: CommandResult;
  let forced: CommandResult;
  let logs: LogRow[];
  let outcome: ScenarioOutcome;

  beforeAll(async () => {
    const startedAt = Date.now();
    cluster = await suite.cluster('table-name-collision', 'core');
    const [core] = readExperiments(cluster.warehouseDir);
    if (core === undefined) throw new Error('the core workload has no experiment');
    writeExperiments(cluster.warehouseDir, [core, ...PAIR.map((s) => copyExperiment(core, s))]);
    cluster.startWorker();
    cluster.startWorker();
    run = await cluster.command(['run', '--date', RUN_DATE, '--wait', '--timeout', '240']);
    forced = await cluster.command([
      'run',
      '--date',
      RUN_DATE,
      '--experiment',
      'twin_exp',
      '--force',
      '--wait',
    ]);
    logs = await logsOf(cluster);
    outcome = await scenarioOutcome(cluster, baseline.tables, {
      scenario: 'slugs sharing table names',
      startedAt,
      badInputsTried: 2,
    });
  });

  afterAll(async () => {
    await cluster?.close();
  });

  it('refuses both with one error naming both slugs, runs the other experiment, exits 1', () => {
    const message =
      "experiments 'twin-exp' and 'twin_exp' would share tables (enrollments_twin_exp, " +
      'statistics_twin_exp_<period>_<n>, ...): refused, neither is analysed until one of them ' +
      'is renamed';
    expect(run.code, run.output).toBe(1);
    expect(run.stdout).toContain(`  error twin-exp: ${message}\n`);
    expect(run.stdout).toContain(`  error twin_exp: ${message}\n`);
    expect(run.stdout).toMatch(/: 1 experiments, 2 windows, .*; 2 windows enqueued/);
    expect(runSummary(run.stdout).failed).toBe(0);
    expect(forced.code, forced.output).toBe(1);
    expect(forced.stdout).toContain(`  error twin_exp: ${message}\n`);
    expect(runSummary(forced.stdout)).toEqual({ completed: 0, total: 0, failed: 0 });
    const refused = logs.filter((row) => row.exception_type === 'TableNameCollision');
    expect(new Set(refused.map((row) => row.experiment))).toEqual(new Set(PAIR));
  });

  it('the core experiment’s tables equal the undisturbed run’s; nothing of the pair exists', () => {
    expect(outcome.diff).toEqual(NO_DIFFERENCE); // every table compared: no extra table either
    expect(outcome.unfinished).toEqual(DRAINED);
    expect(outcome.leaks).toEqual([]);
  });
});

describe('a run date whose telemetry has not landed (case 5)', () => {
  let cluster: FaultCluster;
  let future: CommandResult;
  let early: CommandResult;
  let tablesWhileMissing: number;
  let logs: LogRow[];
  let landed: CommandResult;
  let outcome: ScenarioOutcome;

  beforeAll(async () => {
    const startedAt = Date.now();
    cluster = await suite.cluster('data-not-landed', 'core');
    const restore = await holdBackDay(
      cluster.warehouseDir,
      [{ dataset: 'telemetry', table: 'clients_daily' }],
      RUN_DATE,
    );
    cluster.startWorker();
    cluster.startWorker();
    future = await cluster.command(['run', '--date', '9999-12-31', '--wait']);
    early = await cluster.command(['run', '--date', RUN_DATE, '--wait', '--timeout', '240']);
    tablesWhileMissing = (await cluster.tables()).size;
    logs = await logsOf(cluster);
    restore();
    landed = await cluster.command(['run', '--date', RUN_DATE, '--wait', '--timeout', '240']);
    outcome = await scenarioOutcome(cluster, baseline.tables, {
      scenario: 'telemetry of the run date not landed, then landed',
      startedAt,
      faultsInjected: 2,
    });
  });

  afterAll(async () => {
    await cluster?.close();
  });

  it('a date after today is bad usage: exit 2, nothing enqueued', () => {
    expect(future.code, future.output).toBe(2);
    expect(future.stdout).toBe('');
    expect(future.output).toMatch(/9999-12-31 is after today \(.*, UTC\): there is no telemetry/);
  });

  it('without the day’s telemetry: not ready, nothing computed, logged, exit 1', () => {
    expect(early.code, early.output).toBe(1);
    expect(early.stdout).toMatch(
      /; 0 windows enqueued, 0 already done, 0 in progress, 2 not ready$/m,
    );
    expect(early.stdout).toContain(
      `: no rows in clients_daily for ${RUN_DATE} (the window's last day); not analysed, run --date ${RUN_DATE} again once the data has landed\n`,
    );
    expect(runSummary(early.stdout)).toEqual({ completed: 0, total: 0, failed: 0 });
    expect(tablesWhileMissing).toBe(0);
    const notReady = logs.filter((row) => row.exception_type === 'DataNotReady');
    expect(notReady.map((row) => row.analysis_period).sort()).toEqual(['day', 'week']);
  });

  it('once the day has landed, the same run writes tables equal to the undisturbed run’s', () => {
    expect(landed.code, landed.output).toBe(0);
    expect(landed.stdout).toMatch(/; 2 windows enqueued, 0 already done, 0 in progress$/m);
    expect(outcome.diff).toEqual(NO_DIFFERENCE);
    expect(outcome.unfinished).toEqual(DRAINED);
    expect(outcome.leaks).toEqual([]);
  });
});

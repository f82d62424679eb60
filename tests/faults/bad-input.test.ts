import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openWarehouse } from '../../src/runtime/open-warehouse.js';
import type { StatisticRow } from '../../src/stats/statistic-row.js';
import type { LogRow } from '../../src/warehouse/log-row.js';
import {
  BAD_INPUTS,
  BAD_METRIC_NAMES,
  INJECTION_SLUG,
  plantBadInputs,
} from '../helpers/faults/bad-inputs.js';
import type { Baseline } from '../helpers/faults/baseline.js';
import type { CommandResult, FaultCluster } from '../helpers/faults/fault-cluster.js';
import { CORE_EXPERIMENT, RUN_DATE, SLOW_METRIC } from '../helpers/faults/fault-workload.js';
import {
  DRAINED,
  scenarioOutcome,
  type ScenarioOutcome,
} from '../helpers/faults/scenario-outcome.js';
import { suiteContext } from '../helpers/faults/suite-context.js';
import { diffTables, NO_DIFFERENCE } from '../helpers/faults/table-diff.js';
import { waitFor } from '../helpers/faults/wait-for.js';

/**
 * Issue #7, bad input: every bad input gives a clear error naming the thing, lands in the logs
 * table under its experiment, and every other experiment's (and metric's) results still land,
 * equal to the undisturbed run's. Two more: a queued job whose payload was corrupted, and a
 * job nobody could have enqueued (garbage payload).
 */

const suite = suiteContext();
const TAMPERED_METRIC = 'retained';
const TAMPERED_JOB = `metric.${CORE_EXPERIMENT}.${RUN_DATE}.week.1.${TAMPERED_METRIC}`;
const TAMPERED_FINALIZE = `finalize.${CORE_EXPERIMENT}.${RUN_DATE}.week.1`;
const GARBAGE_JOB = 'garbage-payload';
let baseline: Baseline;
let cluster: FaultCluster;
let enqueue: CommandResult;
let waited: CommandResult;
let logs: LogRow[];
let tableNames: string[];
let outcome: ScenarioOutcome;

/** Rows of the metrics that are not bad inputs (and not the tampered job's window metric). */
const goodRows = (table: string, row: StatisticRow) =>
  !BAD_METRIC_NAMES.includes(row.metric) &&
  !(table.endsWith('_week_1') && row.metric === TAMPERED_METRIC);

beforeAll(async () => {
  const startedAt = Date.now();
  baseline = await suite.baseline('core');
  cluster = await suite.cluster('bad-input', 'core');
  plantBadInputs(cluster.warehouseDir, suite.scale);
  // Enrollments first: they add the flows, so a queued metric job can be corrupted before it runs.
  cluster.startWorker({ queues: ['enrollments'] });
  enqueue = await cluster.command(['run', '--date', RUN_DATE]);
  // The finalize job carries its metric jobs until its metrics tables are written.
  const tampered = await waitFor('the metric job to corrupt', () =>
    cluster.job('finalize', TAMPERED_FINALIZE),
  );
  const data = tampered.data as { metricJobs: { id: string }[] };
  await tampered.updateData({
    ...data,
    metricJobs: data.metricJobs.map((job) =>
      job.id === TAMPERED_JOB ? { ...job, statistics: 'not a list' } : job,
    ),
  });
  await cluster
    .queue('metric')
    .add('metric', { kind: 'metric', id: GARBAGE_JOB }, { jobId: GARBAGE_JOB, attempts: 3 });
  cluster.startWorker();
  cluster.startWorker();
  waited = await cluster.command(['run', '--date', RUN_DATE, '--wait', '--timeout', '240']);
  const opened = await openWarehouse({ kind: 'duckdb', dir: cluster.warehouseDir });
  try {
    logs = await opened.warehouse.readLogs({});
    tableNames = (await opened.warehouse.listTables()).map((t) => t.name);
  } finally {
    await opened.close();
  }
  outcome = await scenarioOutcome(cluster, baseline.tables, {
    scenario: 'bad inputs',
    startedAt,
    badInputsTried: BAD_INPUTS.length + 2,
    scope: { tables: (name) => name.includes('tab_groups_srm'), rows: goodRows },
  });
});

afterAll(async () => {
  await cluster?.close();
});

describe('bad input', () => {
  it('the runs report the problems and exit 1', () => {
    expect(enqueue.code, enqueue.output).toBe(1);
    expect(waited.code, waited.output).toBe(1);
    for (const slug of ['bad-toml', 'bad-statistic', 'bad-parameter', 'huge-expression']) {
      expect(enqueue.stdout).toMatch(new RegExp(`^  error ${slug}: `, 'm'));
    }
    expect(waited.stdout).toMatch(/metric failed: tab-groups-srm \/ week_1 \/ sql_error_metric/);
    expect(waited.stdout).toMatch(
      /metric failed: tab-groups-srm \/ week_1 \/ retained: .*InvalidJobPayloadError/,
    );
  });

  it.each(BAD_INPUTS)('$name: a logs row under its experiment names it', (bad) => {
    const rows = logs.filter(
      (l) =>
        l.experiment === bad.experiment &&
        l.exception_type === bad.exceptionType &&
        (bad.metric === undefined || l.metric === bad.metric),
    );
    expect(
      rows.length,
      JSON.stringify(logs.map((l) => [l.experiment, l.exception_type])),
    ).toBeGreaterThan(0);
    for (const row of rows) expect(row.message).toMatch(bad.message);
  });

  it('a corrupted queued payload fails alone, at once, logged under its experiment and metric', async () => {
    // The finalize job validates each metric job it carries before adding it: the corrupted one
    // is never queued (so never retried), and is reported with the validation error.
    expect(await cluster.job('metric', TAMPERED_JOB)).toBeUndefined();
    const row = logs.find((l) => l.experiment === CORE_EXPERIMENT && l.metric === TAMPERED_METRIC);
    expect(row?.message).toMatch(/InvalidJobPayloadError: invalid metric job payload: statistics/);
    expect(row?.exception_type).toBe('InvalidJobPayloadError');
  });

  it('a garbage payload fails at once and names the bad fields; the workers carry on', async () => {
    const job = (await cluster.job('metric', GARBAGE_JOB))!;
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/InvalidJobPayloadError: invalid metric job payload: \w+/);
    expect(cluster.liveWorkers()).toHaveLength(3);
  });

  it("every other metric's results equal the undisturbed run's", () => {
    expect(outcome.diff).toEqual(NO_DIFFERENCE);
    expect(outcome.unfinished).toEqual(DRAINED);
    const core = [...outcome.tables.keys()].filter((n) => n.includes('tab_groups_srm'));
    expect(core).toEqual([...baseline.tables.keys()]);
  });

  it('the experiments with a problem in their data still land their other results', () => {
    for (const [name, rows] of baseline.tables) {
      const empty = outcome.tables.get(name.replace('tab_groups_srm', 'empty_branch')) ?? [];
      const metrics = new Set(empty.map((r) => r.metric));
      for (const metric of new Set(rows.map((r) => r.metric).filter((m) => m !== SLOW_METRIC))) {
        expect(metrics.has(metric), `${name} ${metric}`).toBe(true);
      }
      const ghost = empty.filter((r) => r.metric === 'identity' && r.branch === 'ghost');
      expect(ghost.length).toBeGreaterThan(0);
      expect(ghost.every((r) => r.point === 0)).toBe(true);
    }
  });

  it('the injection attempts changed nothing: tables are all there; no secret was logged', () => {
    expect(tableNames).toContain('enrollments_tab_groups_srm');
    expect(tableNames).toContain('statistics_tab_groups_srm_week_1');
    expect(logs.some((l) => l.experiment === INJECTION_SLUG)).toBe(true);
    expect(outcome.leaks).toEqual([]);
  });

  it('the baseline comparison covered the whole core experiment', () => {
    const all = diffTables(outcome.tables, baseline.tables, {
      tables: (n) => n.includes('tab_groups_srm'),
    });
    // Only the bad and the tampered metrics differ from the undisturbed run.
    expect(all.rowsLost + all.rowsExtra).toBeGreaterThan(0);
    expect(all.rowsChanged).toBe(0);
    expect(all.rowsDuplicated).toBe(0);
  });
});

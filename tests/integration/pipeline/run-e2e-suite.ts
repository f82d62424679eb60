import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PERIOD_VIEW_SUFFIX, type AnalysisPeriod } from '../../../src/analysis/analysis-period.js';
import type { StatisticRow } from '../../../src/stats/statistic-row.js';
import { createDuckDbWarehouse } from '../../../src/warehouse/duckdb/duckdb-warehouse.js';
import {
  createSandbox,
  runContrail,
  seedSmallWarehouse,
  startWorkerProcess,
  type BackgroundProcess,
  type CliResult,
  type Sandbox,
} from '../../helpers/pipeline.js';
import { readAllStatistics } from '../../helpers/warehouse-reader.js';

/**
 * The distributed run end to end (issue #5 §5): a seeded synthetic warehouse, two separate worker
 * processes on the real Redis, `contrail run --wait` from a third process.
 */

interface Truth {
  slug: string;
  referenceBranch: string;
  traits: string[];
  dueWindows: { period: string; window: number }[];
  trueEffects: {
    period: string;
    window: number;
    basis: string;
    segment: string;
    metrics: Record<
      string,
      { statistic: string; branches: Record<string, { expectedRelativeUplift: number }> }
    >;
  }[];
  analysable: boolean;
}

const BROKEN_METRIC = 'broken_metric';
const BROKEN_EXPERIMENT = 'new-tab-layout-v2';

/** Defines the end-to-end suite. */
export function defineRunE2e(): void {
  let sandbox: Sandbox;
  let workers: BackgroundProcess[] = [];
  let first: CliResult;
  let tables: Map<string, StatisticRow[]>;
  let manifest: { demoDate: string; experiments: Truth[] };

  /** Adds a metric whose SQL references a column that does not exist, to one experiment's weekly period. */
  function plantBrokenMetric(dir: string): void {
    const file = path.join(dir, 'metric-hub/jetstream', `${BROKEN_EXPERIMENT}.toml`);
    const text = readFileSync(file, 'utf8').replace(
      /weekly = \[/,
      `weekly = ["${BROKEN_METRIC}", `,
    );
    writeFileSync(
      file,
      `${text}\n[metrics.${BROKEN_METRIC}]\nselect_expression = "SUM(no_such_column_anywhere)"\ndata_source = "clients_daily"\n\n[metrics.${BROKEN_METRIC}.statistics.bootstrap_mean]\n`,
    );
  }

  beforeAll(async () => {
    sandbox = createSandbox('e2e');
    await seedSmallWarehouse(sandbox);
    plantBrokenMetric(sandbox.warehouseDir);
    manifest = JSON.parse(readFileSync(path.join(sandbox.warehouseDir, 'manifest.json'), 'utf8'));
    workers = [startWorkerProcess(sandbox), startWorkerProcess(sandbox)];
    first = await runContrail(
      ['run', '--date', manifest.demoDate, '--wait', '--timeout', '240'],
      sandbox.env,
    );
    tables = await readAllStatistics(sandbox.warehouseDir);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await sandbox?.cleanup();
  });

  const relativeUplift = (
    rows: StatisticRow[],
    metric: string,
    statistic: string,
    branch: string,
    reference: string,
  ) =>
    rows.find(
      (r) =>
        r.metric === metric &&
        r.statistic === statistic &&
        r.branch === branch &&
        r.comparison === 'relative_uplift' &&
        r.comparison_to_branch === reference &&
        r.segment === 'all' &&
        r.analysis_basis === 'enrollments',
    );

  describe('contrail run on the synthetic warehouse, two worker processes', () => {
    it('completes every job; the broken metric is the only failure, reported with its context', () => {
      const summary = /(\d+)\/(\d+) jobs completed, (\d+) failed/.exec(first.stdout);
      expect(summary).not.toBeNull();
      const [, completed, total, failed] = summary!.map(Number);
      // The planted broken metric fails in the metrics stage (its dry run names the column), so
      // its metric job is never added: every job completes, and the run reports the metric.
      expect(failed).toBe(0);
      expect(completed).toBe(total);
      expect(total).toBeGreaterThan(100);
      expect(first.code).toBe(1); // a failure means exit 1
      const failures = first.stdout.split('\n').filter((line) => line.includes('failed:'));
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(
        /metric failed: new-tab-layout-v2 \/ week_2 \/ broken_metric: .*no_such_column_anywhere/,
      );
    });

    it('writes one metrics table per due window and basis, and the views over them', () => {
      const views = new Set(
        readdirSync(path.join(sandbox.warehouseDir, 'views', 'contrail')).map((f) =>
          f.replace(/\.sql$/, ''),
        ),
      );
      const files = new Set(readdirSync(path.join(sandbox.warehouseDir, 'tables', 'contrail')));
      const windows = manifest.experiments
        .filter((e) => e.analysable)
        .flatMap((e) => e.dueWindows.map((w) => ({ slug: e.slug.replace(/-/g, '_'), ...w })));
      expect(windows.length).toBeGreaterThan(10);
      for (const w of windows) {
        const table = `${w.slug}_enrollments_${w.period}_${w.window}`;
        expect(files.has(`${table}.parquet`), table).toBe(true);
        const suffix = PERIOD_VIEW_SUFFIX[w.period as AnalysisPeriod];
        expect(views.has(`${w.slug}_enrollments_${suffix}`), suffix).toBe(true);
        expect(views.has(`statistics_${w.slug}_${suffix}`), suffix).toBe(true);
      }
    });

    it('writes a statistics table for every due window of every analysable experiment', () => {
      const expected = manifest.experiments
        .filter((e) => e.analysable)
        .flatMap((e) =>
          e.dueWindows.map(
            (w) => `statistics_${e.slug.replace(/-/g, '_')}_${w.period}_${w.window}`,
          ),
        );
      expect(expected.length).toBeGreaterThan(10);
      for (const name of expected) expect(tables.has(name), name).toBe(true);
    });

    it('lands partial results and a logs row with full context for the broken metric', async () => {
      const week = [...tables.entries()].find(([name]) =>
        name.startsWith(`statistics_${BROKEN_EXPERIMENT.replace(/-/g, '_')}_week_`),
      );
      expect(week).toBeDefined();
      const rows = week![1];
      expect(rows.some((r) => r.metric === BROKEN_METRIC)).toBe(false);
      expect(rows.some((r) => r.metric === 'active_hours' && r.statistic !== 'count')).toBe(true);
      const warehouse = await createDuckDbWarehouse({ dir: sandbox.warehouseDir });
      try {
        const logs = await warehouse.readLogs({ experiment: BROKEN_EXPERIMENT });
        const broken = logs.filter((l) => l.metric === BROKEN_METRIC);
        expect(broken.length).toBeGreaterThan(0);
        for (const log of broken) {
          expect(log.experiment).toBe(BROKEN_EXPERIMENT);
          expect(log.analysis_period).toBe('week');
          expect(log.log_level).toBe('ERROR');
          expect(log.message).toMatch(/no_such_column_anywhere/);
        }
      } finally {
        await warehouse.close();
      }
    });

    it('gives identity counts equal to the enrollments, per branch and basis', async () => {
      const warehouse = await createDuckDbWarehouse({ dir: sandbox.warehouseDir });
      try {
        for (const experiment of manifest.experiments.filter((e) => e.analysable)) {
          const window = experiment.dueWindows[0]!;
          const rows = tables.get(
            `statistics_${experiment.slug.replace(/-/g, '_')}_${window.period}_${window.window}`,
          )!;
          const counts = await warehouse.countClients({
            slug: experiment.slug,
            branches: [],
            segments: [],
          });
          for (const count of counts.filter((c) => c.segment === 'all')) {
            const row = rows.find(
              (r) =>
                r.metric === 'identity' &&
                r.branch === count.branch &&
                r.segment === 'all' &&
                r.analysis_basis === count.basis,
            );
            expect(row?.point, `${experiment.slug} ${count.branch} ${count.basis}`).toBe(
              count.clients,
            );
          }
          const enrolled = rows.filter(
            (r) =>
              r.metric === 'identity' && r.segment === 'all' && r.analysis_basis === 'enrollments',
          );
          expect(enrolled.reduce((n, r) => n + (r.point ?? 0), 0)).toBeGreaterThan(0);
        }
      } finally {
        await warehouse.close();
      }
    });

    it('recovers the injected effects: 95% intervals cover the true uplift; A/A intervals contain 0', () => {
      let checked = 0;
      let covered = 0;
      let aaChecked = 0;
      for (const experiment of manifest.experiments.filter((e) => e.analysable)) {
        const aa = experiment.traits.includes('aa');
        for (const truth of experiment.trueEffects.filter(
          (t) => t.segment === 'all' && t.basis === 'enrollments',
        )) {
          const rows = tables.get(
            `statistics_${experiment.slug.replace(/-/g, '_')}_${truth.period}_${truth.window}`,
          );
          if (rows === undefined) continue;
          for (const [metric, { statistic, branches }] of Object.entries(truth.metrics)) {
            for (const [branch, { expectedRelativeUplift }] of Object.entries(branches)) {
              if (branch === experiment.referenceBranch) continue;
              const row = relativeUplift(
                rows,
                metric,
                statistic,
                branch,
                experiment.referenceBranch,
              );
              if (row?.lower == null || row.upper == null) continue;
              checked += 1;
              if (row.lower <= expectedRelativeUplift && expectedRelativeUplift <= row.upper) {
                covered += 1;
              }
              if (aa) {
                aaChecked += 1;
                expect(row.lower, `${experiment.slug} ${metric}`).toBeLessThanOrEqual(0);
                expect(row.upper, `${experiment.slug} ${metric}`).toBeGreaterThanOrEqual(0);
              }
            }
          }
        }
      }
      expect(checked).toBeGreaterThan(20);
      expect(aaChecked).toBeGreaterThan(3);
      // 95% intervals: allow the binomial sampling miss rate (≤ 10% of intervals), no more.
      expect(covered / checked).toBeGreaterThanOrEqual(0.9);
    });

    it('runs again only the failed metric when the same command runs again, and changes no row', async () => {
      const again = await runContrail(
        ['run', '--date', manifest.demoDate, '--wait', '--timeout', '120'],
        sandbox.env,
      );
      // The window with the broken metric is not done: a plain run retries just that metric.
      expect(again.stdout).toMatch(/1 windows enqueued, \d+ already done/);
      expect(again.stdout).toMatch(/metric failed: new-tab-layout-v2 \/ week_2 \/ broken_metric/);
      expect(again.stdout).not.toMatch(/metric failed: .*\/ (?!broken_metric)\w+:/);
      expect(await readAllStatistics(sandbox.warehouseDir)).toEqual(tables);
      // Without a failed metric nothing is left to do: no job is added.
      const other = await runContrail(
        ['run', '--date', manifest.demoDate, '--experiment', 'aa-validation', '--wait'],
        sandbox.env,
      );
      expect(other.stdout).toMatch(/0 windows enqueued/);
      expect(other.stdout).toMatch(/0\/0 jobs completed, 0 failed/);
    }, 180_000);

    it('recomputes bit-identical rows with --force (seeded statistics)', async () => {
      const forced = await runContrail(
        ['run', '--date', manifest.demoDate, '--wait', '--force', '--timeout', '240'],
        sandbox.env,
      );
      expect(forced.stdout).toMatch(/[1-9]\d* windows enqueued/);
      const recomputed = await readAllStatistics(sandbox.warehouseDir);
      expect([...recomputed.keys()]).toEqual([...tables.keys()]);
      for (const [name, rows] of tables) expect(recomputed.get(name), name).toEqual(rows);
    }, 300_000);

    it('recomputes statistics from the metrics tables with --statistics-only: same rows, no table rebuilt', async () => {
      const slug = 'aa-validation';
      const tablesDir = path.join(sandbox.warehouseDir, 'tables', 'contrail');
      const metricsFiles = () =>
        new Map(
          readdirSync(tablesDir)
            .filter((f) => f.startsWith('aa_validation_') && f.endsWith('.parquet'))
            .map((f) => [f, statSync(path.join(tablesDir, f)).ino]),
        );
      const before = metricsFiles();
      expect(before.size).toBeGreaterThan(2);
      const rerun = await runContrail(
        ['run', '--date', manifest.demoDate, '--experiment', slug, '--statistics-only', '--wait'],
        sandbox.env,
      );
      expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
      expect(rerun.stdout).toMatch(/[1-9]\d* windows enqueued/);
      expect(metricsFiles()).toEqual(before); // not one metrics table was written again
      const recomputed = await readAllStatistics(sandbox.warehouseDir);
      for (const [name, rows] of tables) {
        if (name.startsWith('statistics_aa_validation_')) {
          expect(recomputed.get(name), name).toEqual(rows);
        }
      }
    }, 180_000);

    it('a corrupt statistics table stops only its experiment; --force rebuilds it, equal to before', async () => {
      const window = manifest.experiments.find((e) => e.slug === 'aa-validation')!.dueWindows[0]!;
      const table = `statistics_aa_validation_${window.period}_${window.window}`;
      const file = path.join(sandbox.warehouseDir, 'tables', 'contrail', `${table}.parquet`);
      truncateSync(file, 3_000);
      const planned = await runContrail(['run', '--date', manifest.demoDate], sandbox.env);
      expect(planned.code, planned.stdout + planned.stderr).toBe(1);
      expect(planned.stdout).toMatch(new RegExp(`error aa-validation: .*${table}`));
      // Every other experiment is planned as usual (the window with the broken metric is retried).
      expect(planned.stdout).toMatch(/\d+ windows enqueued, [1-9]\d* already done/);
      const forced = await runContrail(
        ['run', '--date', manifest.demoDate, '--experiment', 'aa-validation', '--force', '--wait'],
        sandbox.env,
      );
      expect(forced.code, forced.stdout + forced.stderr).toBe(0);
      const warehouse = await createDuckDbWarehouse({ dir: sandbox.warehouseDir });
      try {
        const logs = await warehouse.readLogs({ experiment: 'aa-validation' });
        expect(logs.some((l) => l.exception_type === 'UnreadableTable')).toBe(true);
        expect((await warehouse.tableInfo(table))?.labels['contrail_complete']).toBe('false');
      } finally {
        await warehouse.close();
      }
      // The window was left incomplete: a plain run recomputes it and marks it complete.
      const again = await runContrail(
        ['run', '--date', manifest.demoDate, '--experiment', 'aa-validation', '--wait'],
        sandbox.env,
      );
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toMatch(/[1-9]\d* windows enqueued/);
      const rebuilt = await readAllStatistics(sandbox.warehouseDir);
      expect(rebuilt.get(table)).toEqual(tables.get(table));
    }, 240_000);

    it('writes every statement of the metrics stage to --sql-output-dir, one file per table', async () => {
      const dir = path.join(sandbox.dir, 'sql');
      const run = await runContrail(
        [
          'run',
          '--date',
          manifest.demoDate,
          '--experiment',
          'aa-validation',
          '--force',
          '--sql-output-dir',
          dir,
          '--wait',
        ],
        sandbox.env,
      );
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const files = readdirSync(dir).sort();
      const windows = manifest.experiments.find((e) => e.slug === 'aa-validation')!.dueWindows;
      // One scan per data source serves every window and basis of the date.
      const scanFile = `aa_validation_scan_clients_daily_${manifest.demoDate.replaceAll('-', '')}.sql`;
      expect(files).toContain(scanFile);
      const scan = readFileSync(path.join(dir, scanFile), 'utf8');
      expect(scan).toMatch(/^-- @data_start = "\d{4}-\d{2}-\d{2}"$/m);
      expect(scan).toContain('mozdata.telemetry.clients_daily');
      expect(scan.match(/mozdata\.telemetry\.clients_daily/g)).toHaveLength(1);
      for (const w of windows) {
        const table = `aa_validation_enrollments_${w.period}_${w.window}`;
        expect(files).toContain(`${table}.sql`);
        const join = readFileSync(path.join(dir, `${table}.sql`), 'utf8');
        expect(join).toMatch(/ROW_NUMBER\(\) OVER/);
        expect(join).toContain(`-- @slice_key = "enrollments.${w.period}.${w.window}"`);
        expect(scan).toContain(`'enrollments.${w.period}.${w.window}' AS contrail_slice`);
      }
    }, 180_000);
  });
}

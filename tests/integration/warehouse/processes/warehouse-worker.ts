// A separate process for the multi-process warehouse tests (run with `node --import tsx`).
// Modes:
//   statistics-loop <dir> <table> <rows>     replace <table> forever: generation g has rows + g rows, point = g
//   writer <dir> <generations> <fixtures>    replace a statistics table and telemetry.clients_daily per generation
//   reader <dir> <ms>                        read both tables until <ms> elapse; print a JSON summary
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StatisticRow } from '../../../../src/stats/statistic-row.js';
import { createDuckDbWarehouse } from '../../../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importNdjsonTable } from '../../../../src/warehouse/duckdb/import-ndjson-table.js';
import type { MetricReadSpec } from '../../../../src/warehouse/metric-read-spec.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';

export const SHARED_TABLE = 'statistics_test_experiment_week_1';
export const SHARED_ROWS = 2000;

export function statisticRows(count: number, generation: number): StatisticRow[] {
  return Array.from({ length: count }, (_, i) => ({
    metric: `metric_${i}`,
    statistic: 'mean',
    parameter: null,
    branch: i % 2 === 0 ? 'branch1' : 'branch2',
    comparison: null,
    comparison_to_branch: null,
    ci_width: 0.95,
    point: generation,
    lower: generation - 1,
    upper: generation + 1,
    segment: 'all',
    analysis_basis: 'enrollments',
  }));
}

export const ACTIVE_HOURS: MetricReadSpec = {
  slug: 'test-experiment',
  analysisUnit: 'client_id',
  startDate: '2020-03-30',
  enrollmentPeriod: 7,
  branches: ['branch1', 'branch2'],
  basis: 'enrollments',
  window: { start: 0, end: 6 },
  metrics: [
    {
      name: 'active_hours',
      selectExpression: 'COALESCE(SUM(active_hours_sum), 0)',
      dataSource: {
        name: 'clients_daily',
        fromExpression: 'mozdata.telemetry.clients_daily',
        clientIdColumn: 'client_id',
        groupIdColumn: 'profile_group_id',
        submissionDateColumn: 'submission_date',
        experimentsColumnType: 'simple',
        analysisUnits: ['client_id'],
        friendlyName: null,
        description: null,
      },
    },
  ],
  segments: [],
  lastDateOfData: '2020-04-12',
};

async function statisticsLoop(warehouse: Warehouse, table: string, rows: number): Promise<void> {
  for (let generation = 1; ; generation += 1) {
    await warehouse.replaceStatistics(table, statisticRows(rows + generation, generation), {
      labels: { generation: String(generation) },
      description: 'kill test',
    });
    process.stdout.write(`written ${generation}\n`);
  }
}

async function writer(warehouse: Warehouse, dir: string, generations: number, fixtures: string) {
  const lines = (await readFile(path.join(fixtures, 'test_clients_daily.ndjson'), 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '');
  for (let generation = 1; generation <= generations; generation += 1) {
    await warehouse.replaceStatistics(SHARED_TABLE, statisticRows(SHARED_ROWS, generation), {
      labels: {},
      description: 'multi-process test',
    });
    const scaled = lines.map((line) => {
      const row = JSON.parse(line) as { active_hours_sum: number };
      return JSON.stringify({ ...row, active_hours_sum: row.active_hours_sum * generation });
    });
    const file = path.join(dir, `clients_daily_${generation}.ndjson`);
    await writeFile(file, scaled.join('\n'));
    await importNdjsonTable(dir, 'telemetry', 'clients_daily', file);
  }
  process.stdout.write(JSON.stringify({ generations }) + '\n');
}

async function reader(warehouse: Warehouse, ms: number): Promise<void> {
  const summary = {
    statisticsReads: 0,
    metricReads: 0,
    generations: new Set<number>(),
    problems: [] as string[],
  };
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const rows = await warehouse.readStatistics(SHARED_TABLE);
      const points = new Set(rows.map((r) => r.point));
      if (rows.length !== SHARED_ROWS || points.size !== 1) {
        summary.problems.push(`statistics: ${rows.length} rows, points ${[...points].join(',')}`);
      }
      summary.generations.add(rows[0]?.point ?? -1);
      summary.statisticsReads += 1;
      const values = await warehouse.readMetric(ACTIVE_HOURS);
      const byBranch = new Map<string, number>();
      for (let i = 0; i < values.clients; i += 1) {
        byBranch.set(values.branches[values.branch[i]!]!, values.columns.active_hours![i]!);
      }
      const scale1 = (byBranch.get('branch1') ?? Number.NaN) / 0.8;
      const scale2 = (byBranch.get('branch2') ?? Number.NaN) / 0.3;
      if (!(Math.abs(scale1 - scale2) < 1e-9 && Math.abs(scale1 - Math.round(scale1)) < 1e-9)) {
        summary.problems.push(`metric: mixed generations ${scale1} vs ${scale2}`);
      }
      summary.metricReads += 1;
    } catch (e) {
      summary.problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  process.stdout.write(
    JSON.stringify({ ...summary, generations: [...summary.generations] }) + '\n',
  );
}

async function main(): Promise<void> {
  const [mode, dir, arg1, arg2] = process.argv.slice(2);
  if (!mode || !dir) throw new Error('usage: warehouse-worker <mode> <dir> ...');
  const warehouse = await createDuckDbWarehouse({ dir });
  try {
    if (mode === 'statistics-loop') await statisticsLoop(warehouse, arg1!, Number(arg2));
    else if (mode === 'writer') await writer(warehouse, dir, Number(arg1), arg2!);
    else if (mode === 'reader') await reader(warehouse, Number(arg1));
    else throw new Error(`unknown mode ${mode}`);
  } finally {
    await warehouse.close();
  }
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}

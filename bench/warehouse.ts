// npm run bench:warehouse — read speed of the embedded warehouse.
//   1. 1,000,000 doubles (1% NULL) from a Parquet table into a Float64Array (target ≤ 150 ms)
//   2. readMetric over 1,000,000 enrolled clients × 1 daily row (join, guard, aggregate, typed read)
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDbSession } from '../src/warehouse/duckdb/duckdb-session.js';
import { createDuckDbWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';
import { readTypedColumns } from '../src/warehouse/duckdb/typed-column-reader.js';
import { RESULTS_DATASET, tableFilePath } from '../src/warehouse/duckdb/warehouse-layout.js';
import { duckDbPrelude, toDuckDbSql } from '../src/warehouse/dialect/index.js';
import type { MetricReadSpec } from '../src/warehouse/metric-read-spec.js';

const N = 1_000_000;
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function seed(session: DuckDbSession, dir: string): Promise<void> {
  const write = async (dataset: string, table: string, select: string) => {
    const file = tableFilePath(dir, dataset, table);
    await mkdir(path.dirname(file), { recursive: true });
    await session.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`, {}, `seed ${table}`);
  };
  await write(
    'bench',
    'doubles',
    `SELECT CASE WHEN i % 100 = 0 THEN NULL ELSE CAST(i AS DOUBLE) * 0.5 END AS value FROM range(${N}) t(i)`,
  );
  await write(
    RESULTS_DATASET,
    'enrollments_bench_experiment',
    `SELECT 'c' || i AS analysis_id, CASE WHEN i % 2 = 0 THEN 'control' ELSE 'treatment' END AS branch,
       DATE '2024-01-01' + CAST(i % 7 AS INTEGER) AS enrollment_date, 1 AS num_enrollment_events,
       i % 3 = 0 AS heavy, NULL::DATE AS exposure_date, 0 AS num_exposure_events
     FROM range(${N}) t(i)`,
  );
  await write(
    'telemetry',
    'clients_daily',
    `SELECT 'c' || i AS client_id, 'g' || i AS profile_group_id,
       DATE '2024-01-02' + CAST(i % 7 AS INTEGER) AS submission_date, CAST(i % 10 AS DOUBLE) * 0.25 AS active_hours_sum
     FROM range(${N}) t(i)`,
  );
}

const spec: MetricReadSpec = {
  slug: 'bench-experiment',
  analysisUnit: 'client_id',
  startDate: '2024-01-01',
  enrollmentPeriod: 7,
  branches: ['control', 'treatment'],
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
        experimentsColumnType: 'none',
        analysisUnits: ['client_id'],
        friendlyName: null,
        description: null,
      },
    },
  ],
  segments: ['heavy'],
  lastDateOfData: '2024-02-01',
};

async function main(): Promise<void> {
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(`machine: ${cpus().length} cores, load average ${load}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'contrail-bench-'));
  const session = await DuckDbSession.open(dir, { toDuckDbSql, duckDbPrelude });
  try {
    await seed(session, dir);
    await session.syncViews();
    const raw: number[] = [];
    let nulls = 0;
    for (let run = 0; run < RUNS; run += 1) {
      const start = performance.now();
      const result = await session.connection.run('SELECT value FROM bench.doubles');
      const { columns } = await readTypedColumns(result, ['f64']);
      raw.push(performance.now() - start);
      nulls = (columns[0] as Float64Array).filter(Number.isNaN).length;
    }
    console.log(
      `read ${N.toLocaleString('en')} doubles into a Float64Array: median ${median(raw).toFixed(1)} ms ` +
        `(runs: ${raw.map((t) => t.toFixed(0)).join(', ')} ms; ${nulls} NULL → NaN)`,
    );
    const warehouse = await createDuckDbWarehouse({ dir });
    const metric: number[] = [];
    let clients = 0;
    for (let run = 0; run < RUNS; run += 1) {
      const start = performance.now();
      clients = (await warehouse.readMetric(spec)).clients;
      metric.push(performance.now() - start);
    }
    await warehouse.close();
    console.log(
      `readMetric over ${clients.toLocaleString('en')} enrolled clients (join + aggregate + typed read): ` +
        `median ${median(metric).toFixed(1)} ms (runs: ${metric.map((t) => t.toFixed(0)).join(', ')} ms)`,
    );
  } finally {
    await session.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

// npm run bench:storage-read — reading a metrics table from BigQuery into typed arrays: the Storage
// Read API (gRPC, Arrow record batches) against REST result pages (JSON), both against the local
// fake (tests/helpers/fake-bigquery), which runs in a child process (bench/storage-read-fake.ts):
// CPU figures are this process's, the client's.
//   5,000,000 rows × 3 FLOAT64 columns (1 % NULL) through Warehouse.readColumns into Float64Arrays
//   (target ≤ 1.5 s, median of 3 after a warm-up); the REST path on the same rows beside it.
// The fake builds each session's Arrow batches once (storageSettings.reuseSnapshots), so the
// timed reads measure the client path: gRPC transfer, protobuf decoding, Arrow decoding, copies.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { createBigQueryContext } from '../src/warehouse/bigquery/bigquery-context.js';
import { readBigQueryColumnsRest } from '../src/warehouse/bigquery/bigquery-query-table.js';
import { createBigQueryWarehouse } from '../src/warehouse/bigquery/bigquery-warehouse.js';
import { bigQueryTableNamer } from '../src/warehouse/sql/table-namer.js';
import type { ColumnRead, TypedColumns } from '../src/warehouse/warehouse.js';
import {
  FAKE_PROJECT,
  fakeWarehouseOptions,
} from '../tests/integration/warehouse/bigquery/bigquery-test-subject.js';

process.env.METADATA_SERVER_DETECTION = 'none';

const N = Number(process.env.BENCH_ROWS ?? 5_000_000);
const RUNS = 3;
const TABLE = 'metrics_bench';
const COLUMNS: readonly ColumnRead[] = ['a', 'b', 'c'].map((name) => ({ name, kind: 'f64' }));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Wall and process CPU seconds of `task`. */
async function timed<T>(task: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await task();
  const used = process.cpuUsage(cpu);
  return {
    value,
    wall: (performance.now() - started) / 1000,
    cpu: (used.user + used.system) / 1e6,
  };
}

function checksum(read: TypedColumns): string {
  let sum = 0;
  let nans = 0;
  for (const column of read.columns) {
    for (const v of column) {
      if (Number.isNaN(v)) nans += 1;
      else sum += v;
    }
  }
  return `${read.rows} rows, sum ${sum.toFixed(3)}, ${nans} NaN`;
}

/** Starts the fake in a child process; resolves with its endpoints and a stop function. */
async function startFakeProcess(): Promise<{
  url: string;
  storageEndpoint: string;
  stop: () => Promise<void>;
}> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/storage-read-fake.ts', TABLE, String(N)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const endpoints = JSON.parse(line) as { url: string; storageEndpoint: string };
  return {
    ...endpoints,
    stop: async () => {
      child.stdin.end();
      await once(child, 'exit');
    },
  };
}

const fake = await startFakeProcess();
const options = {
  ...fakeWarehouseOptions(fake.url, 'results', fake.storageEndpoint),
  autoRetry: true, // a page parsed for longer than the fake's keep-alive may meet a closed socket
};
const warehouse = await createBigQueryWarehouse(options);

console.log(
  `${N.toLocaleString('en')} rows × 3 FLOAT64, ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)}`,
);
const warm = await timed(() => warehouse.readColumns(TABLE, COLUMNS));
console.log(
  `storage read warm-up (loads the client, the fake builds the Arrow batches): ${warm.wall.toFixed(2)} s — ${checksum(warm.value)}`,
);
const storage: { wall: number; cpu: number }[] = [];
for (let run = 0; run < RUNS; run += 1) {
  const result = await timed(() => warehouse.readColumns(TABLE, COLUMNS));
  storage.push({ wall: result.wall, cpu: result.cpu }); // the arrays themselves are dropped
  console.log(
    `  storage read run ${run + 1}: ${result.wall.toFixed(3)} s wall, ${result.cpu.toFixed(2)} s CPU — ${checksum(result.value)}`,
  );
}
const storageWall = median(storage.map((r) => r.wall));
const storageCpu = median(storage.map((r) => r.cpu));
console.log(
  `Storage Read API: median ${storageWall.toFixed(3)} s wall (target ≤ 1.5 s), ${storageCpu.toFixed(2)} s CPU, ${(N / storageWall / 1e6).toFixed(2)} M rows/s`,
);

const context = createBigQueryContext(options);
const tables = bigQueryTableNamer({ resultProject: FAKE_PROJECT, resultDataset: 'results' });
const rest = await timed(() => readBigQueryColumnsRest(context, tables, TABLE, COLUMNS));
console.log(
  `REST result pages (JSON), one run: ${rest.wall.toFixed(2)} s wall, ${rest.cpu.toFixed(2)} s CPU — ${checksum(rest.value)}`,
);
console.log(
  `REST / Storage Read: ${(rest.wall / storageWall).toFixed(1)}× wall, ${(rest.cpu / storageCpu).toFixed(1)}× CPU`,
);

await warehouse.close();
await fake.stop();

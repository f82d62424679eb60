// The fake BigQuery (REST + Storage Read) for bench/storage-read.ts, in its own process so the
// benchmark's CPU figures are the client's alone. Creates results.<table> with N rows × 3 FLOAT64
// (1 % NULL in the first), prints {"url", "storageEndpoint"} as one JSON line, and stops when
// stdin closes.
import { startFakeBigQuery } from '../tests/helpers/fake-bigquery/index.js';

const [table = 'metrics_bench', rows = '5000000'] = process.argv.slice(2);
const fake = await startFakeBigQuery();
await fake.sql(`CREATE SCHEMA results; CREATE TABLE results.${table} AS
  SELECT CASE WHEN i % 100 = 0 THEN NULL ELSE i * 0.5 END::DOUBLE AS a,
         (i % 977)::DOUBLE / 7 AS b, sqrt(i::DOUBLE) AS c
  FROM range(${Number(rows)}) t(i)`);
fake.storageSettings.reuseSnapshots = true;
process.stdout.write(
  `${JSON.stringify({ url: fake.url, storageEndpoint: fake.storageEndpoint })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => {
  void fake.stop().then(() => process.exit(0));
});

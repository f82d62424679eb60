import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { safeIdentifier } from '../../analysis/sql-identifier.js';
import type { JobContext, QueryTableResult, QueryTableSpec } from '../warehouse.js';
import { removeIfPresent } from './commit-file.js';
import { lastUpdatedLabel, type DuckDbContext } from './duckdb-context.js';
import { toDuckDbStatement } from './duckdb-dialect.js';
import { writeTableFile } from './parquet-table-file.js';
import { readQueryProfile } from './query-profile.js';
import { pathLiteral } from './sql-literal.js';
import { RESULTS_DATASET, tableFilePath } from './warehouse-layout.js';

/** A query the embedded warehouse ran, as its `onQuery` observer sees it. */
export interface DuckDbQueryRecord {
  readonly purpose: string;
  /** The BigQuery SQL as built. */
  readonly sql: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Table scans: `dataset.table` of each scanned warehouse table (or the file), rows read. */
  readonly scans: readonly { readonly table: string; readonly rows: number }[];
  readonly bytesRead: number;
  readonly elapsedMs: number;
}

/**
 * Runs `query` with DuckDB's JSON profiling on, so the scans and bytes it read are known.
 * @returns the profile (null when DuckDB wrote none) and the elapsed milliseconds.
 */
export async function profiled<T>(
  context: DuckDbContext,
  run: () => Promise<T>,
): Promise<{ value: T; scans: DuckDbQueryRecord['scans']; bytesRead: number; elapsedMs: number }> {
  const file = path.join(tmpdir(), `contrail-profile-${process.pid}-${randomUUID()}.json`);
  const { session } = context;
  await session.run(`SET enable_profiling = 'json'`, {}, 'enable profiling');
  await session.run(`SET profiling_output = ${pathLiteral(file)}`, {}, 'enable profiling');
  const started = context.now();
  let value: T;
  try {
    value = await run();
  } finally {
    await session.run(`SET enable_profiling = 'no_output'`, {}, 'disable profiling');
    await session.run('RESET profiling_output', {}, 'disable profiling');
  }
  const elapsedMs = context.now() - started;
  const profile = await readQueryProfile(file);
  await removeIfPresent(file);
  const scans = (profile?.scans ?? []).flatMap((scan) =>
    scan.files.map((f) => ({ table: session.tableOfFile(f) ?? f, rows: scan.rows })),
  );
  return { value, scans, bytesRead: profile?.bytesRead ?? 0, elapsedMs };
}

/**
 * {@link Warehouse.createTableFromQuery} on DuckDB: the translated query into a temporary table
 * (profiled: scans and bytes are reported to the observer), then that table → Parquet →
 * atomic rename.
 */
export async function createDuckDbTableFromQuery(
  context: DuckDbContext,
  spec: QueryTableSpec,
  job: JobContext = {},
): Promise<QueryTableResult> {
  const table = safeIdentifier(spec.table, 'table name');
  const file = tableFilePath(context.session.dir, RESULTS_DATASET, table);
  const { session } = context;
  await session.syncViews();
  const statement = toDuckDbStatement(spec.query, context.dialect);
  const temp = `query_table_${randomUUID().replaceAll('-', '')}`;
  const { value: _, ...stats } = await profiled(context, () =>
    session.run(`CREATE TEMP TABLE ${temp} AS ${statement.sql}`, statement.params, spec.purpose),
  );
  try {
    const counted = await session.rows(`SELECT COUNT(*) AS n FROM ${temp}`, {}, spec.purpose);
    const labels = { ...spec.meta.labels, last_updated: lastUpdatedLabel(context.now) };
    await writeTableFile(
      session,
      `SELECT * FROM ${temp}`,
      file,
      { labels, description: spec.meta.description },
      'replace',
    );
    context.onQuery?.({
      purpose: spec.purpose,
      sql: spec.query.sql,
      labels: job.labels ?? {},
      ...stats,
    });
    return {
      rows: Number(counted[0]?.n ?? 0),
      cost: {
        bytesProcessed: stats.bytesRead,
        bytesBilled: 0,
        slotMs: 0,
        elapsedMs: stats.elapsedMs,
      },
    };
  } finally {
    await session.run(`DROP TABLE IF EXISTS ${temp}`, {}, 'drop temporary query table');
  }
}

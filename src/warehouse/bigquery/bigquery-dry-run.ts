import { coerceError } from '../../analysis/coerce-error.js';
import type { SqlQuery } from '../sql/sql-query.js';
import type { DryRunResult } from '../warehouse.js';
import type { BigQueryContext } from './bigquery-context.js';
import { apiFailure, isRetryable, toWarehouseError } from './bigquery-errors.js';

/**
 * {@link Warehouse.dryRun} on BigQuery: a query job with `dryRun: true` (validated and
 * planned, never run or billed). BigQuery's answer to bad SQL is `{ ok: false, error }`.
 * @throws WarehouseQueryError (retryable) when BigQuery gave no answer (5xx, network).
 */
export async function dryRunBigQuery(
  context: BigQueryContext,
  sql: string | SqlQuery,
): Promise<DryRunResult> {
  const query = typeof sql === 'string' ? { sql, params: {} } : sql;
  try {
    const [job] = await context.client.createQueryJob({
      query: query.sql,
      params: { ...query.params },
      dryRun: true,
      useLegacySql: false,
      ...(context.location === undefined ? {} : { location: context.location }),
    });
    const statistics = (job.metadata as { statistics?: { totalBytesProcessed?: unknown } })
      .statistics;
    const bytes = Number(statistics?.totalBytesProcessed ?? 0);
    return { ok: true, bytesProcessed: Number.isFinite(bytes) ? bytes : 0 };
  } catch (e) {
    const error = coerceError(e);
    if (isRetryable(error)) throw toWarehouseError(error, 'dry run');
    return { ok: false, error: apiFailure(error).message };
  }
}

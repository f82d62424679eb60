import { coerceError } from '../../analysis/coerce-error.js';
import type { DryRunResult } from '../warehouse.js';
import type { BigQueryContext } from './bigquery-context.js';
import { apiFailure, isRetryable, toWarehouseError } from './bigquery-errors.js';

/**
 * {@link Warehouse.dryRun} on BigQuery: a query job with `dryRun: true` (validated and
 * planned, never run or billed). BigQuery's answer to bad SQL is `{ ok: false, error }`.
 * @throws WarehouseQueryError (retryable) when BigQuery gave no answer (5xx, network).
 */
export async function dryRunBigQuery(context: BigQueryContext, sql: string): Promise<DryRunResult> {
  try {
    await context.client.createQueryJob({
      query: sql,
      dryRun: true,
      useLegacySql: false,
      ...(context.location === undefined ? {} : { location: context.location }),
    });
    return { ok: true };
  } catch (e) {
    const error = coerceError(e);
    if (isRetryable(error)) throw toWarehouseError(error, 'dry run');
    return { ok: false, error: apiFailure(error).message };
  }
}

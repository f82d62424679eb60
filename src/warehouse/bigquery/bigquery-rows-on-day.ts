import type { RowsOnDay, RowsOnDaySpec } from '../rows-on-day.js';
import { buildRowsOnDayQuery } from '../sql/rows-on-day-query.js';
import type { JobContext } from '../warehouse.js';
import type { BigQueryContext } from './bigquery-context.js';
import { runQuery } from './query-job.js';

/**
 * {@link Warehouse.hasRowsOn} on BigQuery: one small query job (labelled like every job, under
 * the byte cap), whose cost comes from the job's statistics.
 */
export async function bigQueryHasRowsOn(
  context: BigQueryContext,
  spec: RowsOnDaySpec,
  jobContext: JobContext = {},
): Promise<RowsOnDay> {
  const query = buildRowsOnDayQuery(spec);
  const purpose = `rows of ${spec.source.name} on ${spec.date}`;
  const result = await runQuery(context, { ...query, purpose }, jobContext);
  return { hasRows: result.rows.length > 0, cost: result.cost };
}

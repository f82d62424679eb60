import type { RowsOnDaySpec } from '../rows-on-day.js';
import { columnPath } from './column-path.js';
import { dateParam } from './day-offset.js';
import type { SqlQuery } from './sql-query.js';

/**
 * `SELECT 1 ... WHERE <submission date> = @day LIMIT 1` over a data source's `from_expression`:
 * whether the source has any row on one day. The only filter is an equality on the date column,
 * so BigQuery prunes to one partition of a table partitioned by it (and pushes the filter into
 * a `from_expression` subquery), and the only column read is the date: the query bills the
 * date column of one day's partition (BigQuery's 10 MB minimum for small ones).
 * @throws UnsafeIdentifierError for a bad date column name.
 */
export function buildRowsOnDayQuery(spec: RowsOnDaySpec): SqlQuery {
  const date = columnPath('ds', spec.source.submissionDateColumn);
  const sql = `SELECT 1 AS has_rows
FROM ${spec.source.fromExpression} ds
WHERE ${date} = ${dateParam('day')}
LIMIT 1`;
  return { sql, params: { day: spec.date } };
}

import type { RowsOnDay, RowsOnDaySpec } from '../rows-on-day.js';
import { buildRowsOnDayQuery } from '../sql/rows-on-day-query.js';
import type { DuckDbContext } from './duckdb-context.js';
import { toDuckDbStatement } from './duckdb-dialect.js';
import { profiled } from './duckdb-query-table.js';

/**
 * {@link Warehouse.hasRowsOn} on DuckDB: the translated probe, profiled so its cost reports the
 * bytes it read (DuckDB stops at the first matching row group).
 */
export async function duckDbHasRowsOn(
  context: DuckDbContext,
  spec: RowsOnDaySpec,
): Promise<RowsOnDay> {
  const statement = toDuckDbStatement(buildRowsOnDayQuery(spec), context.dialect);
  await context.session.syncViews();
  const purpose = `rows of ${spec.source.name} on ${spec.date}`;
  const { value, bytesRead, elapsedMs } = await profiled(context, () =>
    context.session.rows(statement.sql, statement.params, purpose),
  );
  return {
    hasRows: value.length > 0,
    cost: { bytesProcessed: bytesRead, bytesBilled: 0, slotMs: 0, elapsedMs },
  };
}

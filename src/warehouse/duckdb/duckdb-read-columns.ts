import { safeIdentifier } from '../../analysis/sql-identifier.js';
import type { ColumnRead, TypedColumns } from '../warehouse.js';
import { TableNotFoundError } from '../warehouse-errors.js';
import type { DuckDbContext } from './duckdb-context.js';
import { profiled } from './duckdb-query-table.js';
import { pathLiteral } from './sql-literal.js';
import { readTypedColumns } from './typed-column-reader.js';
import { RESULTS_DATASET, tableFilePath } from './warehouse-layout.js';

const CASTS: Readonly<Record<ColumnRead['kind'], (column: string) => string>> = {
  f64: (c) => `CAST(${c} AS DOUBLE)`,
  u16: (c) => `CAST(${c} AS USMALLINT)`,
  u8: (c) => `CAST(COALESCE(${c}, FALSE) AS UTINYINT)`,
};

/**
 * {@link Warehouse.readColumns} on DuckDB: a projection of the table's pinned Parquet file (only
 * the asked columns are decoded), read chunk by chunk into typed arrays in file order.
 */
export async function readDuckDbColumns(
  context: DuckDbContext,
  table: string,
  columns: readonly ColumnRead[],
): Promise<TypedColumns> {
  const name = safeIdentifier(table, 'table name');
  const selects = columns.map((c) => CASTS[c.kind](`"${safeIdentifier(c.name, 'column name')}"`));
  const file = tableFilePath(context.session.dir, RESULTS_DATASET, name);
  const { session } = context;
  const read = (pinned: string) =>
    session.guard(`reading ${name}`, async () =>
      readTypedColumns(
        await session.connection.run(
          `SELECT ${selects.join(', ')} FROM read_parquet(${pathLiteral(pinned)})`,
        ),
        columns.map((c) => c.kind),
      ),
    );
  const observe = context.onQuery;
  const typed = await session.snapshots.withPinned(file, async (pinned) => {
    if (observe === undefined) return read(pinned);
    // Observed (tests): report what the read scanned, as table-writing queries do.
    const { value, ...stats } = await profiled(context, () => read(pinned));
    observe({ purpose: `reading ${name}`, sql: '', labels: {}, ...stats });
    return value;
  });
  if (typed === null) throw new TableNotFoundError(`no table ${name}`);
  return typed;
}

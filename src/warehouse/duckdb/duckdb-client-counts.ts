import { assertExperimentSlug, safeIdentifier } from '../../analysis/sql-identifier.js';
import { enrollmentsTableName } from '../../analysis/table-names.js';
import type { ClientCount, ClientCountSpec } from '../client-count.js';
import { buildClientCountQuery } from '../sql/client-count-query.js';
import type { DuckDbContext } from './duckdb-context.js';
import { toDuckDbStatement } from './duckdb-dialect.js';
import { RESULTS_DATASET } from './warehouse-layout.js';

/**
 * {@link Warehouse.countClients} on DuckDB: one grouped query over the enrollments table, then
 * zero rows for configured branches nobody enrolled in. No table means every count is 0.
 */
export async function countDuckDbClients(
  context: DuckDbContext,
  spec: ClientCountSpec,
): Promise<ClientCount[]> {
  assertExperimentSlug(spec.slug);
  spec.segments.forEach((segment) => safeIdentifier(segment, 'segment name'));
  await context.session.syncViews();
  const found = new Map<string, number>();
  const branches = [...spec.branches];
  const { query, columns } = buildClientCountQuery(spec, context.tables);
  if (context.session.hasView(RESULTS_DATASET, enrollmentsTableName(spec.slug))) {
    const statement = toDuckDbStatement(query, context.dialect);
    const rows = await context.session.rows(statement.sql, statement.params, 'client counts');
    for (const row of rows) {
      const branch = String(row.branch);
      if (!branches.includes(branch)) branches.push(branch);
      for (const column of columns) {
        found.set(`${column.column}\u0000${branch}`, Number(row[column.column] ?? 0));
      }
    }
  }
  const counts: ClientCount[] = [];
  for (const column of columns) {
    for (const branch of branches) {
      const clients = found.get(`${column.column}\u0000${branch}`) ?? 0;
      counts.push({ basis: column.basis, segment: column.segment, branch, clients });
    }
  }
  return counts;
}

import { assertExperimentSlug, safeIdentifier } from '../../analysis/sql-identifier.js';
import { enrollmentsTableName } from '../../analysis/table-names.js';
import type { ClientCount, ClientCountSpec } from '../client-count.js';
import { buildClientCountQuery } from '../sql/client-count-query.js';
import type { TableNamer } from '../sql/table-namer.js';
import type { BigQueryContext } from './bigquery-context.js';
import { getTableInfo } from './bigquery-table-meta.js';
import { runQuery } from './query-job.js';
import { rowRecords } from './wire-values.js';

/**
 * {@link Warehouse.countClients} on BigQuery: one grouped query over the enrollments table,
 * then zero rows for configured branches nobody enrolled in. No table means every count is 0.
 */
export async function countBigQueryClients(
  context: BigQueryContext,
  tables: TableNamer,
  spec: ClientCountSpec,
): Promise<ClientCount[]> {
  assertExperimentSlug(spec.slug);
  spec.segments.forEach((segment) => safeIdentifier(segment, 'segment name'));
  const { query, columns } = buildClientCountQuery(spec, tables);
  const found = new Map<string, number>();
  const branches = [...spec.branches];
  if ((await getTableInfo(context, enrollmentsTableName(spec.slug))) !== null) {
    const result = await runQuery(context, { ...query, purpose: `client counts of ${spec.slug}` });
    for (const row of rowRecords(result.fields, result.rows)) {
      const branch = row.branch ?? '';
      if (!branches.includes(branch)) branches.push(branch);
      for (const column of columns) {
        found.set(`${column.column}\u0000${branch}`, Number(row[column.column] ?? 0));
      }
    }
  }
  return columns.flatMap((column) =>
    branches.map((branch) => ({
      basis: column.basis,
      segment: column.segment,
      branch,
      clients: found.get(`${column.column}\u0000${branch}`) ?? 0,
    })),
  );
}

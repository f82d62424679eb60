import { coerceError } from '../../analysis/coerce-error.js';
import { enrollmentsTableName } from '../../analysis/table-names.js';
import type { EnrollmentsSpec } from '../enrollments-spec.js';
import { buildEnrollmentsQuery } from '../sql/enrollments-query.js';
import type { TableNamer } from '../sql/table-namer.js';
import type { EnsureEnrollmentsOptions, EnsureEnrollmentsResult } from '../warehouse.js';
import { lastUpdatedLabel, type BigQueryContext } from './bigquery-context.js';
import { isDuplicate } from './bigquery-errors.js';
import { deleteTableIfExists, getTableInfo, patchTableMeta } from './bigquery-table-meta.js';
import { runQueryToTable } from './query-job.js';

/**
 * Write-if-empty `enrollments_<slug>` on BigQuery: a query job into the table with
 * `WRITE_EMPTY`, which BigQuery itself refuses (`duplicate`) when the table has rows — so of
 * several concurrent creators exactly one writes, and the others report the winner's table.
 * An empty table is filled; `recreate` deletes the table first. Then the `last_updated` label
 * and the slug as description are set, as jetstream does.
 */
export async function ensureBigQueryEnrollments(
  context: BigQueryContext,
  tables: TableNamer,
  spec: EnrollmentsSpec,
  options: EnsureEnrollmentsOptions,
): Promise<EnsureEnrollmentsResult> {
  const query = buildEnrollmentsQuery(spec, tables); // validates before any request
  const table = enrollmentsTableName(spec.slug);
  if (options.recreate === true) await deleteTableIfExists(context, table);
  const existing = await getTableInfo(context, table);
  if (existing && existing.rows > 0) return { created: false, clients: existing.rows };
  const purpose = `enrollments query of ${spec.slug}`;
  try {
    await runQueryToTable(
      context,
      { ...query, purpose },
      { table, writeDisposition: 'WRITE_EMPTY' },
    );
  } catch (e) {
    const error = coerceError(e);
    if (!isDuplicate(error)) throw error;
    const winner = await getTableInfo(context, table);
    return { created: false, clients: winner?.rows ?? 0 };
  }
  const info = await patchTableMeta(context, table, {
    labels: { last_updated: lastUpdatedLabel(context.now) },
    description: spec.slug,
  });
  return { created: true, clients: info.rows };
}

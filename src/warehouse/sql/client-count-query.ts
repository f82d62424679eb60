import type { AnalysisBasis } from '../../analysis/analysis-period.js';
import { ANALYSIS_BASES } from '../../analysis/analysis-period.js';
import { assertExperimentSlug } from '../../analysis/sql-identifier.js';
import { enrollmentsTableName } from '../../analysis/table-names.js';
import type { ClientCountSpec } from '../client-count.js';
import { columnName } from './column-path.js';
import type { SqlQuery } from './sql-query.js';
import type { TableNamer } from './table-namer.js';

/** Which (basis, segment) each count column `c_<i>` holds. */
export interface CountColumn {
  readonly column: string;
  readonly basis: AnalysisBasis;
  readonly segment: string;
}

/**
 * Enrolled clients per branch of `enrollments_<slug>`, one `c_<i>` column per (basis, segment),
 * `all` first: enrollments basis counts every client, exposures basis those with an
 * `exposure_date`; segments count rows where the segment column is TRUE.
 * @throws UnsafeIdentifierError for a bad slug or segment name.
 */
export function buildClientCountQuery(
  spec: ClientCountSpec,
  tables: TableNamer,
): { query: SqlQuery; columns: CountColumn[] } {
  assertExperimentSlug(spec.slug);
  const bases = spec.bases ?? ANALYSIS_BASES;
  const segments = ['all', ...spec.segments];
  const columns: CountColumn[] = [];
  const selects: string[] = [];
  for (const basis of bases) {
    for (const segment of segments) {
      const conditions: string[] = [];
      if (segment !== 'all') conditions.push(`e.${columnName(segment, 'segment name')} = TRUE`);
      if (basis === 'exposures') conditions.push('e.exposure_date IS NOT NULL');
      const column = `c_${columns.length}`;
      columns.push({ column, basis, segment });
      selects.push(
        conditions.length === 0
          ? `COUNT(*) AS ${column}`
          : `COUNTIF(${conditions.join(' AND ')}) AS ${column}`,
      );
    }
  }
  const sql = `SELECT
  e.branch,
  ${selects.join(',\n  ')}
FROM ${tables.result(enrollmentsTableName(spec.slug))} e
WHERE e.branch IS NOT NULL
GROUP BY e.branch
ORDER BY e.branch`;
  return { query: { sql, params: {} }, columns };
}

/** Distinct branches of `enrollments_<slug>`, sorted. */
export function buildBranchesQuery(slug: string, tables: TableNamer): SqlQuery {
  const sql = `SELECT DISTINCT e.branch
FROM ${tables.result(enrollmentsTableName(slug))} e
WHERE e.branch IS NOT NULL
ORDER BY e.branch`;
  return { sql, params: {} };
}

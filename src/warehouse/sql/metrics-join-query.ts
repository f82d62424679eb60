import { assertExperimentSlug, safeIdentifier } from '../../analysis/sql-identifier.js';
import { sliceKey, type MetricsTableSpec } from '../metrics-table-spec.js';
import { branchIndexExpression } from './branch-index.js';
import { columnName } from './column-path.js';
import { SLICE_COLUMNS } from './data-source-subquery.js';
import { populationCtes } from './population-ctes.js';
import { usedParams, type SqlQuery } from './sql-query.js';
import type { TableNamer } from './table-namer.js';

/** A part table written for this window, and the columns it holds (after the keys). */
export interface WrittenPart {
  readonly table: string;
  readonly columns: readonly string[];
  /** The table holds every slice of a shared scan (a `contrail_slice` key column). */
  readonly sliced: boolean;
}

/** Column names of the metrics table that no metric may take. */
export const METRICS_TABLE_KEY_COLUMNS = [
  'row_index',
  'analysis_id',
  'branch',
  'branch_index',
  'enrollment_date',
  'exposure_date',
  'num_exposure_events',
  'analysis_window_start',
  'analysis_window_end',
] as const;

/**
 * The query whose result is the window's metrics table: every client of the population with its
 * keys (`row_index`, the position in (analysis_id, branch) order; `branch_index`, the position in
 * `branches`), dates, window bounds and segment BOOLs, LEFT JOINed with each written part on
 * (analysis_id, branch) — and, for a shared scan's table, on this table's slice. Reads only the enrollments table and the parts — no telemetry.
 * @throws UnsafeIdentifierError for a bad name; RangeError when a column name repeats.
 */
export function buildMetricsJoinQuery(
  spec: MetricsTableSpec,
  branches: readonly string[],
  parts: readonly WrittenPart[],
  tables: TableNamer,
): SqlQuery {
  assertExperimentSlug(spec.slug);
  const branch = branchIndexExpression('p.branch', branches);
  const taken = new Set<string>([...METRICS_TABLE_KEY_COLUMNS, ...spec.segments]);
  const selects = [
    'ROW_NUMBER() OVER (ORDER BY p.analysis_id, p.branch) AS row_index',
    'p.analysis_id',
    'p.branch',
    `${branch.sql} AS branch_index`,
    'p.enrollment_date',
    'p.exposure_date',
    'p.num_exposure_events',
    `${Math.trunc(spec.window.start)} AS analysis_window_start`,
    `${Math.trunc(spec.window.end)} AS analysis_window_end`,
    ...spec.segments.map((s) => {
      const name = columnName(s, 'segment name');
      return `COALESCE(p.${name}, FALSE) AS ${name}`;
    }),
  ];
  const joins = parts.map((part, index) => {
    const alias = `part_${index}`;
    for (const column of part.columns) {
      if (taken.has(column)) {
        throw new RangeError(`column ${column} appears twice in the metrics table`);
      }
      taken.add(column);
      selects.push(`${alias}.${columnName(column)}`);
    }
    const table = tables.result(safeIdentifier(part.table, 'table name'));
    const slice = part.sliced ? ` AND ${alias}.${SLICE_COLUMNS.key} = @slice_key` : '';
    return `LEFT JOIN ${table} ${alias} ON ${alias}.analysis_id = p.analysis_id AND ${alias}.branch = p.branch${slice}`;
  });
  const sql = `WITH ${populationCtes(spec, tables).join(',\n')}
SELECT
  ${selects.join(',\n  ')}
FROM population p${joins.map((join) => `\n${join}`).join('')}
ORDER BY p.analysis_id, p.branch`;
  return {
    sql,
    params: usedParams(sql, {
      ...branch.params,
      slug: spec.slug,
      enrollment_start: spec.startDate,
      last_date: spec.lastDateOfData,
      slice_key: sliceKey(spec),
    }),
  };
}

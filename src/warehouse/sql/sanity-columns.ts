import type { DataSource } from '../../config/analysis-config.js';
import { assertExperimentSlug } from '../../analysis/sql-identifier.js';
import { columnName } from './column-path.js';

/**
 * The experiment's branch as a data-source row records it (the `@slug` parameter is the key),
 * per `experiments_column_type`; null for `none`.
 */
export function recordedBranchExpression(source: DataSource, slug: string): string | null {
  switch (source.experimentsColumnType) {
    case 'simple':
      return 'mozfun.map.get_key(ds.experiments, @slug)';
    case 'native':
      return 'mozfun.map.get_key(ds.environment.experiments, @slug).branch';
    case 'glean':
      return 'mozfun.map.get_key(ds.ping_info.experiments, @slug).branch';
    case 'events_stream':
      return `JSON_VALUE(ds.experiments, '$."${assertExperimentSlug(slug)}".branch')`;
    case 'none':
      return null;
  }
}

/** Names of a data source's sanity columns (mozanalysis'), in select order. */
export function sanityColumnNames(source: DataSource): string[] {
  if (source.experimentsColumnType === 'none') return [];
  return [`${source.name}_has_contradictory_branch`, `${source.name}_has_non_enrolled_data`];
}

/**
 * mozanalysis' sanity columns of a data source, as aggregates over a client's rows in the
 * window: `<ds>_has_contradictory_branch` (a row records another branch of the experiment) and
 * `<ds>_has_non_enrolled_data` (a row does not record the experiment; a client without rows
 * counts, as in mozanalysis' LEFT JOIN). None for sources without an experiments column.
 */
export function sanityColumns(source: DataSource, slug: string): string[] {
  const branch = recordedBranchExpression(source, slug);
  if (branch === null) return [];
  const [contradictory = '', nonEnrolled = ''] = sanityColumnNames(source);
  return [
    `COALESCE(LOGICAL_OR(${branch} != e.branch), FALSE) AS ${columnName(contradictory)}`,
    `COALESCE(LOGICAL_OR(${branch} IS NULL), FALSE) AS ${columnName(nonEnrolled)}`,
  ];
}

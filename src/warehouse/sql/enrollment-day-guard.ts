import type { ExperimentsColumnType } from '../../config/analysis-config.js';
import { assertExperimentSlug } from '../../analysis/sql-identifier.js';

/**
 * The SQL test "this data-source row is tagged with the experiment", per the data source's
 * `experiments_column_type` (spec/analysis.md §1.6), or null for `none`. Uses the `@slug`
 * parameter; only the JSON path of `events_stream` embeds the slug, after validation.
 */
export function experimentTagCondition(
  type: ExperimentsColumnType,
  dataSourceAlias: string,
  slug: string,
): string | null {
  const ds = dataSourceAlias;
  switch (type) {
    case 'simple':
      return `mozfun.map.get_key(${ds}.experiments, @slug) IS NOT NULL`;
    case 'native':
      return `mozfun.map.get_key(${ds}.environment.experiments, @slug).branch IS NOT NULL`;
    case 'glean':
      return `mozfun.map.get_key(${ds}.ping_info.experiments, @slug).branch IS NOT NULL`;
    case 'events_stream':
      return `JSON_VALUE(${ds}.experiments, '$."${assertExperimentSlug(slug)}".branch') IS NOT NULL`;
    case 'none':
      return null;
  }
}

/**
 * The enrollment-day guard as a join condition: on the client's enrollment day only rows already
 * tagged with the experiment count (data from before the client enrolled is excluded). Returns
 * `''` for `none`, else `AND (<date> != <enrollment date> OR <tagged>)`.
 */
export function enrollmentDayGuard(
  type: ExperimentsColumnType,
  options: {
    readonly dataSourceAlias: string;
    readonly submissionDate: string;
    readonly enrollmentDate: string;
    readonly slug: string;
  },
): string {
  const tagged = experimentTagCondition(type, options.dataSourceAlias, options.slug);
  if (tagged === null) return '';
  return `AND (${options.submissionDate} != ${options.enrollmentDate} OR ${tagged})`;
}

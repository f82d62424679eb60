import { coerceError } from '../analysis/coerce-error.js';
import type { DataSource, SegmentDataSource } from './analysis-config.js';
import { didYouMean } from './closest-name.js';
import { ConfigError, joinKeyPath, type ConfigProblem } from './config-error.js';
import type { EntryOrigin } from './config-layer.js';
import { dedent } from './dedent.js';
import { definedNames, lastEntry, mergeNamedEntries } from './merge-entries.js';
import { datasetForAppId, defaultAnalysisUnits } from './platforms.js';
import type { ResolutionScope } from './resolution-scope.js';
import { fillSqlPlaceholders, hasSqlPlaceholder } from './sql-placeholders.js';

/**
 * Resolves the data source `name` referenced at `site`: merged over the layers field by field,
 * defaults applied, `from_expression` rendered (with `experiment`) and `{dataset}` filled.
 * @returns null after recording a problem when it is undefined or invalid.
 */
export function resolveDataSource(
  scope: ResolutionScope,
  name: string,
  site: EntryOrigin,
): DataSource | null {
  const cached = scope.cache.dataSources.get(name);
  if (cached !== undefined) return cached;
  const result = mergeNamedEntries(name, 'data_sources', scope.layers, (l) => l.dataSources);
  let resolved: DataSource | null = null;
  if (result.kind === 'broken') scope.problems.addAll(result.problems);
  else if (result.kind === 'missing') {
    const known = definedNames(scope.layers, (l) => l.dataSources);
    scope.problems.add({
      ...site,
      reason: `data source '${name}' is not defined for platform '${scope.platform}'${didYouMean(name, known)}`,
    });
  } else {
    const { fields, origins, origin } = result.entry;
    const fromExpression =
      fields.fromExpression === undefined
        ? missing(scope, origin, name)
        : renderFrom(
            scope,
            fields.fromExpression,
            fields.defaultDataset,
            origins.fromExpression ?? origin,
          );
    if (fromExpression !== null) {
      resolved = {
        name,
        fromExpression,
        clientIdColumn: fields.clientIdColumn ?? 'client_id',
        groupIdColumn: fields.groupIdColumn ?? 'profile_group_id',
        submissionDateColumn: fields.submissionDateColumn ?? 'submission_date',
        experimentsColumnType: fields.experimentsColumnType ?? 'simple',
        analysisUnits: fields.analysisUnits ?? defaultAnalysisUnits(scope.platform),
        friendlyName: fields.friendlyName === undefined ? null : dedent(fields.friendlyName),
        description: fields.description === undefined ? null : dedent(fields.description),
      };
    }
  }
  scope.cache.dataSources.set(name, resolved);
  return resolved;
}

/**
 * Resolves the segment data source `name` (`[segments.data_sources.<name>]`, the highest layer's
 * entry whole), rendering its `from_expression`.
 */
export function resolveSegmentDataSource(
  scope: ResolutionScope,
  name: string,
  site: EntryOrigin,
): SegmentDataSource | null {
  const cached = scope.cache.segmentDataSources.get(name);
  if (cached !== undefined) return cached;
  const result = lastEntry(
    name,
    'segments.data_sources',
    scope.layers,
    (l) => l.segmentDataSources,
  );
  let resolved: SegmentDataSource | null = null;
  if (result.kind === 'broken') scope.problems.addAll(result.problems);
  else if (result.kind === 'missing') {
    const known = definedNames(scope.layers, (l) => l.segmentDataSources);
    scope.problems.add({
      ...site,
      reason: `segment data source '${name}' is not defined for platform '${scope.platform}' ([segments.data_sources.${name}])${didYouMean(name, known)}`,
    });
  } else {
    const { fields, origin } = result.entry;
    const fromExpression =
      fields.fromExpression === undefined
        ? missing(scope, origin, name)
        : renderFrom(scope, fields.fromExpression, fields.defaultDataset, origin);
    if (fromExpression !== null) {
      resolved = {
        name,
        fromExpression,
        clientIdColumn: fields.clientIdColumn ?? 'client_id',
        submissionDateColumn: fields.submissionDateColumn ?? 'submission_date',
        windowStart: fields.windowStart ?? 0,
        windowEnd: fields.windowEnd ?? 0,
      };
    }
  }
  scope.cache.segmentDataSources.set(name, resolved);
  return resolved;
}

function missing(scope: ResolutionScope, origin: EntryOrigin, name: string): null {
  scope.problems.add({ ...origin, reason: `data source '${name}' has no from_expression` });
  return null;
}

/**
 * Renders a from expression: Jinja (with `experiment`), then `{dataset}` from the experiment's
 * app id or the source's `default_dataset` (mozanalysis `from_expr_for`).
 */
export function renderFrom(
  scope: ResolutionScope,
  template: string,
  defaultDataset: string | undefined,
  origin: EntryOrigin,
): string | null {
  const site = { file: origin.file, keyPath: joinKeyPath(origin.keyPath, 'from_expression') };
  const rendered = renderOrReport(scope, template, site);
  if (rendered === null) return null;
  const appId = scope.experiment.appId;
  const dataset = appId !== null && appId !== '' ? datasetForAppId(appId) : defaultDataset;
  if (dataset === undefined && hasSqlPlaceholder(rendered, 'dataset')) {
    scope.problems.add({
      ...site,
      reason: 'uses {dataset} but there is no default_dataset and the experiment has no appId',
    });
    return null;
  }
  return fillSqlPlaceholders(rendered, { dataset });
}

/** Renders a template with the scope's context; records the problem and returns null on error. */
export function renderOrReport(
  scope: ResolutionScope,
  template: string,
  site: ConfigProblem | EntryOrigin,
): string | null {
  try {
    return scope.hub.renderer.render(template, scope.template, site);
  } catch (thrown) {
    const error = coerceError(thrown);
    scope.problems.add(error instanceof ConfigError ? error : { ...site, reason: error.message });
    return null;
  }
}

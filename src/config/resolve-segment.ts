import type { Segment } from './analysis-config.js';
import { didYouMean } from './closest-name.js';
import { joinKeyPath } from './config-error.js';
import type { EntryOrigin } from './config-layer.js';
import { dedent } from './dedent.js';
import { definedNames, lastEntry } from './merge-entries.js';
import { renderOrReport, resolveSegmentDataSource } from './resolve-data-source.js';
import type { ResolutionScope } from './resolution-scope.js';

/**
 * Resolves segment `name` referenced at `site`: the highest layer's `[segments.<name>]` whole,
 * its select expression rendered and its segment data source resolved.
 * @returns null after recording a problem.
 */
export function resolveSegment(
  scope: ResolutionScope,
  name: string,
  site: EntryOrigin,
): Segment | null {
  const cached = scope.cache.segments.get(name);
  if (cached !== undefined) return cached;
  const result = lastEntry(name, 'segments', scope.layers, (l) => l.segments);
  let resolved: Segment | null = null;
  if (result.kind === 'broken') scope.problems.addAll(result.problems);
  else if (result.kind === 'missing') {
    const known = definedNames(scope.layers, (l) => l.segments);
    scope.problems.add({
      ...site,
      reason: `segment '${name}' is not defined for platform '${scope.platform}'${didYouMean(name, known)}`,
    });
  } else {
    const { fields, origin } = result.entry;
    if (fields.selectExpression === undefined || fields.dataSource === undefined) {
      const what = fields.selectExpression === undefined ? 'select_expression' : 'data_source';
      scope.problems.add({ ...origin, reason: `segment '${name}' has no ${what}` });
    } else {
      const dataSource = resolveSegmentDataSource(scope, fields.dataSource, {
        file: origin.file,
        keyPath: joinKeyPath(origin.keyPath, 'data_source'),
      });
      const selectExpression = renderOrReport(scope, fields.selectExpression, {
        file: origin.file,
        keyPath: joinKeyPath(origin.keyPath, 'select_expression'),
      });
      if (dataSource !== null && selectExpression !== null) {
        resolved = {
          name,
          selectExpression,
          dataSource,
          friendlyName: fields.friendlyName === undefined ? null : dedent(fields.friendlyName),
          description: fields.description === undefined ? null : dedent(fields.description),
        };
      }
    }
  }
  scope.cache.segments.set(name, resolved);
  return resolved;
}

import { joinKeyPath } from './config-error.js';
import type { ConfigLayer, EntryOrigin } from './config-layer.js';
import { isGlobPattern } from './glob-pattern.js';
import type { LoadedMetricHubFile, MetricHub } from './metric-hub.js';
import { renderFrom, renderOrReport } from './resolve-data-source.js';
import { createResolutionScope, type ResolutionScope } from './resolution-scope.js';
import { fillSqlPlaceholders } from './sql-placeholders.js';
import { stubExperiment } from './stub-experiment.js';

/** One rendered SQL fragment of a metric-hub folder. */
export interface RenderedExpression {
  readonly file: string;
  /** Key path of the template, e.g. `metrics.active_hours.select_expression`. */
  readonly key: string;
  /** `select`: an aggregate or boolean expression; `from`: a table name or sub-select. */
  readonly kind: 'select' | 'from';
  readonly sql: string;
}

/**
 * Every SQL expression written in the hub's files, rendered: metric, segment and exposure-signal
 * select expressions, data-source and segment-data-source from expressions, and custom
 * enrollment queries (as `from`). Templates are rendered for a stub experiment of the file's
 * platform (`{experiment_slug}` → its slug, `{dataset}` → the source's `default_dataset`);
 * outcome parameters take their defaults. Expressions that fail to render are left out
 * (`validateMetricHub` reports them).
 */
export function listRenderedExpressions(hub: MetricHub): RenderedExpression[] {
  const expressions: RenderedExpression[] = [];
  for (const file of hub.files) {
    if (file.layer === null) continue;
    const scope = scopeFor(hub, file, file.layer);
    collectLayer(scope, file.layer, expressions);
  }
  return expressions;
}

function scopeFor(hub: MetricHub, file: LoadedMetricHubFile, layer: ConfigLayer): ResolutionScope {
  const role = file.role;
  const platform =
    role.kind === 'definitions' || role.kind === 'outcome'
      ? role.platform
      : role.kind === 'defaults'
        ? role.name
        : 'firefox_desktop';
  const outcomes = role.kind === 'outcome' ? [role.slug] : [];
  const slug = role.kind === 'experiment' ? role.slug : 'dummy-experiment';
  const experiment = stubExperiment(slug, platform, layer.experiment?.fields ?? {}, outcomes);
  return createResolutionScope(hub, experiment, role.kind === 'experiment' ? layer : null);
}

function collectLayer(scope: ResolutionScope, layer: ConfigLayer, out: RenderedExpression[]): void {
  const select = (template: string | undefined, origin: EntryOrigin): void => {
    if (template === undefined) return;
    const key = joinKeyPath(origin.keyPath, 'select_expression');
    const sql = renderOrReport(scope, template, { file: origin.file, keyPath: key });
    if (sql === null) return;
    const filled = fillSqlPlaceholders(sql, { experiment_slug: scope.experiment.slug });
    out.push({ file: origin.file, key, kind: 'select', sql: filled });
  };
  const from = (
    template: string | undefined,
    dataset: string | undefined,
    origin: EntryOrigin,
  ): void => {
    if (template === undefined) return;
    const sql = renderFrom(scope, template, dataset, origin);
    const key = joinKeyPath(origin.keyPath, 'from_expression');
    if (sql !== null) out.push({ file: origin.file, key, kind: 'from', sql });
  };
  for (const [name, entry] of layer.metrics) {
    if (!isGlobPattern(name)) select(entry.fields.selectExpression, entry.origin);
  }
  for (const { fields, origin } of layer.dataSources.values()) {
    from(fields.fromExpression, fields.defaultDataset, origin);
  }
  for (const entry of layer.segments.values()) select(entry.fields.selectExpression, entry.origin);
  for (const { fields, origin } of layer.segmentDataSources.values()) {
    from(fields.fromExpression, fields.defaultDataset, origin);
  }
  collectExperiment(scope, layer, select, out);
}

function collectExperiment(
  scope: ResolutionScope,
  layer: ConfigLayer,
  select: (template: string | undefined, origin: EntryOrigin) => void,
  out: RenderedExpression[],
): void {
  const fields = layer.experiment?.fields;
  if (fields === undefined) return;
  const signal = fields.exposureSignal;
  if (signal !== undefined) {
    select(signal.selectExpression, { file: layer.file, keyPath: 'experiment.exposure_signal' });
  }
  if (fields.enrollmentQuery === undefined) return;
  const key = 'experiment.enrollment_query';
  const sql = renderOrReport(scope, fields.enrollmentQuery, { file: layer.file, keyPath: key });
  if (sql !== null) out.push({ file: layer.file, key, kind: 'from', sql });
}

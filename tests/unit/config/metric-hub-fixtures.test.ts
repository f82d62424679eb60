import { beforeAll, describe, expect, it } from 'vitest';

import type { AnalysisConfig, MetricSummary } from '../../../src/config/analysis-config.js';
import { listRenderedExpressions } from '../../../src/config/list-rendered-expressions.js';
import type { MetricHub, MetricHubFile } from '../../../src/config/metric-hub.js';
import {
  resolveAnalysisConfig,
  tryResolveAnalysisConfig,
} from '../../../src/config/resolve-analysis-config.js';
import { stubExperiment } from '../../../src/config/stub-experiment.js';
import { validateMetricHub } from '../../../src/config/validate-metric-hub.js';
import { experiment, fixtureHub, fixtureHubFiles } from './metric-hub-fixture.js';

let hub: MetricHub;
let files: MetricHubFile[];

beforeAll(async () => {
  files = await fixtureHubFiles();
  hub = await fixtureHub();
});

function summary(
  config: AnalysisConfig,
  period: keyof AnalysisConfig['periods'],
  name: string,
): MetricSummary | undefined {
  return config.periods[period]?.find((s) => s.metric.name === name);
}

function metricNames(config: AnalysisConfig, period: keyof AnalysisConfig['periods']): string[] {
  return (config.periods[period] ?? []).map((s) => s.metric.name);
}

describe('the shared metric-hub fixtures', () => {
  it('loads every TOML file without a problem', () => {
    expect(files).toHaveLength(113);
    expect(hub.problems.map(String)).toEqual([]);
    const kinds = hub.files.reduce<Record<string, number>>(
      (acc, f) => ({ ...acc, [f.role.kind]: (acc[f.role.kind] ?? 0) + 1 }),
      {},
    );
    expect(kinds).toEqual({
      functions: 2,
      definitions: 18,
      defaults: 10,
      outcome: 43,
      experiment: 40,
    });
    expect(Object.keys(hub.functions).sort()).toEqual([
      'agg_any',
      'agg_hist_zero_fract',
      'agg_histogram_mean',
      'agg_histogram_mean_glean',
      'agg_sum',
    ]);
  });

  it('validates every file, each experiment config resolving against its platform', () => {
    const reports = validateMetricHub(hub);
    expect(reports).toHaveLength(113);
    expect(reports.flatMap((r) => r.problems.map(String))).toEqual([]);
    const platforms = reports
      .filter((r) => /^jetstream\/[^/]+\.toml$/.test(r.file))
      .map((r) => r.platform);
    expect(platforms.filter((p) => p === 'firefox_desktop')).toHaveLength(31);
    expect(platforms.filter((p) => p === 'fenix')).toHaveLength(5);
    expect(platforms.filter((p) => p === 'firefox_ios')).toHaveLength(4);
  });

  it('warns about the override key that jetstream silently ignores', () => {
    const warning = hub.warnings.find((w) => w.keyPath === 'experiment.enrollments_query');
    expect(warning?.file).toBe('jetstream/abouthome-startup-cache-5.toml');
    expect(warning?.reason).toContain("did you mean 'enrollment_query'");
  });

  it('resolves the desktop defaults with rendered SQL and parsed statistics', () => {
    const config = resolveAnalysisConfig(hub, experiment(), { layer: null });
    expect(Object.keys(config.periods)).toEqual([
      'day',
      'week',
      'overall',
      'preenrollment_week',
      'preenrollment_days28',
    ]);
    const activeHours = summary(config, 'week', 'active_hours');
    expect(activeHours?.metric.selectExpression).toBe('COALESCE(SUM(active_hours_sum), 0)');
    expect(activeHours?.metric.dataSource?.fromExpression).toBe('mozdata.telemetry.clients_daily');
    expect(activeHours?.metric.dataSource?.analysisUnits).toEqual([
      'client_id',
      'profile_group_id',
    ]);
    expect(activeHours?.statistics.map((s) => s.name)).toEqual(['linear_model_mean', 'deciles']);
    expect(activeHours?.statistics[0]?.params).toEqual({
      drop_highest: 0.005,
      confidence_interval: 0.95,
      covariate_adjustment: { period: 'preenrollment_week' },
    });
    const dau = summary(config, 'week', 'client_level_daily_active_users_v2');
    expect(dau?.statistics[0]?.preTreatments.map((p) => p.name)).toEqual([
      'normalize_over_analysis_period',
    ]);
    expect(config.sources).toEqual([
      'definitions/firefox_desktop.toml',
      'jetstream/definitions/firefox_desktop.toml',
      'jetstream/defaults/firefox_desktop.toml',
    ]);
  });

  it('renders triple-quoted Jinja arguments and fills {experiment_slug}', () => {
    const config = resolveAnalysisConfig(hub, experiment({ slug: 'my-slug' }), { layer: null });
    const unenroll = summary(config, 'day', 'unenroll')?.metric;
    expect(unenroll?.selectExpression).toMatch(
      /^COALESCE\(LOGICAL_OR\(\s+event_category = 'normandy'/,
    );
    expect(unenroll?.selectExpression).toContain("event_string_value = 'my-slug'");
    expect(unenroll?.selectExpression?.trimEnd()).toMatch(/\), FALSE\)$/);
    expect(unenroll?.biggerIsBetter).toBe(false);
    expect(unenroll?.dataSource?.experimentsColumnType).toBe('native');
  });

  it('concatenates period lists and adds outcome metrics to weekly and overall only', () => {
    const slug = 'windows-10-end-of-support-infobar-zh-cn-rerun';
    const config = resolveAnalysisConfig(hub, stubExperiment(slug, 'firefox_desktop'));
    expect(config.experiment.outcomes).toEqual(['firefox_backup', 'firefox_sync']);
    expect(config.outcomes.map((o) => o.slug)).toEqual(['firefox_backup', 'firefox_sync']);
    const backupMetrics = config.outcomes[0]?.metrics ?? [];
    expect(backupMetrics.length).toBeGreaterThan(0);
    for (const name of backupMetrics) {
      expect(metricNames(config, 'week')).toContain(name);
      expect(metricNames(config, 'overall')).toContain(name);
      expect(metricNames(config, 'day')).not.toContain(name);
    }
    // The defaults' lists come first, the override's are appended.
    expect(metricNames(config, 'week').slice(0, 2)).toEqual(['active_hours', 'ad_clicks']);
    expect(config.sources).toContain(`jetstream/${slug}.toml`);
  });

  it('formats a per-branch outcome parameter as a CASE on the branch', () => {
    const config = resolveAnalysisConfig(hub, experiment({ outcomes: ['spotlight_engagement'] }), {
      layer: null,
    });
    const impressions = summary(config, 'overall', 'spotlight_impressions')?.metric;
    expect(impressions?.selectExpression).toBe(
      `COUNTIF(event = 'IMPRESSION' AND message_id = 'CASE e.branch WHEN "test-branch" THEN "test-message-id" END')`,
    );
    const override = {
      path: 'my-spotlight.toml',
      text: '[parameters.message_id]\nvalue = { control = "msg-a", treatment = "msg-b" }\n',
    };
    const custom = resolveAnalysisConfig(
      hub,
      experiment({ outcomes: ['spotlight_engagement'] }),
      override,
    );
    expect(summary(custom, 'week', 'spotlight_clicks')?.metric.selectExpression).toBe(
      `COUNTIF(event = 'CLICK' AND message_id = 'CASE e.branch WHEN "test-branch" THEN "test-message-id" WHEN "control" THEN "msg-a" WHEN "treatment" THEN "msg-b" END')`,
    );
  });

  it('applies a glob override to every matching metric', () => {
    const override = {
      path: 'glob.toml',
      text: '[metrics."*search_count".statistics.sum]\n[metrics."ad_click?".statistics.count]\n',
    };
    const config = resolveAnalysisConfig(hub, experiment(), override);
    expect(summary(config, 'overall', 'search_count')?.statistics.map((s) => s.name)).toEqual([
      'sum',
    ]);
    expect(
      summary(config, 'overall', 'organic_search_count')?.statistics.map((s) => s.name),
    ).toEqual(['sum']);
    expect(
      summary(config, 'overall', 'tagged_search_count')?.statistics.map((s) => s.name),
    ).toEqual(['sum']);
    expect(summary(config, 'overall', 'ad_clicks')?.statistics.map((s) => s.name)).toEqual([
      'count',
    ]);
    expect(summary(config, 'overall', 'active_hours')?.statistics.map((s) => s.name)).toEqual([
      'linear_model_mean',
      'deciles',
    ]);
  });

  it('renders enrollment queries and data sources with the experiment context', () => {
    const slug = 'mr2022-backgroundtaskmessage-notification-release-1pct';
    const result = tryResolveAnalysisConfig(
      hub,
      stubExperiment(slug, 'firefox_desktop', { startDate: '2022-11-01' }),
    );
    expect(result.problems.map(String)).toEqual([]);
    const query = result.config?.experiment.enrollmentQuery ?? '';
    expect(query).not.toContain('{{');
    expect(query).toContain(`experiment.key = '${slug}'`);
    const fenix = resolveAnalysisConfig(hub, stubExperiment('fenix-push', 'fenix'), {
      path: 'push.toml',
      text: '[metrics]\nweekly = ["notification_shown"]\n[metrics.notification_shown.statistics.binomial]\n',
    });
    const source = summary(fenix, 'week', 'notification_shown')?.metric.dataSource;
    expect(source?.fromExpression).toContain(
      "WHEN 'fenix-push' = 'all-users-day-5-reengagement-push'",
    );
    expect(source?.analysisUnits).toEqual(['client_id']);
  });

  it('lists every rendered select and from expression of the folder', () => {
    const expressions = listRenderedExpressions(hub);
    expect(expressions).toHaveLength(countExpressionKeys(files));
    // Only one expression keeps `{{`: a SQL comment inside a string argument, which Jinja
    // does not render either.
    const unrendered = expressions.filter((e) => e.sql.includes('{{'));
    expect(unrendered.map((e) => `${e.file}: ${e.key}`)).toEqual([
      'jetstream/mr2022-backgroundtaskmessage-notification-release-1pct.toml: metrics.notification_clicks.select_expression',
    ]);
    expect(unrendered[0]?.sql).toMatch(
      /^COALESCE\(LOGICAL_OR\(\n\s+event_method = 'system_notification'/,
    );
    const activeHours = expressions.find(
      (e) =>
        e.file === 'definitions/firefox_desktop.toml' &&
        e.key === 'metrics.active_hours.select_expression',
    );
    expect(activeHours).toEqual({
      file: 'definitions/firefox_desktop.toml',
      key: 'metrics.active_hours.select_expression',
      kind: 'select',
      sql: 'COALESCE(SUM(active_hours_sum), 0)',
    });
    const glean = expressions.find(
      (e) =>
        e.kind === 'from' &&
        e.file === 'definitions/fenix.toml' &&
        e.key === 'data_sources.baseline.from_expression',
    );
    expect(glean?.sql).not.toContain('{dataset}');
  });
});

/** select/from/enrollment-query keys in the raw text, outside [dimensions] tables. */
function countExpressionKeys(hubFiles: readonly MetricHubFile[]): number {
  let count = 0;
  for (const file of hubFiles) {
    if (file.path.endsWith('functions.toml')) continue;
    let table = '';
    for (const line of file.text.split('\n')) {
      const header = /^\s*\[([^\]]+)\]/.exec(line);
      if (header) table = header[1] ?? '';
      else if (
        !table.startsWith('dimensions') &&
        /^\s*(select_expression|from_expression|enrollment_query)\s*=/.test(line)
      ) {
        count += 1;
      }
    }
  }
  return count;
}

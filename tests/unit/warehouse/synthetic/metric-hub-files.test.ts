import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';

import type { MetricSummary } from '../../../../src/config/analysis-config.js';
import { loadMetricHub } from '../../../../src/config/metric-hub.js';
import { tryResolveAnalysisConfig } from '../../../../src/config/resolve-analysis-config.js';
import { parseExperiments } from '../../../../src/experiments/parse-experiments.js';
import { toExperimenterJson } from '../../../../src/warehouse/synthetic/experimenter-json.js';
import { metricHubFiles } from '../../../../src/warehouse/synthetic/metric-hub-files.js';
import { resolveSeedOptions } from '../../../../src/warehouse/synthetic/seed-options.js';
import { planSeed } from '../../../../src/warehouse/synthetic/seed-plan.js';
import { TRUE_EFFECT_METRICS } from '../../../../src/warehouse/synthetic/true-effect-metrics.js';

const plan = planSeed(resolveSeedOptions({ dir: 'unused' }));
const files = metricHubFiles(plan.experiments);
const hub = loadMetricHub(Object.entries(files).map(([path, text]) => ({ path, text })));
const { experiments } = parseExperiments(
  plan.experiments.map(toExperimenterJson),
  plan.options.demoDate,
);

function resolved(slug: string) {
  const experiment = experiments.find((e) => e.slug === slug);
  if (!experiment) throw new Error(`no experiment ${slug}`);
  return tryResolveAnalysisConfig(hub, experiment);
}

function allSummaries(slug: string): MetricSummary[] {
  const config = resolved(slug).config;
  return Object.values(config?.periods ?? {}).flat();
}

describe('generated metric-hub folder', () => {
  it('parses as TOML, file by file', () => {
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        'definitions/functions.toml',
        'definitions/firefox_desktop.toml',
        'definitions/fenix.toml',
        'jetstream/defaults/firefox_desktop.toml',
        'jetstream/defaults/fenix.toml',
      ]),
    );
    for (const [path, text] of Object.entries(files)) {
      expect(() => parse(text), path).not.toThrow();
    }
  });

  it('loads with the config layer without problems or warnings', () => {
    expect(hub.problems.map((p) => p.message)).toEqual([]);
    expect(hub.warnings).toEqual([]);
  });

  it('resolves every generated experiment', () => {
    expect(experiments).toHaveLength(plan.experiments.length);
    for (const experiment of experiments) {
      const result = tryResolveAnalysisConfig(hub, experiment);
      expect(
        result.problems.map((p) => p.message),
        experiment.slug,
      ).toEqual([]);
      expect(result.config?.platform).toBe(experiment.appName);
    }
  });

  it('has per-experiment overrides of each kind', () => {
    const overrides = Object.keys(files).filter((p) => /^jetstream\/[^/]+\.toml$/.test(p));
    expect(overrides.length).toBeGreaterThanOrEqual(4);
    expect(resolved('aa-validation').config?.experiment.enrollmentPeriod).toBe(7);
    expect(
      resolved('new-tab-layout-v2')
        .config?.segments.map((s) => s.name)
        .sort(),
    ).toEqual(['regular_users_v3', 'us']);
    const signal = resolved('sidebar-tools-exposure').config?.experiment.exposureSignal;
    expect(signal?.dataSource.name).toBe('clients_daily');
    expect(signal?.windowEnd).toBe('analysis_window_end');
    const custom = allSummaries('new-tab-layout-v2').find(
      (s) => s.metric.name === 'days_in_experiment',
    );
    expect(custom?.metric.selectExpression).toContain(
      "mozfun.map.get_key(experiments, 'new-tab-layout-v2')",
    );
  });

  it('uses every statistic the brief asks for', () => {
    const statistics = new Set(
      [...allSummaries('search-bar-three-way'), ...allSummaries('new-tab-layout-v2')].flatMap((s) =>
        s.statistics.map((st) => st.name),
      ),
    );
    for (const name of [
      'bootstrap_mean',
      'binomial',
      'deciles',
      'linear_model_mean',
      'count',
      'sum',
      'population_ratio',
    ]) {
      expect(statistics, name).toContain(name);
    }
    const lm = allSummaries('new-tab-layout-v2')
      .find((s) => s.metric.name === 'active_hours')
      ?.statistics.find((st) => st.name === 'linear_model_mean');
    expect(JSON.stringify(lm)).toContain('preenrollment_week');
  });

  it('renders metric-hub SQL (helpers expanded, BigQuery functions kept)', () => {
    const expressions = allSummaries('search-bar-three-way').map(
      (s) => s.metric.selectExpression ?? '',
    );
    const all = expressions.join('\n');
    expect(all).toContain('COALESCE(SUM(sap), 0)');
    expect(all).toContain('SAFE_DIVIDE(');
    expect(all).toContain('COUNTIF(');
    expect(all).toContain('LOGICAL_OR(');
    expect(all).not.toContain('{{');
  });

  it('defines every metric the manifest states a true effect for', () => {
    for (const metric of TRUE_EFFECT_METRICS) {
      const slug =
        metric.onlyFor?.[0] ??
        (metric.platform === 'fenix' ? 'fenix-homescreen-cards' : 'new-tab-layout-v2');
      const names = allSummaries(slug).map((s) => s.metric.name);
      expect(names, `${metric.name} in ${slug}`).toContain(metric.name);
    }
  });
});

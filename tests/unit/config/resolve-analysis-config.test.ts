import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../../src/config/config-error.js';
import type { MetricHub } from '../../../src/config/metric-hub.js';
import {
  resolveAnalysisConfig,
  tryResolveAnalysisConfig,
} from '../../../src/config/resolve-analysis-config.js';
import { experiment, hubFrom } from './metric-hub-fixture.js';

const DEFINITIONS = `
[metrics.m1]
select_expression = '{{agg_sum("a")}}'
data_source = "ds1"
friendly_name = "M1"
description = """
    First metric.
      Indented.
"""
category = "usage"

[metrics.m2]
select_expression = "COUNT(*)"
data_source = "ds2"
analysis_units = ["profile_group_id"]

[metrics.m3]
select_expression = "SUM(b)"
data_source = "ds2"
bigger_is_better = false
analysis_units = ["client_id"]

[metrics.ratio]
depends_on = ["m1", "m3"]

[metrics.ratio.statistics.population_ratio]
numerator = "m1"
denominator = "m3"

[data_sources.ds1]
from_expression = "db.t1"
experiments_column_type = "NONE"

[data_sources.ds2]
from_expression = "db.{dataset}.t2"
default_dataset = "fallback"
client_id_column = "client_info.client_id"
analysis_units = ["client_id"]

[segments.seg1]
select_expression = '{{agg_any("x")}}'
data_source = "sds"

[segments.data_sources.sds]
from_expression = "db.s"
window_start = -7
`;

const DEFAULTS = `
[experiment]
enrollment_period = 14
reference_branch = "control"

[metrics]
weekly = ["m1"]
overall = ["m1"]
28_day = ["m1"]

[metrics.m1.statistics.bootstrap_mean]
`;

const OVERRIDE = `
[experiment]
segments = ["seg1"]
reference_branch = "treatment"
enrollment_period = 0
skip = false

[metrics]
weekly = ["m1", "m3"]

[metrics.m1]
friendly_name = "Metric one"

[metrics.m1.statistics.binomial]

[metrics.m3.statistics.sum]
`;

const OUTCOME = `
friendly_name = "Outcome one"
description = "Test outcome"
default_metrics = ["o1"]

[metrics.o1]
select_expression = "COUNT(*)"
data_source = "ds1"
statistics = { count = {} }
`;

function hub(extra: Record<string, string> = {}): MetricHub {
  return hubFrom({
    'definitions/functions.toml': `[functions.agg_sum]\ndefinition = "COALESCE(SUM({select_expr}), 0)"\n[functions.agg_any]\ndefinition = "LOGICAL_OR({select_expr})"\n`,
    'definitions/firefox_desktop.toml': DEFINITIONS,
    'jetstream/defaults/firefox_desktop.toml': DEFAULTS,
    'jetstream/my-exp.toml': OVERRIDE,
    'jetstream/outcomes/firefox_desktop/out1.toml': OUTCOME,
    ...extra,
  });
}

function problemsOf(h: MetricHub, overrideText: string, exp = experiment()): string[] {
  return tryResolveAnalysisConfig(h, exp, { path: 'o.toml', text: overrideText }).problems.map(
    String,
  );
}

describe('resolveAnalysisConfig', () => {
  it('merges defaults and override: lists concatenated, fields merged, statistics replaced', () => {
    const h = hub();
    expect(h.problems.map(String)).toEqual([]);
    const config = resolveAnalysisConfig(h, experiment({ slug: 'my-exp' }));
    const weekly = config.periods.week ?? [];
    expect(weekly.map((s) => s.metric.name)).toEqual(['m1', 'm3']);
    const m1 = weekly[0];
    expect(m1?.statistics.map((s) => s.name)).toEqual(['binomial']);
    expect(m1?.metric).toMatchObject({
      name: 'm1',
      selectExpression: 'COALESCE(SUM(a), 0)',
      friendlyName: 'Metric one',
      description: 'First metric.\n  Indented.\n',
      category: 'usage',
      biggerIsBetter: true,
      analysisBases: ['enrollments', 'exposures'],
      analysisUnits: ['client_id', 'profile_group_id'],
    });
    expect(m1?.metric.dataSource).toEqual({
      name: 'ds1',
      fromExpression: 'db.t1',
      clientIdColumn: 'client_id',
      groupIdColumn: 'profile_group_id',
      submissionDateColumn: 'submission_date',
      experimentsColumnType: 'none',
      analysisUnits: ['client_id', 'profile_group_id'],
      friendlyName: null,
      description: null,
    });
    expect(weekly[1]?.metric.biggerIsBetter).toBe(false);
    expect(config.periods.days28?.map((s) => s.metric.name)).toEqual(['m1']);
    expect(config.periods.day).toBeUndefined();
    expect(config.sources).toEqual([
      'definitions/firefox_desktop.toml',
      'jetstream/defaults/firefox_desktop.toml',
      'jetstream/my-exp.toml',
    ]);
  });

  it('lets a truthy [experiment] value of the override win, and keeps falsy ones from below', () => {
    const config = resolveAnalysisConfig(hub(), experiment({ slug: 'my-exp' }));
    expect(config.experiment).toMatchObject({
      enrollmentPeriod: 14,
      referenceBranch: 'treatment',
      skip: false,
      segments: ['seg1'],
    });
  });

  it('fills {dataset} from the app id, else from default_dataset', () => {
    const fromDefault = resolveAnalysisConfig(hub(), experiment({ slug: 'my-exp' }));
    expect(fromDefault.periods.week?.[1]?.metric.dataSource?.fromExpression).toBe('db.fallback.t2');
    const fromApp = resolveAnalysisConfig(
      hub(),
      experiment({ slug: 'my-exp', appId: 'org.mozilla.firefox' }),
    );
    expect(fromApp.periods.week?.[1]?.metric.dataSource?.fromExpression).toBe(
      'db.org_mozilla_firefox.t2',
    );
  });

  it('merges segments from the config and Experimenter', () => {
    const config = resolveAnalysisConfig(hub(), experiment({ slug: 'my-exp', segments: ['seg1'] }));
    expect(config.segments).toEqual([
      {
        name: 'seg1',
        selectExpression: 'LOGICAL_OR(x)',
        dataSource: {
          name: 'sds',
          fromExpression: 'db.s',
          clientIdColumn: 'client_id',
          submissionDateColumn: 'submission_date',
          windowStart: -7,
          windowEnd: 0,
        },
        friendlyName: null,
        description: null,
      },
    ]);
  });

  it("adds the metrics of Experimenter's outcomes to weekly and overall", () => {
    const config = resolveAnalysisConfig(hub(), experiment({ outcomes: ['out1'] }), {
      layer: null,
    });
    expect(config.periods.week?.map((s) => s.metric.name)).toEqual(['m1', 'o1']);
    expect(config.periods.overall?.map((s) => s.metric.name)).toEqual(['m1', 'o1']);
    expect(config.periods.days28?.map((s) => s.metric.name)).toEqual(['m1']);
    expect(config.outcomes).toEqual([
      {
        slug: 'out1',
        platform: 'firefox_desktop',
        friendlyName: 'Outcome one',
        description: 'Test outcome',
        metrics: ['o1'],
        defaultMetrics: ['o1'],
      },
    ]);
  });

  it('resolves depends_on metrics without a select expression of their own', () => {
    const config = resolveAnalysisConfig(hub(), experiment(), {
      path: 'o.toml',
      text: '[metrics]\noverall = ["ratio"]\n',
    });
    const ratio = config.periods.overall?.find((s) => s.metric.name === 'ratio');
    expect(ratio?.metric).toMatchObject({
      selectExpression: null,
      dataSource: null,
      dependsOn: ['m1', 'm3'],
    });
    expect(ratio?.statistics[0]?.params).toMatchObject({ numerator: 'm1', denominator: 'm3' });
  });

  it('deduplicates summaries per metric and statistic', () => {
    const config = resolveAnalysisConfig(hub(), experiment(), {
      path: 'o.toml',
      text: '[metrics]\nweekly = ["m1", "m1"]\n',
    });
    expect(config.periods.week?.map((s) => s.metric.name)).toEqual(['m1']);
    expect(config.periods.week?.[0]?.statistics.map((s) => s.name)).toEqual(['bootstrap_mean']);
  });

  it('checks that the data source supports the analysis units of the metric', () => {
    expect(problemsOf(hub(), '[metrics]\nweekly = ["m2"]\n[metrics.m2.statistics.sum]\n')).toEqual([
      "definitions/firefox_desktop.toml: metrics.m2.analysis_units: metric 'm2' needs analysis units [profile_group_id] but data source 'ds2' supports [client_id]",
    ]);
  });

  it('collects every problem and names the file and key of each', () => {
    const problems = problemsOf(
      hub(),
      '[experiment]\nsegments = ["nope"]\noutcomes = ["out2"]\n[metrics]\nweekly = ["m1x", "m3"]\n',
    );
    expect(problems).toEqual([
      "o.toml: experiment.outcomes: outcome 'out2' is not defined for platform 'firefox_desktop' (no jetstream/outcomes/firefox_desktop/out2.toml) (did you mean 'out1'?)",
      "o.toml: metrics.weekly: metric 'm1x' is not defined for platform 'firefox_desktop' (did you mean 'm1'?)",
      "o.toml: metrics.weekly: metric 'm3' has no statistics (add [metrics.m3.statistics.<statistic>])",
      "o.toml: experiment.segments: segment 'nope' is not defined for platform 'firefox_desktop'",
    ]);
  });

  it('throws the first problem as a ConfigError', () => {
    let error: unknown;
    try {
      resolveAnalysisConfig(hub(), experiment(), {
        path: 'o.toml',
        text: '[metrics]\nweekly = ["ratio"]\n[metrics.ratio]\ndepends_on = ["gone"]\n',
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({
      name: 'ConfigError',
      file: 'o.toml',
      keyPath: 'metrics.ratio.depends_on',
    });
    expect((error as ConfigError).reason).toBe(
      "metric 'gone' is not defined for platform 'firefox_desktop'",
    );
  });

  it('rejects a private experiment without a dataset and an outcome that chooses periods', () => {
    expect(problemsOf(hub(), '[experiment]\nis_private = true\n')).toEqual([
      'o.toml: experiment.dataset_id: a private experiment (is_private = true) needs a dataset_id',
    ]);
    const h = hub({
      'jetstream/outcomes/firefox_desktop/bad.toml':
        'friendly_name = "b"\ndescription = "b"\n[metrics]\nweekly = ["m1"]\n',
    });
    expect(h.problems.map(String)).toEqual([
      'jetstream/outcomes/firefox_desktop/bad.toml: metrics.weekly: an outcome cannot choose periods: its metrics are analysed weekly and overall',
    ]);
  });

  it('rejects unknown top-level keys and unknown period names', () => {
    expect(problemsOf(hub(), '[metric]\nweekly = ["m1"]\n[metrics]\nweeky = ["m1"]\n')).toEqual([
      "o.toml: metric: unknown top-level key (did you mean 'metrics'?)",
      "o.toml: metrics.weeky: unknown analysis period (did you mean 'weekly'?) (known: daily, weekly, 28_day, days28, overall, preenrollment_weekly, preenrollment_days28)",
    ]);
  });

  it('uses per-platform defaults: client_id only outside desktop', () => {
    const h = hub({
      'definitions/fenix.toml':
        '[metrics.f1]\nselect_expression = "COUNT(*)"\ndata_source = "b"\n[data_sources.b]\nfrom_expression = "fenix.b"\n',
    });
    const config = resolveAnalysisConfig(h, experiment({ appName: 'fenix' }), {
      path: 'o.toml',
      text: '[metrics]\ndaily = ["f1"]\n[metrics.f1.statistics.count]\n',
    });
    expect(config.platform).toBe('fenix');
    expect(config.periods.day?.[0]?.metric.analysisUnits).toEqual(['client_id']);
    expect(config.periods.day?.[0]?.metric.dataSource?.analysisUnits).toEqual(['client_id']);
  });
});

describe('a broken jetstream/<slug>.toml in the hub', () => {
  it('fails the resolution of its experiment instead of being skipped', () => {
    const h = hub({ 'jetstream/broken-exp.toml': '[experiment\nend_date = "2024-01-01"\n' });
    const problems = tryResolveAnalysisConfig(h, experiment({ slug: 'broken-exp' })).problems.map(
      String,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^jetstream\/broken-exp\.toml: line 1, column \d+: TOML syntax error: /,
    );
    expect(tryResolveAnalysisConfig(h, experiment({ slug: 'other-exp' })).problems).toEqual([]);
  });
});

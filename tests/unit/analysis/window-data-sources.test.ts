import { describe, expect, it } from 'vitest';

import type { AnalysisConfig, MetricSummary } from '../../../src/config/analysis-config.js';
import { windowDataSources } from '../../../src/analysis/window-data-sources.js';
import { dataSourceFixture } from '../../helpers/data-source-fixture.js';
import { makeConfig, makeSummary } from '../experiments/experiment-factory.js';

/** Issue 13, case 5: which data sources must have rows before a window is computed. */

const DAILY = dataSourceFixture('clients_daily');
const SEARCH = dataSourceFixture('search_clients_daily');
const EVENTS = dataSourceFixture('events');

function summary(
  name: string,
  source = DAILY,
  params: Record<string, unknown> = {},
): MetricSummary {
  const base = makeSummary(name);
  return {
    metric: { ...base.metric, dataSource: source },
    statistics: [{ name: 'linear_model_mean', params, preTreatments: [] }],
  };
}

function config(periods: AnalysisConfig['periods'], extra: Partial<AnalysisConfig> = {}) {
  return { ...makeConfig('exp', {}), periods, ...extra };
}

const tasks = (...metrics: string[]) =>
  metrics.map((metric) => ({ metric })) as unknown as Parameters<
    typeof windowDataSources
  >[0]['tasks'];

describe('windowDataSources', () => {
  it('lists the data sources of the window’s metrics once each, in config order', () => {
    const periods = {
      week: [summary('a', DAILY), summary('b', SEARCH), summary('c', DAILY), summary('d', EVENTS)],
    };
    const sources = windowDataSources(
      { period: 'week', tasks: tasks('a', 'b', 'c') },
      config(periods),
    );
    expect(sources.map((s) => s.name)).toEqual(['clients_daily', 'search_clients_daily']);
  });

  it('counts the depends_on metrics, the covariates and the exposure signal', () => {
    const ratio: MetricSummary = {
      ...summary('ratio'),
      metric: {
        ...summary('ratio').metric,
        dataSource: null,
        dependsOn: ['num', 'den'],
        dependencies: [summary('num', SEARCH).metric, summary('den', DAILY).metric],
      },
    };
    const adjusted = summary('adjusted', DAILY, {
      covariate_adjustment: { period: 'preenrollment_week', metric: 'pre_events' },
    });
    const periods = {
      week: [ratio, adjusted],
      preenrollment_week: [summary('pre_events', EVENTS)],
    };
    const signal = {
      name: 'exposed',
      selectExpression: 'TRUE',
      dataSource: dataSourceFixture('exposures_source'),
      windowStart: null,
      windowEnd: null,
      friendlyName: null,
      description: null,
    };
    const base = config(periods);
    const withSignal = { ...base, experiment: { ...base.experiment, exposureSignal: signal } };
    const sources = windowDataSources(
      { period: 'week', tasks: tasks('ratio', 'adjusted') },
      withSignal,
    );
    expect(sources.map((s) => s.name)).toEqual([
      'search_clients_daily',
      'clients_daily',
      'events',
      'exposures_source',
    ]);
  });

  it('takes no covariate in a pre-enrollment window and skips unknown metrics', () => {
    const periods = {
      preenrollment_week: [
        summary('pre', DAILY, {
          covariate_adjustment: { period: 'preenrollment_week', metric: 'x' },
        }),
      ],
    };
    const sources = windowDataSources(
      { period: 'preenrollment_week', tasks: tasks('pre', 'not_configured') },
      config(periods),
    );
    expect(sources.map((s) => s.name)).toEqual(['clients_daily']);
  });
});

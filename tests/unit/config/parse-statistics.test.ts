import { describe, expect, it } from 'vitest';

import { formatProblem } from '../../../src/config/config-error.js';
import { parseStatistics } from '../../../src/config/parse-statistics.js';
import { parseTomlFile, type TomlValue } from '../../../src/config/parse-toml-file.js';

function parse(toml: string) {
  const table = parseTomlFile('f.toml', toml);
  const result = parseStatistics('f.toml', 'metrics.m.statistics', table.statistics as TomlValue);
  return { statistics: result.statistics, problems: result.problems.map(formatProblem) };
}

describe('parseStatistics', () => {
  it('applies parameter defaults and keeps pre-treatments in order', () => {
    const { statistics, problems } = parse(`
[statistics.bootstrap_mean]
num_samples = 500
pre_treatments = ["remove_nulls", { name = "censor_highest_values", fraction = 0.99 }, "log"]
[statistics.kernel_density_estimate]
`);
    expect(problems).toEqual([]);
    expect(statistics).toEqual([
      {
        name: 'bootstrap_mean',
        params: { num_samples: 500, drop_highest: 0.005, confidence_interval: 0.95 },
        preTreatments: [
          { name: 'remove_nulls', params: {} },
          { name: 'censor_highest_values', params: { fraction: 0.99 } },
          { name: 'log', params: { base: 10 } },
        ],
      },
      {
        name: 'kernel_density_estimate',
        params: {
          bandwidth: 'scott',
          adjust: 1,
          kernel: 'gaussian',
          grid_size: 256,
          log_space: false,
        },
        preTreatments: [],
      },
    ]);
  });

  it('reports each bad name, parameter and pre-treatment with its key path', () => {
    const { statistics, problems } = parse(`
[statistics.bootstrap_mean]
confidence_intervals = 0.9
[statistics.deciles]
num_samples = 2.5
[statistics.population_ratio]
denominator = "b"
[statistics.binomial]
pre_treatments = [{ name = "censor_values_below_threshold" }, "zerofill"]
[statistics.kernel_density_estimate]
adjust = 2
[statistics.mann_whitney_u]
`);
    expect(statistics).toEqual([]);
    expect(problems).toEqual([
      'f.toml: metrics.m.statistics.bootstrap_mean.confidence_intervals: unknown parameter of bootstrap_mean (known: num_samples, drop_highest, confidence_interval, pre_treatments)',
      'f.toml: metrics.m.statistics.deciles.num_samples: expected integer, got float',
      'f.toml: metrics.m.statistics.population_ratio.numerator: required string is missing',
      'f.toml: metrics.m.statistics.binomial.pre_treatments.0.threshold: required number is missing',
      "f.toml: metrics.m.statistics.binomial.pre_treatments.1: unknown pre-treatment 'zerofill' (did you mean 'zero_fill'?)",
      'f.toml: metrics.m.statistics.kernel_density_estimate.adjust: expected 1',
      "f.toml: metrics.m.statistics.mann_whitney_u: unknown statistic 'mann_whitney_u' (known: bootstrap_mean, binomial, deciles, linear_model_mean, per_client_dau_impact, population_ratio, kernel_density_estimate, empirical_cdf, count, sum)",
    ]);
  });

  it('rejects a statistics value that is not a table', () => {
    expect(parse('statistics = ["bootstrap_mean"]').problems).toEqual([
      'f.toml: metrics.m.statistics: expected a table of statistics, got array',
    ]);
  });
});

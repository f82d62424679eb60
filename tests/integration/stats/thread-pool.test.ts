import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  resolveStatsThreadEntry,
  StatsThreadPool,
  StatsThreadPoolError,
} from '../../../src/runtime/stats-thread-pool.js';
import {
  computeStatistics,
  computeStatisticsWith,
  type MetricSlice,
  type StatisticsInput,
} from '../../../src/stats/index.js';
import type { StatisticSpec } from '../../../src/stats/statistic-spec.js';
import { runCli } from '../../helpers/capture.js';

// Needs the compiled thread entry: `npm run test:integration` builds first.

function column(n: number, f: (i: number) => number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => f(i));
}

const slice: MetricSlice = ['control', 'treatment', 'other'].map((branch, b) => ({
  branch,
  columns: {
    value: column(8_000 + 500 * b, (i) => Math.exp(Math.sin(i * (1.1 + b)) * 2)),
    clicks: column(8_000 + 500 * b, (i) => (i * (b + 3)) % 7),
    searches: column(8_000 + 500 * b, (i) => 1 + ((i * 5) % 9)),
    spread: column(8_000 + 500 * b, (i) => Math.sin(i) * 1000),
    flag: column(8_000 + 500 * b, (i) => (i % (b + 3) === 0 ? 1 : 0)),
  },
}));

const specs: StatisticSpec[] = [
  { name: 'bootstrap_mean', params: { num_samples: 300 }, preTreatments: [] },
  {
    name: 'population_ratio',
    params: { numerator: 'clicks', denominator: 'searches', num_samples: 300 },
    preTreatments: [],
  },
  {
    name: 'population_ratio',
    params: { numerator: 'spread', denominator: 'searches', num_samples: 130 },
    preTreatments: [],
  },
  { name: 'deciles', params: { num_samples: 1000 }, preTreatments: [] },
  { name: 'linear_model_mean', params: {}, preTreatments: [] },
];
const input: StatisticsInput = { metric: 'm', period: 'week', slice, statistics: specs, seed: 99 };

describe('stats thread pool', () => {
  const pools: StatsThreadPool[] = [];
  beforeAll(async () => {
    pools.push(await StatsThreadPool.create({ threads: 2, inlineBelowCost: 0 }));
    pools.push(await StatsThreadPool.create({ threads: 3, inlineBelowCost: 0 }));
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('gives rows bit-identical to the inline computation for any thread count', async () => {
    const inline = computeStatistics(input);
    expect(inline.failures).toEqual([]);
    expect(inline.rows.length).toBeGreaterThan(100);
    for (const pool of pools) {
      const threaded = await computeStatisticsWith(input, pool.runner);
      expect(threaded).toEqual(inline);
    }
    const binary = {
      ...input,
      statistics: [{ name: 'binomial' as const, params: {}, preTreatments: [] }],
      slice: slice.map((b) => ({ branch: b.branch, columns: { value: b.columns.flag! } })),
    };
    expect(await computeStatisticsWith(binary, pools[0]!.runner)).toEqual(
      computeStatistics(binary),
    );
  });

  it('runs jobs concurrently on one pool', async () => {
    const [a, b] = await Promise.all([
      computeStatisticsWith(input, pools[0]!.runner),
      computeStatisticsWith({ ...input, seed: 100 }, pools[0]!.runner),
    ]);
    expect(a).toEqual(computeStatistics(input));
    expect(b).toEqual(computeStatistics({ ...input, seed: 100 }));
  });

  it('explains a missing compiled entry and rejects a bad thread count', async () => {
    expect(() =>
      resolveStatsThreadEntry('file:///nowhere/src/runtime/stats-thread-pool.ts'),
    ).toThrow(/npm run build/);
    expect(resolveStatsThreadEntry().pathname).toMatch(/\/dist\/runtime\/stats-thread-entry\.js$/);
    await expect(StatsThreadPool.create({ threads: 0 })).rejects.toBeInstanceOf(
      StatsThreadPoolError,
    );
  });

  it('contrail stats --threads 2 prints the same rows as one thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'contrail-threads-'));
    const path = join(dir, 'in.csv');
    const lines = ['branch,value'];
    for (let i = 0; i < 10_000; i++) {
      lines.push(`${i % 2 ? 'b' : 'a'},${Math.exp(Math.cos(i) * 1.5).toFixed(6)}`);
    }
    writeFileSync(path, lines.join('\n'));
    const args = [
      'stats',
      '--input',
      path,
      '--statistic',
      'bootstrap_mean',
      '--param',
      'num_samples=1000',
      '--seed',
      '5',
    ];
    const one = await runCli([...args, '--threads', '1']);
    const two = await runCli([...args, '--threads', '2']);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });
});

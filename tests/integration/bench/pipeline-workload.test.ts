import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  reuseWorkload,
  seedWorkload,
  WORKLOAD_DATE,
  WORKLOAD_EXPERIMENTS,
  WORKLOAD_METRICS,
  type SeededWorkload,
} from '../../../bench/pipeline/workload.js';
import { loadMetricHub } from '../../../src/config/metric-hub.js';
import { planRun, type PlannedRun } from '../../../src/producer/plan-run.js';
import { parseEnv } from '../../../src/runtime/env.js';
import { experimentSourceFromEnv } from '../../../src/runtime/experiment-source.js';
import { readMetricHubFolder } from '../../../src/runtime/metric-hub-files.js';

/** The benchmark's workload, seeded small, planned by the real producer code. */
describe('pipeline benchmark workload', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'contrail-bench-workload-'));
  let seeded: SeededWorkload;
  let planned: PlannedRun;
  let problems: readonly unknown[];

  beforeAll(async () => {
    seeded = await seedWorkload(dir, 2000);
    const logger = pino({ level: 'silent' });
    const metricHub = loadMetricHub(await readMetricHubFolder(path.join(dir, 'metric-hub')));
    problems = metricHub.problems;
    const source = experimentSourceFromEnv(parseEnv({ CONTRAIL_WAREHOUSE_DIR: dir }), logger);
    planned = await planRun(
      { source, metricHub, logger },
      { date: WORKLOAD_DATE, today: WORKLOAD_DATE },
    );
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('plans 8 experiments × (day, week, overall) × 16 metrics on the run date', () => {
    expect(problems).toEqual([]);
    expect(planned.problems).toEqual([]);
    expect(planned.plan.units).toHaveLength(WORKLOAD_EXPERIMENTS);
    for (const unit of planned.plan.units) {
      expect(unit.groups.map((g) => g.period)).toEqual(['day', 'week', 'overall']);
      for (const group of unit.groups) {
        expect(group.tasks.map((t) => t.metric).sort()).toEqual([...WORKLOAD_METRICS].sort());
      }
    }
  });

  it('splits the population evenly: per-branch size scales with the clients', () => {
    const enrolled = seeded.manifest.experiments.flatMap((e) => e.branches.map((b) => b.enrolled));
    expect(enrolled).toHaveLength(2 * WORKLOAD_EXPERIMENTS);
    // 2000 clients over 16 branches: ~5 % each once ~84 % enrolled (1,000,000 → ~52,000)
    expect(seeded.minClientsPerBranch).toBeGreaterThan(2000 * 0.04);
    expect(seeded.maxClientsPerBranch).toBeLessThan(2000 * 0.065);
    expect(seeded.telemetryRows).toBeGreaterThan(2000 * 21 * 0.3);
  });

  it('reuses a seeded folder and refuses another warehouse', async () => {
    const again = await reuseWorkload(dir);
    expect(again.seconds).toBeNull();
    expect(again.minClientsPerBranch).toBe(seeded.minClientsPerBranch);
    const other = mkdtempSync(path.join(tmpdir(), 'contrail-bench-other-'));
    try {
      await expect(reuseWorkload(other)).rejects.toThrow(/manifest\.json|ENOENT/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

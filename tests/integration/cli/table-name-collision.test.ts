import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseEnv } from '../../../src/runtime/env.js';
import { openWarehouse } from '../../../src/runtime/open-warehouse.js';
import { openProducerSession } from '../../../src/runtime/producer-session.js';
import { runCli } from '../../helpers/capture.js';
import { createSandbox, type Sandbox } from '../../helpers/pipeline.js';

/**
 * Issue 13, case 3: a copy of `new-tab-layout-v2` under the slug `new_tab_layout_v2` would share
 * its enrollments and statistics tables. Planning refuses both with one error naming both slugs;
 * the other experiments still run; the command exits 1; nothing is enqueued for either.
 */

const ORIGINAL = 'new-tab-layout-v2';
const COPY = 'new_tab_layout_v2';
const MESSAGE =
  "experiments 'new-tab-layout-v2' and 'new_tab_layout_v2' would share tables " +
  '(enrollments_new_tab_layout_v2, statistics_new_tab_layout_v2_<period>_<n>, ...): ' +
  'refused, neither is analysed until one of them is renamed';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = createSandbox('table-collision');
  const seeded = await runCli(['seed', '--dir', sandbox.warehouseDir, '--clients', '1000'], {});
  expect(seeded.code, seeded.stderr).toBe(0);
  const file = path.join(sandbox.warehouseDir, 'experiments.json');
  const entries = JSON.parse(readFileSync(file, 'utf8')) as { slug: string }[];
  const original = entries.find((e) => e.slug === ORIGINAL);
  expect(original).toBeDefined();
  entries.push({ ...structuredClone(original), slug: COPY });
  writeFileSync(file, JSON.stringify(entries));
});

afterAll(() => sandbox?.cleanup());

async function enrollmentsJobIds(): Promise<string[]> {
  const session = await openProducerSession(parseEnv(sandbox.env), pino({ level: 'silent' }));
  try {
    const jobs = await session.queues.queues.enrollments.getJobs(['waiting', 'prioritized']);
    return jobs.map((job) => job.id ?? '?').sort();
  } finally {
    await session.close();
  }
}

describe('table-name collisions are refused at planning (issue 13, case 3)', () => {
  it('run --experiment of the copy, even with --force: the error names both slugs, exit 1, nothing enqueued', async () => {
    for (const extra of [[], ['--force']]) {
      const result = await runCli(
        ['run', '--date', '2026-03-01', '--experiment', COPY, ...extra],
        sandbox.env,
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toBe(
        '2026-03-01: 0 experiments, 0 windows, 0 metric jobs planned; 0 windows enqueued, 0 already done, 0 in progress\n' +
          `  error ${COPY}: ${MESSAGE}\n`,
      );
    }
    expect(await enrollmentsJobIds()).toEqual([]);
  });

  it('a run of every experiment refuses both, runs the others and exits 1', async () => {
    const result = await runCli(['run', '--date', '2026-03-01'], sandbox.env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`  error ${ORIGINAL}: ${MESSAGE}\n`);
    expect(result.stdout).toContain(`  error ${COPY}: ${MESSAGE}\n`);
    const ids = await enrollmentsJobIds();
    expect(ids).toContain('enrollments.aa-validation.2026-03-01');
    expect(ids.filter((id) => id.includes('new-tab') || id.includes('new_tab'))).toEqual([]);
    expect(ids.length).toBeGreaterThan(3);
    const warehouse = await openWarehouse({ kind: 'duckdb', dir: sandbox.warehouseDir });
    try {
      const logs = await warehouse.warehouse.readLogs({ experiment: COPY });
      expect(logs.map((row) => [row.exception_type, row.message])).toContainEqual([
        'TableNameCollision',
        `run 2026-03-01: ${MESSAGE}`,
      ]);
      expect(await warehouse.warehouse.listTables('new_tab_layout_v2')).toEqual([]);
    } finally {
      await warehouse.close();
    }
  });

  it('status says the same and exits 1', async () => {
    const result = await runCli(
      ['status', '--date', '2026-03-01', '--experiment', ORIGINAL],
      sandbox.env,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`error ${ORIGINAL}: ${MESSAGE}\n`);
  });
});

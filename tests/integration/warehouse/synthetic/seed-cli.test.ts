import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { SeedManifest } from '../../../../src/warehouse/synthetic/seed-manifest.js';
import { runCli } from '../../../helpers/capture.js';
import { parquet, query } from './synthetic-helpers.js';

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

describe('contrail seed', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'contrail-seed-cli-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('seeds $CONTRAIL_WAREHOUSE_DIR and prints tables, experiments and the demo date', async () => {
    const dir = path.join(root, 'env-dir');
    const result = await runCli(['seed', '--clients', '800', '--days', '42', '--seed', '5'], {
      CONTRAIL_WAREHOUSE_DIR: dir,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const manifest = await readJson<SeedManifest>(path.join(dir, 'manifest.json'));
    expect(manifest.seed).toBe(5);
    for (const table of manifest.tables) {
      expect(result.stdout).toMatch(
        new RegExp(
          `${table.dataset}\\.${table.table}\\s+${table.rows.toLocaleString('en-US')} rows`,
        ),
      );
    }
    for (const experiment of manifest.experiments) expect(result.stdout).toContain(experiment.slug);
    expect(result.stdout).toContain(`Demo date: ${manifest.demoDate}`);
    expect(result.stdout).toContain('planted sample ratio mismatch in tab-groups-srm');
    expect(result.stdout).toContain(path.join(dir, 'metric-hub'));
  });

  it('takes --dir and --experiments', async () => {
    const dir = path.join(root, 'two');
    const result = await runCli([
      'seed',
      '--dir',
      dir,
      '--clients',
      '500',
      '--days',
      '28',
      '--experiments',
      '2',
    ]);
    expect(result.code).toBe(0);
    const experiments = await readJson<{ slug: string }[]>(path.join(dir, 'experiments.json'));
    expect(experiments.map((e) => e.slug)).toEqual(['new-tab-layout-v2', 'search-bar-three-way']);
  });

  it.each([
    [['--days', '5'], /--days must be at least 42/],
    [['--clients', 'many'], /--clients/],
    [['--clients', '10'], /--clients must be an integer in 100/],
    [['--demo-date', '2026-13-01'], /demo date/],
  ])('exits 2 for bad usage: %j', async (args, message) => {
    const result = await runCli(['seed', '--dir', path.join(root, 'bad'), ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('loads the jetstream fixtures with --jetstream-fixtures', async () => {
    const dir = path.join(root, 'fixtures');
    const result = await runCli(['seed', '--dir', dir, '--jetstream-fixtures']);
    expect(result.code).toBe(0);
    const counts = await query(`SELECT
        (SELECT count(*) FROM ${parquet(dir, 'telemetry', 'clients_daily')}) AS daily,
        (SELECT count(*) FROM ${parquet(dir, 'telemetry', 'clients_last_seen')}) AS last_seen,
        (SELECT count(*) FROM ${parquet(dir, 'telemetry', 'events')}) AS events,
        (SELECT count(*) FROM ${parquet(dir, 'telemetry', 'clients_daily')}
           WHERE len(experiments) > 0) AS tagged`);
    const expectedLines = async (file: string) =>
      (await readFile(path.resolve('../shared/fixtures/jetstream', file), 'utf8'))
        .split('\n')
        .filter((l) => l.trim() !== '').length;
    expect(Number(counts[0]?.['daily'])).toBe(await expectedLines('test_clients_daily.ndjson'));
    expect(Number(counts[0]?.['last_seen'])).toBe(
      await expectedLines('test_clients_last_seen.ndjson'),
    );
    expect(Number(counts[0]?.['events'])).toBe(await expectedLines('test_events.ndjson'));
    expect(Number(counts[0]?.['tagged'])).toBeGreaterThan(0);
    const experiments = await readJson<Record<string, unknown>[]>(
      path.join(dir, 'experiments.json'),
    );
    expect(experiments).toHaveLength(1);
    expect(experiments[0]).toMatchObject({
      slug: 'test-experiment',
      startDate: '2020-03-30',
      proposedEnrollment: 7,
      referenceBranch: 'branch2',
    });
    expect(result.stdout).toContain('Demo date: 2020-04-12');
  });

  it('exits 1 naming the file when a fixture is missing', async () => {
    const result = await runCli([
      'seed',
      '--dir',
      path.join(root, 'missing'),
      '--jetstream-fixtures',
      '--fixtures',
      path.join(root, 'no-such-folder'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(path.join(root, 'no-such-folder', 'test_clients_daily.ndjson'));
  });
});

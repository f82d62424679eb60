import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { hashTree, seedTemp, type SeededWarehouse } from './synthetic-helpers.js';

const SMALL = { clients: 1500, days: 42 } as const;

describe('seedWarehouse determinism', () => {
  const seeded: SeededWarehouse[] = [];
  let first: Record<string, string> = {};
  let second: Record<string, string> = {};
  let other: Record<string, string> = {};

  beforeAll(async () => {
    for (const seed of [7, 7, 8]) seeded.push(await seedTemp({ ...SMALL, seed }));
    const trees = await Promise.all(seeded.map((s) => hashTree(s.dir)));
    first = trees[0] ?? {};
    second = trees[1] ?? {};
    other = trees[2] ?? {};
  });
  afterAll(async () => {
    await Promise.all(seeded.map((s) => s.remove()));
  });

  it('writes the same bytes for the same seed: every table, experiments.json, metric-hub/, manifest.json', () => {
    expect(Object.keys(first)).toEqual(
      expect.arrayContaining([
        'tables/telemetry/clients_daily.parquet',
        'tables/telemetry/events.parquet',
        'tables/search/search_clients_engines_sources_daily.parquet',
        'tables/org_mozilla_firefox/events_stream.parquet',
        'tables/org_mozilla_firefox/baseline.parquet',
        'experiments.json',
        'manifest.json',
        'metric-hub/definitions/firefox_desktop.toml',
      ]),
    );
    expect(second).toEqual(first);
  });

  it('leaves no temporary files behind', () => {
    expect(Object.keys(first).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('draws different data for another seed (same config files)', () => {
    const tables = Object.keys(first).filter((f) => f.endsWith('.parquet'));
    for (const table of tables) expect(other[table], table).not.toBe(first[table]);
    expect(other['experiments.json']).toBe(first['experiments.json']);
    expect(other['manifest.json']).not.toBe(first['manifest.json']);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importNdjsonTable } from '../../../src/warehouse/duckdb/import-ndjson-table.js';
import { spawnWorker } from './processes/spawn-worker.js';
import { SHARED_ROWS, SHARED_TABLE, statisticRows } from './processes/warehouse-worker.js';

const FIXTURES = path.resolve(process.cwd(), '../shared/fixtures/jetstream');

interface ReaderSummary {
  statisticsReads: number;
  metricReads: number;
  generations: number[];
  problems: string[];
}

describe('several processes on one warehouse folder', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'contrail-multi-'));
    for (const table of ['clients_daily', 'clients_last_seen', 'events']) {
      await importNdjsonTable(dir, 'telemetry', table, path.join(FIXTURES, `test_${table}.ndjson`));
    }
    const warehouse = await createDuckDbWarehouse({ dir });
    await warehouse.ensureEnrollments({
      slug: 'test-experiment',
      startDate: '2020-03-30',
      enrollmentPeriod: 7,
      branches: ['branch1', 'branch2'],
      analysisUnit: 'client_id',
      enrollmentsQueryType: 'normandy',
      segments: [],
      lastDateOfData: '2020-04-12',
    });
    await warehouse.replaceStatistics(SHARED_TABLE, statisticRows(SHARED_ROWS, 0), {
      labels: {},
      description: 'multi-process test',
    });
    await warehouse.close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('two readers see whole tables while a third process keeps replacing them', async () => {
    const writer = spawnWorker(['writer', dir, '25', FIXTURES]);
    const readers = [spawnWorker(['reader', dir, '5000']), spawnWorker(['reader', dir, '5000'])];
    expect(await writer.exited, writer.stderr()).toBe(0);
    for (const reader of readers) {
      expect(await reader.exited, reader.stderr()).toBe(0);
      const summary = JSON.parse(reader.stdout().trim()) as ReaderSummary;
      expect(summary.problems).toEqual([]);
      expect(summary.statisticsReads).toBeGreaterThan(5);
      expect(summary.metricReads).toBeGreaterThan(5);
      // the reads overlapped with the writes: more than one generation was observed
      expect(summary.generations.length).toBeGreaterThan(1);
    }
    const final = await createDuckDbWarehouse({ dir });
    const rows = await final.readStatistics(SHARED_TABLE);
    expect(new Set(rows.map((r) => r.point))).toEqual(new Set([25]));
    await final.close();
  });
});

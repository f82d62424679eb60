import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../../../src/warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { spawnWorker } from './processes/spawn-worker.js';
import { statisticRows } from './processes/warehouse-worker.js';

const TABLE = 'statistics_kill_test_week_1';
const ROWS = 20_000;

/** Waits until a temporary table file shows up in `folder` (a write is in progress). */
async function waitForTempFile(folder: string, timeoutMs: number): Promise<string | null> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const temp = (await readdir(folder)).find((f) => f.startsWith(`${TABLE}.parquet.tmp-`));
    if (temp) return temp;
    await sleep(1);
  }
  return null;
}

describe('atomic replace under SIGKILL', () => {
  let dir: string;
  let warehouse: Warehouse;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'contrail-kill-'));
    warehouse = await createDuckDbWarehouse({ dir });
    await warehouse.replaceStatistics(TABLE, statisticRows(ROWS, 0), {
      labels: { generation: '0' },
      description: 'kill test',
    });
  });
  afterAll(async () => {
    await warehouse?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a writer killed mid-write leaves the old table or the new one, never a partial one', async () => {
    const folder = path.join(dir, 'tables', 'contrail');
    const seenGenerations = new Set<number>();
    for (let round = 0; round < 2; round += 1) {
      const worker = spawnWorker(['statistics-loop', dir, TABLE, String(ROWS)]);
      // let some rounds complete a replace first, others die during their first write
      if (round > 0) {
        while (!worker.stdout().includes(`written ${round}`)) await sleep(5);
      }
      const temp = await waitForTempFile(folder, 60_000);
      expect(temp, worker.stderr()).not.toBeNull();
      worker.child.kill('SIGKILL');
      expect(await worker.exited).toBe('SIGKILL');
      const rows = await warehouse.readStatistics(TABLE);
      const generation = rows[0]!.point!;
      seenGenerations.add(generation);
      expect(rows).toHaveLength(generation === 0 ? ROWS : ROWS + generation);
      expect(rows.every((row) => row.point === generation)).toBe(true);
      const info = await warehouse.tableInfo(TABLE);
      expect(info?.labels.generation).toBe(String(generation));
      expect(info?.rows).toBe(rows.length);
    }
    // the killed writers' temporary files stay behind but are never read as tables ...
    const tables = await warehouse.listTables();
    expect(tables.map((t) => t.name)).toEqual([TABLE]);
    expect(seenGenerations.size).toBeGreaterThanOrEqual(1);
    const temps = async () => (await readdir(folder)).filter((f) => f.includes('.tmp-'));
    expect((await temps()).length).toBeGreaterThan(0);
    // ... and the next warehouse opened on the folder removes them
    const next = await createDuckDbWarehouse({ dir });
    expect(await temps()).toEqual([]);
    expect(await next.readStatistics(TABLE)).toHaveLength(tables[0]!.rows);
    await next.close();
  });
});

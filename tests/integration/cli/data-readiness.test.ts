import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { addDays, formatIsoDate } from '../../../src/analysis/iso-date.js';
import { createDataReadiness } from '../../../src/producer/data-readiness.js';
import { parseEnv } from '../../../src/runtime/env.js';
import { openWarehouse, type OpenWarehouse } from '../../../src/runtime/open-warehouse.js';
import { openProducerSession } from '../../../src/runtime/producer-session.js';
import { runCli } from '../../helpers/capture.js';
import { dataSourceFixture } from '../../helpers/data-source-fixture.js';
import {
  createSandbox,
  runContrail,
  seedSmallWarehouse,
  type Sandbox,
} from '../../helpers/pipeline.js';
import { holdBackDay } from '../../helpers/telemetry-days.js';

/**
 * Issue 13, case 5: dates with no telemetry are never analysed as zeros. A date after today is
 * bad usage (exit 2); a window whose data sources have no rows for its last day is not ready:
 * reported, logged, not enqueued, exit 1, and enqueued by a later run once the data is there.
 */

const SLUG = 'aa-validation';
const DATE = '2026-03-01';
const CLIENTS_DAILY = { dataset: 'telemetry', table: 'clients_daily' };
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = createSandbox('data-readiness');
  await seedSmallWarehouse(sandbox, 1000);
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

async function withWarehouse<T>(use: (opened: OpenWarehouse) => Promise<T>): Promise<T> {
  const opened = await openWarehouse({ kind: 'duckdb', dir: sandbox.warehouseDir });
  try {
    return await use(opened);
  } finally {
    await opened.close();
  }
}

describe('dates with no telemetry are not analysed (issue 13, case 5)', () => {
  it('a date after today exits 2 before anything runs (the issue’s commands)', async () => {
    const tomorrow = addDays(formatIsoDate(Date.now()), 1);
    for (const date of ['9999-12-31', tomorrow]) {
      const result = await runContrail(
        ['run', '--date', date, '--experiment', SLUG, '--wait'],
        sandbox.env,
      );
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        new RegExp(
          `argument '${date}' is invalid\\. ${date} is after today \\(\\d{4}-\\d\\d-\\d\\d, UTC\\): there is no telemetry for it yet`,
        ),
      );
    }
    expect(await enrollmentsJobIds()).toEqual([]);
  });

  it('windows whose last day has no rows are not ready: reported, logged, not enqueued, exit 1', async () => {
    const restore = await holdBackDay(sandbox.warehouseDir, [CLIENTS_DAILY], DATE);
    try {
      const result = await runCli(
        ['run', '--date', DATE, '--experiment', SLUG, '--wait'],
        sandbox.env,
      );
      expect(result.code).toBe(1);
      const reason = (period: string, n: number) =>
        `  not ready ${SLUG} / ${period} ${n}: no rows in clients_daily for ${DATE} (the window's last day); not analysed, run --date ${DATE} again once the data has landed\n`;
      expect(result.stdout).toBe(
        `${DATE}: 1 experiments, 3 windows, 19 metric jobs planned; 0 windows enqueued, 0 already done, 0 in progress, 3 not ready\n` +
          reason('day', 28) +
          reason('week', 4) +
          reason('days28', 1) +
          '0/0 jobs completed, 0 failed\n',
      );
      expect(await enrollmentsJobIds()).toEqual([]);
      await withWarehouse(async ({ warehouse }) => {
        expect(await warehouse.listTables(SLUG)).toEqual([]);
        const logs = await warehouse.readLogs({ experiment: SLUG });
        expect(logs.filter((row) => row.exception_type === 'DataNotReady')).toEqual([
          expect.objectContaining({ log_level: 'WARNING', analysis_period: 'day' }),
          expect.objectContaining({ log_level: 'WARNING', analysis_period: 'week' }),
          expect.objectContaining({ log_level: 'WARNING', analysis_period: 'days28' }),
        ]);
        expect(logs[0]?.message).toBe(
          `run ${DATE}: day 28 not ready: no rows in clients_daily for ${DATE} (the window's last day); not analysed, run --date ${DATE} again once the data has landed`,
        );
      });
    } finally {
      restore();
    }
  });

  it('probes each data source and day once, and lets a failing probe through', async () => {
    const restore = await holdBackDay(sandbox.warehouseDir, [CLIENTS_DAILY], DATE);
    try {
      await withWarehouse(async ({ warehouse }) => {
        const readiness = createDataReadiness(warehouse, pino({ level: 'silent' }));
        const daily = dataSourceFixture('clients_daily');
        const sameRows = { ...daily, name: 'clients_daily_again' };
        const search = {
          ...dataSourceFixture('search_clients_engines_sources_daily'),
          fromExpression: 'mozdata.search.search_clients_engines_sources_daily',
        };
        const broken = { ...daily, name: 'broken', fromExpression: 'mozdata.telemetry.nope' };
        expect(await readiness.missingOn([daily, sameRows, search], DATE)).toEqual([
          'clients_daily',
          'clients_daily_again',
        ]);
        expect(await readiness.missingOn([search, daily], DATE)).toEqual(['clients_daily']);
        expect(await readiness.missingOn([daily], '2026-02-28')).toEqual([]);
        expect(readiness.spent().queries).toBe(3);
        expect(await readiness.missingOn([broken], DATE)).toEqual([]);
        expect(readiness.spent().queries).toBe(4);
        expect(readiness.spent().cost.bytesProcessed).toBeGreaterThan(0);
      });
    } finally {
      restore();
    }
  });

  it('once the data has landed, the same run enqueues the windows', async () => {
    const result = await runCli(['run', '--date', DATE, '--experiment', SLUG], sandbox.env);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('3 windows enqueued, 0 already done, 0 in progress\n');
    expect(await enrollmentsJobIds()).toEqual([`enrollments.${SLUG}.${DATE}`]);
  });
});

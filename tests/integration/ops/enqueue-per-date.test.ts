import { Job, type Queue } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createDailyRunProcessor } from '../../../src/producer/daily-run.js';
import { parseEnv } from '../../../src/runtime/env.js';
import {
  openProducerSession,
  type ProducerSession,
} from '../../../src/runtime/producer-session.js';
import { runCli } from '../../helpers/capture.js';
import { createSandbox, type Sandbox } from '../../helpers/pipeline.js';

/**
 * Issue 13, case 1: in-progress checks are per date and window. No worker runs, so every
 * enrollments job stays waiting: before, the pending `enrollments.<slug>` job of the first date
 * counted every later date's windows as "in progress", and they were never computed.
 */

const logger = pino({ level: 'silent' });
const SLUG = 'aa-validation';
const sandboxes: Sandbox[] = [];
let seeded: Sandbox;

/** A sandbox with its own queue prefix over the one seeded warehouse. */
function sandbox(name: string): Sandbox {
  const created = createSandbox(name, { CONTRAIL_WAREHOUSE_DIR: seeded.warehouseDir });
  sandboxes.push(created);
  return created;
}

async function waitingIds(session: ProducerSession): Promise<string[]> {
  const jobs = await session.queues.queues.enrollments.getJobs(['waiting', 'prioritized']);
  return jobs.map((job) => job.id ?? '?').sort();
}

async function withSession<T>(box: Sandbox, use: (s: ProducerSession) => Promise<T>): Promise<T> {
  const session = await openProducerSession(parseEnv(box.env), logger);
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}

/** The `<date>: ...` lines of a run's output. */
function dateLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^\d{4}-\d\d-\d\d: /.test(line));
}

beforeAll(async () => {
  seeded = createSandbox('per-date-seed');
  sandboxes.push(seeded);
  const result = await runCli(['seed', '--dir', seeded.warehouseDir, '--clients', '1000'], {});
  expect(result.code, result.stderr).toBe(0);
});

afterAll(async () => {
  for (const box of sandboxes) await box.cleanup();
});

describe('in-progress checks per date and window (issue 13, case 1)', () => {
  it('a rerun over a range enqueues every date, and a second one finds each in progress', async () => {
    const box = sandbox('per-date-range');
    const args = ['rerun', '--experiment', SLUG, '--from', '2026-02-27', '--to', '2026-03-01'];
    const first = await runCli(args, box.env);
    expect(first.code, first.stderr).toBe(0);
    expect(dateLines(first.stdout)).toEqual([
      '2026-02-27: 1 experiments, 1 windows, 5 metric jobs planned; 1 windows enqueued, 0 already done, 0 in progress',
      '2026-02-28: 1 experiments, 1 windows, 5 metric jobs planned; 1 windows enqueued, 0 already done, 0 in progress',
      '2026-03-01: 1 experiments, 3 windows, 19 metric jobs planned; 3 windows enqueued, 0 already done, 0 in progress',
    ]);
    const ids = [
      `enrollments.${SLUG}.2026-02-27`,
      `enrollments.${SLUG}.2026-02-28`,
      `enrollments.${SLUG}.2026-03-01`,
    ];
    expect(await withSession(box, waitingIds)).toEqual(ids);

    const again = await runCli(args, box.env);
    expect(again.code, again.stderr).toBe(0);
    expect(dateLines(again.stdout).map((line) => line.split('; ')[1])).toEqual([
      '0 windows enqueued, 0 already done, 1 in progress',
      '0 windows enqueued, 0 already done, 1 in progress',
      '0 windows enqueued, 0 already done, 3 in progress',
    ]);
    // --force leaves a window to the pending run that carries it: nothing is added twice.
    const force = ['run', '--date', '2026-03-01', '--experiment', SLUG, '--force'];
    const forced = await runCli(force, box.env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('0 windows enqueued, 0 already done, 3 in progress');
    expect(await withSession(box, waitingIds)).toEqual(ids);
  });

  it('--recreate-enrollments over a range rebuilds the table with the first date only', async () => {
    const box = sandbox('per-date-recreate');
    const args = ['rerun', '--experiment', SLUG, '--from', '2026-02-28', '--to', '2026-03-01'];
    const result = await runCli([...args, '--recreate-enrollments'], box.env);
    expect(result.code, result.stderr).toBe(0);
    const recreate = await withSession(box, async (session) => {
      const jobs = await session.queues.queues.enrollments.getJobs(['waiting', 'prioritized']);
      const entries = jobs.map((job): [string, boolean] => [
        job.id ?? '?',
        (job.data as { recreate: boolean }).recreate,
      ]);
      return Object.fromEntries(entries);
    });
    expect(recreate).toEqual({
      [`enrollments.${SLUG}.2026-02-28`]: true,
      [`enrollments.${SLUG}.2026-03-01`]: false,
    });
  });

  it('the daily scheduler enqueues its date while yesterday’s enrollments job still waits', async () => {
    const box = sandbox('per-date-daily');
    const process = createDailyRunProcessor({
      openSession: () => openProducerSession(parseEnv(box.env), logger),
      logger,
    });
    const slot = (day: string) => Date.parse(`${day}T03:00:00Z`);
    await withSession(box, async (session) => {
      const orchestrator: Queue = session.queues.queues.orchestrator;
      const job = (day: string) =>
        new Job(
          orchestrator,
          'daily-run',
          { kind: 'daily-run', lagDays: 1 },
          {},
          `repeat:contrail-daily-run:${slot(day)}`,
        );
      const yesterday = await process(job('2026-03-01'));
      expect(yesterday.date).toBe('2026-02-28');
      expect(yesterday.windows.enqueued).toBeGreaterThan(0);
      const today = await process(job('2026-03-02'));
      expect(today.date).toBe('2026-03-01');
      expect(today.windows).toMatchObject({ inProgress: 0, blocked: 0 });
      expect(today.windows.enqueued).toBeGreaterThan(yesterday.windows.enqueued);
      const ids = await waitingIds(session);
      expect(ids).toContain(`enrollments.${SLUG}.2026-02-28`);
      expect(ids).toContain(`enrollments.${SLUG}.2026-03-01`);
    });
  });

  it('two identical runs at once: both exit 0, neither window is blocked, one job', async () => {
    for (let round = 0; round < 5; round += 1) {
      const box = sandbox(`per-date-twice-${round}`);
      const args = ['run', '--date', '2026-03-01', '--experiment', SLUG];
      const [a, b] = await Promise.all([runCli(args, box.env), runCli(args, box.env)]);
      for (const result of [a, b]) {
        expect(result.code, result.stdout).toBe(0);
        expect(result.stdout).not.toContain('blocked');
      }
      const lines = [a, b].map((r) => dateLines(r.stdout)[0]?.split('; ')[1]).sort();
      expect(lines).toContain('3 windows enqueued, 0 already done, 0 in progress');
      expect(await withSession(box, waitingIds)).toEqual([`enrollments.${SLUG}.2026-03-01`]);
    }
  });

  it('a window the pending run of its date does not carry is reported blocked, exit 1', async () => {
    const box = sandbox('per-date-blocked');
    const run = (period: string) =>
      runCli(['run', '--date', '2026-03-01', '--experiment', SLUG, '--period', period], box.env);
    const day = await run('day');
    expect(day.code, day.stderr).toBe(0);
    expect(day.stdout).toContain('1 windows enqueued');
    const week = await run('week');
    expect(week.code).toBe(1);
    expect(week.stdout).toContain('0 windows enqueued, 0 already done, 0 in progress, 1 blocked');
    expect(week.stdout).toContain(
      `  blocked ${SLUG} / week 4: the run of 2026-03-01 is still in progress without this window (enrollments.${SLUG}.2026-03-01, export.${SLUG}.2026-03-01); not enqueued, run this command again once it has finished\n`,
    );
    const dayAgain = await run('day');
    expect(dayAgain.code).toBe(0);
    expect(dayAgain.stdout).toContain('0 windows enqueued, 0 already done, 1 in progress');
    expect(await withSession(box, waitingIds)).toEqual([`enrollments.${SLUG}.2026-03-01`]);
  });
});

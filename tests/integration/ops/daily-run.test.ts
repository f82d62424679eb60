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
 * The scheduler's daily-run job plans and enqueues exactly what `contrail run --date <slot day −
 * lag>` does: same enrollments jobs, same payloads (each carries the experiment's whole flow).
 * No worker runs, so the enqueued jobs stay waiting and can be compared.
 */

const logger = pino({ level: 'silent' });
/** The seeded demo date is 2026-03-01: a slot on 2026-03-02 with lag 1 analyses it. */
const SLOT = Date.parse('2026-03-02T03:00:00Z');

let viaRun: Sandbox;
let viaSchedule: Sandbox;
let session: ProducerSession;

async function enqueued(queue: Queue): Promise<Map<string, unknown>> {
  const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed']);
  return new Map(jobs.map((job) => [job.id ?? '?', job.data as unknown]));
}

beforeAll(async () => {
  viaRun = createSandbox('daily-run-a');
  const seeded = await runCli(
    ['seed', '--dir', viaRun.warehouseDir, '--clients', '1500'],
    viaRun.env,
  );
  expect(seeded.code).toBe(0);
  viaSchedule = createSandbox('daily-run-b', { CONTRAIL_WAREHOUSE_DIR: viaRun.warehouseDir });
  session = await openProducerSession(parseEnv(viaSchedule.env), logger);
});

afterAll(async () => {
  await session?.close();
  await viaRun?.cleanup();
  await viaSchedule?.cleanup();
});

describe('daily-run processor', () => {
  it('enqueues the same jobs as contrail run --date for the slot day minus the lag', async () => {
    const run = await runCli(['run', '--date', '2026-03-01'], viaRun.env);
    expect(run.stdout).toMatch(/^2026-03-01: \d+ experiments, \d+ windows/);
    const process = createDailyRunProcessor({
      openSession: () => openProducerSession(parseEnv(viaSchedule.env), logger),
      logger,
    });
    const orchestrator = session.queues.queues.orchestrator;
    const job = new Job(
      orchestrator,
      'daily-run',
      { kind: 'daily-run', lagDays: 1 },
      {},
      `repeat:contrail-daily-run:${SLOT}`,
    );
    const result = await process(job);
    expect(result).toMatchObject({ slot: '2026-03-02T03:00:00.000Z', date: '2026-03-01' });

    const runSession = await openProducerSession(parseEnv(viaRun.env), logger);
    try {
      const expected = await enqueued(runSession.queues.queues.enrollments);
      const actual = await enqueued(session.queues.queues.enrollments);
      expect(expected.size).toBeGreaterThan(3);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      // Equal but for the run id each enqueue stamps on its jobs (their warehouse job labels).
      for (const [id, data] of expected) {
        expect([id, withoutRunIds(actual.get(id))]).toEqual([id, withoutRunIds(data)]);
      }
      const windows = [...expected.values()].reduce(
        (n: number, data) => n + (data as { groups: unknown[] }).groups.length,
        0,
      );
      expect(result.windows).toEqual({
        enqueued: windows,
        done: 0,
        inProgress: 0,
        blocked: 0,
        notReady: 0,
      });
      expect(result.experiments).toBe(expected.size);
      expect(run.stdout).toContain(`${windows} windows enqueued`);
    } finally {
      await runSession.close();
    }
  });

  it('adds nothing when the same slot runs again (retry, second replica)', async () => {
    const before = await enqueued(session.queues.queues.enrollments);
    const process = createDailyRunProcessor({ openSession: async () => session0(), logger });
    const job = new Job(
      session.queues.queues.orchestrator,
      'daily-run',
      { kind: 'daily-run' },
      { prevMillis: SLOT },
    );
    const result = await process(job);
    expect(result.date).toBe('2026-03-01');
    // Without a worker the enrollments jobs are still waiting, so their flows (and finalize
    // jobs) do not exist yet: the windows are reported as planned again, but the pending
    // enrollments jobs block any re-add (enqueueRun), so the queue is unchanged.
    const windows = [...before.values()].reduce(
      (n: number, data) => n + (data as { groups: unknown[] }).groups.length,
      0,
    );
    expect(result.windows.enqueued + result.windows.inProgress).toBe(windows);
    expect(await enqueued(session.queues.queues.enrollments)).toEqual(before);
  });

  it('rejects a malformed payload without enqueueing', async () => {
    const process = createDailyRunProcessor({ openSession: async () => session0(), logger });
    const job = new Job(
      session.queues.queues.orchestrator,
      'daily-run',
      { kind: 'daily-run', lagDays: -1 },
      {},
    );
    await expect(process(job)).rejects.toThrow(/invalid daily-run job payload: lagDays/);
  });
});

/** A fresh session on the scheduled sandbox (the processor closes what it opens). */
function session0(): Promise<ProducerSession> {
  return openProducerSession(parseEnv(viaSchedule.env), logger);
}

/** A payload with every `runId` field removed. */
function withoutRunIds(data: unknown): unknown {
  return JSON.parse(
    JSON.stringify(data, (key, value: unknown) => (key === 'runId' ? undefined : value)),
  );
}

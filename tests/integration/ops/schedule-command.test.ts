import { randomUUID } from 'node:crypto';

import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';

import { runCli } from '../../helpers/capture.js';
import { deleteKeys, TEST_REDIS_URL } from '../../helpers/pipeline.js';

/** `contrail schedule` against the real Redis: register (idempotent), list, remove, bad input. */

const prefix = `test-schedule-${randomUUID().slice(0, 8)}`;
const env = { REDIS_URL: TEST_REDIS_URL, CONTRAIL_QUEUE_PREFIX: prefix };
const orchestrator = new Queue('orchestrator', { connection: { url: TEST_REDIS_URL }, prefix });

afterAll(async () => {
  await orchestrator.close();
  await deleteKeys(prefix);
});

describe('contrail schedule', () => {
  it('registers the daily run once however often it is called', async () => {
    for (let i = 0; i < 3; i += 1) {
      const result = await runCli(['schedule', '--cron', '0 3 * * *', '--tz', 'UTC'], env);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^daily run scheduled: cron "0 3 \* \* \*" \(UTC\)/);
    }
    const schedulers = await orchestrator.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toEqual([
      ['contrail-daily-run', '0 3 * * *', 'UTC'],
    ]);
    const delayed = await orchestrator.getDelayed();
    expect(delayed).toHaveLength(1);
    expect(delayed[0]?.name).toBe('daily-run');
    expect(delayed[0]?.data).toEqual({ kind: 'daily-run', lagDays: 1 });
    const slot = Number(delayed[0]?.id?.split(':').at(-1));
    expect(new Date(slot).toISOString()).toMatch(/T03:00:00\.000Z$/);
    expect(delayed[0]?.opts.attempts).toBe(3);
  });

  it('updates the pattern, time zone and lag in place', async () => {
    const result = await runCli(
      ['schedule', '--cron', '30 5 * * *', '--tz', 'Europe/Berlin', '--lag-days', '2'],
      env,
    );
    expect(result.code).toBe(0);
    const listed = await runCli(['schedule', '--list', '--json'], env);
    expect(listed.code).toBe(0);
    const entries = JSON.parse(listed.stdout) as {
      id: string;
      cron: string;
      tz: string;
      lagDays: number;
      next: string;
    }[];
    expect(entries).toEqual([
      expect.objectContaining({
        id: 'contrail-daily-run',
        cron: '30 5 * * *',
        tz: 'Europe/Berlin',
        lagDays: 2,
      }),
    ]);
    // 05:30 in Berlin is 04:30 or 03:30 UTC depending on daylight saving time.
    expect(entries[0]?.next).toMatch(/T0[34]:30:00\.000Z$/);
    const delayed = await orchestrator.getDelayed();
    expect(delayed.map((j) => j.data as unknown)).toEqual([{ kind: 'daily-run', lagDays: 2 }]);
    const text = await runCli(['schedule', '--list'], env);
    expect(text.stdout).toMatch(
      /^contrail-daily-run: cron "30 5 \* \* \*" \(Europe\/Berlin\), lag 2 days, next /,
    );
  });

  it('removes the scheduler and its pending slot, and says when there was none', async () => {
    const removed = await runCli(['schedule', '--remove'], env);
    expect([removed.code, removed.stdout]).toEqual([0, 'daily run scheduler removed\n']);
    expect(await orchestrator.getJobSchedulers()).toEqual([]);
    expect(await orchestrator.getDelayedCount()).toBe(0);
    const again = await runCli(['schedule', '--remove'], env);
    expect([again.code, again.stdout]).toEqual([0, 'no daily run scheduler was registered\n']);
    const listed = await runCli(['schedule', '--list'], env);
    expect(listed.stdout).toBe('no schedulers registered\n');
  });

  it('rejects bad patterns, zones and flag combinations with exit 2, registering nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['schedule', '--cron', 'at dawn'], /--cron "at dawn"/],
      [['schedule', '--tz', 'Atlantis/Capital'], /--tz Atlantis\/Capital: not an IANA time zone/],
      [['schedule', '--lag-days', '-1'], /--lag-days/],
      [['schedule', '--list', '--remove'], /--list and --remove cannot be combined/],
      [['schedule', '--remove', '--cron', '0 3 * * *'], /only apply when registering/],
      [['schedule', '--json'], /--json needs --list/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, env);
      expect([args.join(' '), result.code]).toEqual([args.join(' '), 2]);
      expect(result.stderr).toMatch(message);
    }
    expect(await orchestrator.getJobSchedulers()).toEqual([]);
  });

  it('fails with exit 1 and a hint when Redis is not reachable', async () => {
    const result = await runCli(['schedule'], { ...env, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Redis is not reachable at redis:\/\/127\.0\.0\.1:1/);
  });
});

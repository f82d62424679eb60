import { describe, expect, it } from 'vitest';

import {
  completionDelays,
  parentNotifications,
  parentOfKey,
  quantile,
  startOverheads,
  totalCompute,
  type JobTiming,
} from '../../../bench/pipeline/job-timings.js';
import { phaseFigures } from '../../../bench/pipeline/phase-figures.js';
import { comparisonLines, splitLines } from '../../../bench/pipeline/report.js';
import { targetRows, targetTable } from '../../../bench/pipeline/targets.js';

function job(fields: Partial<JobTiming> & Pick<JobTiming, 'id'>): JobTiming {
  return {
    queue: 'metric',
    timestamp: 0,
    processedOn: 0,
    finishedOn: 0,
    completedAt: null,
    processedBy: 'w1',
    parent: null,
    readMs: null,
    computeMs: null,
    ...fields,
  };
}

describe('startOverheads', () => {
  it('measures from the later of enqueue and the same worker finishing its previous job', () => {
    const jobs = [
      job({ id: 'a', timestamp: 100, processedOn: 103, finishedOn: 200 }),
      // queued long before the worker was free: waits from 200 (a finished) to 204
      job({ id: 'b', timestamp: 101, processedOn: 204, finishedOn: 300 }),
      // enqueued after the worker went idle: waits from its own timestamp
      job({ id: 'c', timestamp: 350, processedOn: 352, finishedOn: 400 }),
      // another worker's job does not use w1's finish times
      job({ id: 'd', timestamp: 100, processedOn: 110, finishedOn: 500, processedBy: 'w2' }),
      job({ id: 'e', queue: 'finalize', timestamp: 0, processedOn: 1000, finishedOn: 1001 }),
    ];
    expect(startOverheads(jobs, 'metric').sort((x, y) => x - y)).toEqual([2, 3, 4, 10]);
  });
});

describe('completionDelays', () => {
  it('measures from the processor end to Redis recording the completion, per queue', () => {
    const jobs = [
      job({ id: 'a', finishedOn: 200, completedAt: 203 }),
      job({ id: 'b', finishedOn: 300, completedAt: 300 }),
      job({ id: 'unknown', finishedOn: 400 }),
      job({ id: 'f', queue: 'finalize', finishedOn: 500, completedAt: 590 }),
    ];
    expect(completionDelays(jobs, 'metric')).toEqual([3, 0]);
    expect(completionDelays(jobs, 'finalize')).toEqual([90]);
  });
});

describe('parentNotifications', () => {
  it('measures from the last child completed (else finished) to the parent starting', () => {
    const jobs = [
      // completed in Redis at 702, after m2 finished: the finalize job was ready at 702
      job({ id: 'm0', finishedOn: 690, completedAt: 702, parent: 'finalize:f' }),
      job({ id: 'm1', finishedOn: 500, parent: 'finalize:f' }),
      job({ id: 'm2', finishedOn: 700, parent: 'finalize:f' }),
      job({ id: 'f', queue: 'finalize', processedOn: 706, finishedOn: 800, parent: 'export:x' }),
      job({ id: 'x', queue: 'export', processedOn: 801, finishedOn: 900 }),
      job({ id: 'lonely', queue: 'finalize', processedOn: 5000, finishedOn: 5001 }),
    ];
    expect(parentNotifications(jobs)).toEqual([4, 1]);
  });

  it('reads BullMQ parent keys without the queue prefix', () => {
    expect(parentOfKey('bench-1:finalize:finalize.a.b', 'bench-1')).toBe('finalize:finalize.a.b');
    expect(parentOfKey(undefined, 'bench-1')).toBeNull();
  });
});

describe('quantile and totals', () => {
  it('uses the nearest rank', () => {
    const values = [5, 1, 4, 2, 3];
    expect(quantile(values, 0.5)).toBe(3);
    expect(quantile(values, 0.95)).toBe(5);
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('sums processing time over every job', () => {
    const jobs = [
      job({ id: 'a', processedOn: 10, finishedOn: 25 }),
      job({ id: 'b', queue: 'export', processedOn: 30, finishedOn: 31 }),
    ];
    expect(totalCompute(jobs)).toBe(16);
  });
});

/** Two metric jobs of one worker taking 100·scale ms each, a finalize parent, an export. */
function runOf(scale: number): JobTiming[] {
  const end = 1000 + 200 * scale;
  return [
    job({ id: 'e', queue: 'enrollments', timestamp: 950, processedOn: 960, finishedOn: 990 }),
    job({
      id: 'm1',
      timestamp: 1000,
      processedOn: 1002,
      finishedOn: 1000 + 100 * scale,
      completedAt: 1003 + 100 * scale,
      parent: 'finalize:f',
      readMs: 30 * scale,
      computeMs: 60 * scale,
    }),
    job({
      id: 'm2',
      timestamp: 1000,
      processedOn: 1000 + 100 * scale,
      finishedOn: end,
      completedAt: end + 1,
      parent: 'finalize:f',
      readMs: 30 * scale,
      computeMs: 60 * scale,
    }),
    job({
      id: 'f',
      queue: 'finalize',
      timestamp: 1000,
      processedOn: end + 3,
      finishedOn: end + 23,
    }),
  ];
}

describe('phaseFigures and the report', () => {
  it('splits the run by queue and the metric spans into read, statistics and other', () => {
    const f = phaseFigures(1, 400, 900, runOf(2));
    expect(f.firstJobAddedMs).toBe(50);
    expect(f.split.map((q) => [q.queue, q.jobs, q.computeMs])).toEqual([
      ['enrollments', 1, 30],
      ['metric', 2, 398],
      ['finalize', 1, 20],
      ['export', 0, 0],
    ]);
    expect(f.split[1]?.firstStartMs).toBe(102);
    expect(f.split[1]?.lastFinishMs).toBe(500);
    expect(f.metricSpan.median).toBe(198);
    expect(f.metricReadMs).toBe(120);
    expect(f.metricOther.p95).toBe(20);
    expect(f.completion.median).toBe(1);
    expect(f.completion.p95).toBe(3);
    expect(f.parentNotification.median).toBe(2);
    const split = splitLines(f).join('\n');
    expect(split).toMatch(/metric\s+2\s+0\.4 s\s+88\.8%\s+0\.1 s\s+0\.5 s/);
  });

  it('compares the phases: wall, speed-up, utilisation, CPU', () => {
    const one = phaseFigures(1, 500, 900, runOf(2));
    const two = phaseFigures(2, 250, 900, runOf(1));
    const cpu = [
      { run: 0.1, workers: 0.4, redis: 0.05 },
      { run: 0.1, workers: 0.45, redis: 0.05 },
    ];
    const text = comparisonLines([one, two], cpu).join('\n');
    expect(text).toMatch(/wall\s+0\.5 s\s+0\.3 s/);
    expect(text).toMatch(/speed-up vs 1 process\s+1\.00×\s+2\.00×/);
    // metric spans: 398 ms in 500 ms on one process; 198 ms in 250 ms on each of two
    expect(text).toMatch(/utilisation\s+79\.6%\s+39\.6%/);
    expect(text).toMatch(/cores used by workers\s+0\.80\s+1\.80/);
    expect(text).toMatch(/CPU: workers, run, Redis\s+0\.4, 0\.1, 0\.1 s\s+0\.5, 0\.1, 0\.1 s/);
  });
});

describe('targets', () => {
  it('passes and misses against the issue targets', () => {
    const one = phaseFigures(1, 400, 900, runOf(2));
    const two = phaseFigures(2, 300, 900, runOf(1));
    expect(one.startOverhead.median).toBe(0);
    const rows = targetRows(one, two);
    const speedUp = rows.find((r) => r.figure.startsWith('speed-up'));
    expect(speedUp?.value).toBeCloseTo(400 / 300);
    const table = targetTable(rows).join('\n');
    expect(table).toMatch(/speed-up 1 → 2 workers\s+1\.33×\s+≥ 1\.70×\s+0\.78\s+MISS/);
    expect(table).toMatch(/median start wait, 1 worker\(s\)\s+0\.0 ms\s+≤ 5\.0 ms\s+0\.00\s+PASS/);
    expect(table).toMatch(/median parent wait, 2 worker\(s\)\s+2\.0 ms\s+≤ 5\.0 ms\s+0\.40\s+PASS/);
  });
});

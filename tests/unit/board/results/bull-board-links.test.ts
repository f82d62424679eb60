import { describe, expect, it } from 'vitest';

import { taskId } from '../../../../src/analysis/task-id.js';
import { bullBoardLinks } from '../../../../src/board/results/bull-board-links.js';

describe('bullBoardLinks', () => {
  const selected = {
    name: 'statistics_my_exp_week_2',
    period: 'week' as const,
    windowIndex: 2,
    lastUpdated: null,
    rows: 1,
  };
  const effective = { lastEnrollmentDate: '2026-02-16', endDate: null };

  it('links the enrollments, finalize and export jobs of the window’s run by their ids', () => {
    const links = bullBoardLinks({
      basePath: '/admin/queues/',
      queueName: (q) => q,
      slug: 'my-exp',
      selected,
      effective,
    });
    const finalizeId = taskId({
      kind: 'finalize',
      experiment: 'my-exp',
      date: '2026-03-01',
      period: 'week',
      windowIndex: 2,
    });
    expect(links.map((l) => l.href)).toEqual([
      `/admin/queues/queue/enrollments/${taskId({ kind: 'enrollments', experiment: 'my-exp', date: '2026-03-01' })}`,
      `/admin/queues/queue/finalize/${finalizeId}`,
      `/admin/queues/queue/export/${taskId({ kind: 'export', experiment: 'my-exp', date: '2026-03-01' })}`,
      '/admin/queues/queue/metric?status=failed',
      '/admin/queues/queue/finalize?status=failed',
      '/admin/queues/queue/export?status=failed',
    ]);
    expect(links[0]!.label).toBe('enrollments job of run 2026-03-01');
    expect(links[1]!.label).toBe('finalize job of week 2 (run 2026-03-01)');
  });

  it('uses the board’s queue names and leaves out jobs it cannot name', () => {
    const links = bullBoardLinks({
      basePath: '/q',
      queueName: (q) => `prod ${q}`,
      slug: 'my-exp',
      selected,
      effective: null,
    });
    expect(links.map((l) => l.href)).toEqual([
      '/q/queue/prod%20metric?status=failed',
      '/q/queue/prod%20finalize?status=failed',
      '/q/queue/prod%20export?status=failed',
    ]);
  });
});

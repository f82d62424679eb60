import type { Logger } from 'pino';

import type { ProducerSession } from '../runtime/producer-session.js';
import { enqueueRun, type EnqueueOptions, type EnqueueResult } from './enqueue-run.js';
import { planRun, type PlannedRun, type RunRequest } from './plan-run.js';
import { recordRunProblems } from './run-problem-logs.js';

/** What {@link planAndEnqueue} planned and what it added to the queues. */
export interface PlannedAndEnqueued {
  readonly planned: PlannedRun;
  readonly enqueued: EnqueueResult;
}

/**
 * One run date, as `contrail run`, the scheduler's daily job and the demo all do it: plans
 * (config, experiments, gating, due periods), records the planning problems in the logs table
 * under their experiments, then enqueues the flows of what is not done yet.
 */
export async function planAndEnqueue(
  session: Pick<ProducerSession, 'source' | 'metricHub' | 'queues' | 'warehouse'>,
  logger: Logger,
  request: RunRequest,
  options: Omit<EnqueueOptions, 'runId'> & { readonly now: Date },
): Promise<PlannedAndEnqueued> {
  const planned = await planRun(
    { source: session.source, metricHub: session.metricHub, logger },
    request,
  );
  const { now, ...enqueueOptions } = options;
  const warehouse = session.warehouse.warehouse;
  await recordRunProblems({ warehouse, logger }, planned, request.date, now);
  const enqueued = await enqueueRun(
    { queues: session.queues, warehouse, logger },
    planned.plan,
    planned.items,
    { ...enqueueOptions, runId: now.toISOString() },
  );
  return { planned, enqueued };
}

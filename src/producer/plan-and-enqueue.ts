import type { Logger } from 'pino';

import type { ProducerSession } from '../runtime/producer-session.js';
import type { DataReadiness } from './data-readiness.js';
import { enqueueRun, type EnqueueOptions, type EnqueueResult } from './enqueue-run.js';
import { recordNotReadyWindows } from './not-ready-logs.js';
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
 * under their experiments, then enqueues the flows of what is not done yet and whose data has
 * landed; windows whose data has not are logged there too (`DataNotReady`). `readiness` shares
 * the data-readiness probes between the dates of one command.
 */
export async function planAndEnqueue(
  session: Pick<ProducerSession, 'source' | 'metricHub' | 'queues' | 'warehouse'>,
  logger: Logger,
  request: RunRequest,
  options: Omit<EnqueueOptions, 'runId'> & {
    readonly now: Date;
    readonly readiness?: DataReadiness;
  },
): Promise<PlannedAndEnqueued> {
  const planned = await planRun(
    { source: session.source, metricHub: session.metricHub, logger },
    request,
  );
  const { now, readiness, ...enqueueOptions } = options;
  const warehouse = session.warehouse.warehouse;
  await recordRunProblems({ warehouse, logger }, planned, request.date, now);
  const enqueued = await enqueueRun(
    {
      queues: session.queues,
      warehouse,
      logger,
      ...(readiness === undefined ? {} : { readiness }),
    },
    planned.plan,
    planned.items,
    { ...enqueueOptions, runId: now.toISOString() },
  );
  await recordNotReadyWindows({ warehouse, logger }, enqueued, request.date, now);
  return { planned, enqueued };
}

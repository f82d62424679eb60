/**
 * contrail's queues. Each job kind has its own queue so workers can be scaled per kind and Bull
 * Board shows them apart. Keys are `<prefix>:<queue>:...` (BullMQ `prefix`, never ioredis
 * `keyPrefix`).
 */
export const QUEUE_NAMES = ['orchestrator', 'enrollments', 'metric', 'finalize', 'export'] as const;

/** One queue name. */
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Job kinds, one per queue (`daily-run` is the scheduler's job on the orchestrator queue). */
export const JOB_QUEUE = {
  'daily-run': 'orchestrator',
  enrollments: 'enrollments',
  // Metrics tables share the metric queue: both are worker-thread work, scaled together.
  'metrics-table': 'metric',
  metric: 'metric',
  finalize: 'finalize',
  export: 'export',
} as const satisfies Record<string, QueueName>;

/** One job kind. */
export type JobKind = keyof typeof JOB_QUEUE;

/** True when `value` names a contrail queue. */
export function isQueueName(value: string): value is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(value);
}

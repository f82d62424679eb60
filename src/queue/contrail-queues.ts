import { FlowProducer, Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import { QUEUE_NAMES, type QueueName } from './queue-names.js';

/** Options of {@link openQueues}. */
export interface QueuesOptions {
  /** A connection made by `createRedisConnection` (shared by every queue and the flow producer). */
  readonly connection: Redis;
  /** BullMQ key prefix. */
  readonly prefix: string;
  /** Max entries in each queue's events stream (each `completed` entry carries a return value). */
  readonly eventsMaxLen?: number;
}

/** Every contrail queue and the flow producer, over one shared connection. */
export interface ContrailQueues {
  readonly prefix: string;
  readonly connection: Redis;
  readonly queues: Readonly<Record<QueueName, Queue>>;
  readonly flows: FlowProducer;
  /** Closes the queues and the flow producer (not the connection, which the caller owns). */
  close(): Promise<void>;
}

/** Opens every queue named in {@link QUEUE_NAMES} under `prefix`. */
export function openQueues(options: QueuesOptions): ContrailQueues {
  const common = { connection: options.connection, prefix: options.prefix };
  const queues = Object.fromEntries(
    QUEUE_NAMES.map((name) => [
      name,
      new Queue(name, {
        ...common,
        streams: { events: { maxLen: options.eventsMaxLen ?? 2_000 } },
      }),
    ]),
  ) as Record<QueueName, Queue>;
  const flows = new FlowProducer(common);
  for (const queue of Object.values(queues)) queue.on('error', () => undefined);
  flows.on('error', () => undefined);
  return {
    prefix: options.prefix,
    connection: options.connection,
    queues,
    flows,
    async close() {
      await Promise.all([...Object.values(queues).map((queue) => queue.close()), flows.close()]);
    },
  };
}

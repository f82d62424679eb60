import type { ContrailQueues } from './contrail-queues.js';
import type { QueueName } from './queue-names.js';

/**
 * How many workers are connected to each of `names` (BullMQ's `getWorkersCount`: the clients
 * whose `CLIENT SETNAME` names a worker of that queue). Null when Redis will not tell
 * (`CLIENT LIST` refused or failing): absence of evidence is not an absent worker.
 */
export async function workerCounts(
  queues: ContrailQueues,
  names: readonly QueueName[],
): Promise<Map<QueueName, number> | null> {
  try {
    const counts = await Promise.all(names.map((name) => queues.queues[name].getWorkersCount()));
    return new Map(names.map((name, i) => [name, counts[i] ?? 0]));
  } catch {
    return null;
  }
}

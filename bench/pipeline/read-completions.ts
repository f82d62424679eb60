import type { Redis } from 'ioredis';

/** Stream id `<ms>-<seq>` → ms. */
function streamMs(id: string): number {
  return Number(id.slice(0, id.indexOf('-')));
}

/** The value of `name` in a stream entry's flat field list, else undefined. */
function field(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === name) return fields[i + 1];
  }
  return undefined;
}

/**
 * When Redis recorded each job of `queue` as completed since `sinceMs` (epoch ms): job id → the
 * ms of its `completed` event in BullMQ's event stream `<prefix>:<queue>:events`, whose ids
 * carry Redis's clock. A job completed more than once keeps its last completion.
 */
export async function readCompletions(
  redis: Redis,
  prefix: string,
  queue: string,
  sinceMs: number,
): Promise<Map<string, number>> {
  const entries = await redis.xrange(`${prefix}:${queue}:events`, String(sinceMs), '+');
  const completions = new Map<string, number>();
  for (const [id, fields] of entries) {
    const jobId = field(fields, 'jobId');
    if (field(fields, 'event') === 'completed' && jobId !== undefined) {
      completions.set(jobId, streamMs(id));
    }
  }
  return completions;
}

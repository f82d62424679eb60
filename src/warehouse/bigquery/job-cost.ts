import type { QueryCost } from '../warehouse.js';
import { asObject, stringField, type JsonObject } from './bigquery-rest.js';

/** An int64 statistic (a decimal string on the wire); 0 when absent or not a number. */
function int64(object: JsonObject, key: string): number {
  const value = Number(stringField(object, key) ?? object[key] ?? 0);
  return Number.isFinite(value) ? value : 0;
}

/**
 * The cost of a finished job from its resource's `statistics`: `totalBytesProcessed`,
 * `query.totalBytesBilled`, `totalSlotMs` and the wall time from creation to end (`fallbackMs`
 * when the times are missing).
 */
export function jobCost(resource: JsonObject, fallbackMs: number): QueryCost {
  const statistics = asObject(resource.statistics);
  const query = asObject(statistics.query);
  const created = int64(statistics, 'creationTime');
  const ended = int64(statistics, 'endTime');
  return {
    bytesProcessed: int64(statistics, 'totalBytesProcessed'),
    bytesBilled: int64(query, 'totalBytesBilled'),
    slotMs: int64(statistics, 'totalSlotMs'),
    elapsedMs: created > 0 && ended >= created ? ended - created : fallbackMs,
  };
}

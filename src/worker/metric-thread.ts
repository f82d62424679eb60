import { parentPort, workerData } from 'node:worker_threads';

import { coerceError } from '../analysis/coerce-error.js';
import { parseJobPayload } from '../queue/job-payloads.js';
import {
  openWarehouse,
  type OpenWarehouse,
  type WarehouseConfig,
} from '../runtime/open-warehouse.js';
import type { SerializedError, ThreadRequest, ThreadResponse } from './job-thread-pool.js';
import { createMetricProcessor, type MetricJobResult } from './metric-processor.js';
import { SharedMetricReads } from './shared-metric-reads.js';

/**
 * Worker-thread entry of metric jobs: one warehouse connection per thread (opened on the first
 * job, reused after) and the reads its jobs share with their siblings, the payload validated on receipt, the result or the error posted back.
 */
const config = workerData as { warehouse: WarehouseConfig };
let opened: Promise<OpenWarehouse> | null = null;
let sharedReads: SharedMetricReads | null = null;

async function run(payload: unknown): Promise<MetricJobResult> {
  opened ??= openWarehouse(config.warehouse);
  const { warehouse, stage } = await opened;
  const now = () => performance.now();
  sharedReads ??= new SharedMetricReads(warehouse, { now });
  const job = parseJobPayload('metric', payload);
  return createMetricProcessor({ warehouse, stage, now, sharedReads })(job);
}

function serialize(thrown: unknown): SerializedError {
  const error = coerceError(thrown);
  const retryable = (error as { retryable?: unknown }).retryable;
  return {
    name: error.name,
    message: error.message,
    ...(error.stack === undefined ? {} : { stack: error.stack }),
    ...(typeof retryable === 'boolean' ? { retryable } : {}),
  };
}

parentPort?.on('message', (request: ThreadRequest<unknown>) => {
  run(request.payload).then(
    (value) =>
      parentPort?.postMessage({
        id: request.id,
        ok: true,
        value,
      } satisfies ThreadResponse<MetricJobResult>),
    (thrown: unknown) =>
      parentPort?.postMessage({
        id: request.id,
        ok: false,
        error: serialize(thrown),
      } satisfies ThreadResponse<MetricJobResult>),
  );
});

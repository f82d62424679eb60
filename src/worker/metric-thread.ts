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
import {
  createMetricsTableProcessor,
  type MetricsTableJobResult,
} from './metrics-table-processor.js';

/**
 * Worker-thread entry of metric and metrics-table jobs: one warehouse connection per thread
 * (opened on the first job, reused after), the payload validated on receipt (its `kind` picks
 * the processor), the result or the error posted back.
 */
const config = workerData as { warehouse: WarehouseConfig };
let opened: Promise<OpenWarehouse> | null = null;

type ThreadResult = MetricJobResult | MetricsTableJobResult;

async function run(payload: unknown): Promise<ThreadResult> {
  opened ??= openWarehouse(config.warehouse);
  const { warehouse, stage } = await opened;
  const now = () => performance.now();
  const kind = (payload as { kind?: unknown } | null)?.kind;
  if (kind === 'metrics-table') {
    return createMetricsTableProcessor({ warehouse, now })(
      parseJobPayload('metrics-table', payload),
    );
  }
  return createMetricProcessor({ warehouse, stage, now })(parseJobPayload('metric', payload));
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
      } satisfies ThreadResponse<ThreadResult>),
    (thrown: unknown) =>
      parentPort?.postMessage({
        id: request.id,
        ok: false,
        error: serialize(thrown),
      } satisfies ThreadResponse<ThreadResult>),
  );
});

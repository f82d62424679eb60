import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Job, WaitingChildrenError, WaitingError, Worker, type Processor } from 'bullmq';
import type { Logger } from 'pino';

import { coerceError } from '../analysis/coerce-error.js';
import { openQueues, type ContrailQueues } from '../queue/contrail-queues.js';
import { experimentFlow, metricChild } from '../queue/experiment-flow.js';
import { DEFAULT_JOB_POLICY, type JobPolicy } from '../queue/job-options.js';
import { parseJobPayload, type FinalizeJob } from '../queue/job-payloads.js';
import type { QueueName } from '../queue/queue-names.js';
import { createRedisConnection } from '../queue/redis-connection.js';
import { createRedisStateLog } from '../queue/redis-state-log.js';
import { reloadScripts } from '../queue/reload-scripts.js';
import { openWarehouse, type WarehouseConfig } from '../runtime/open-warehouse.js';
import type { RowStage } from '../warehouse/staging/row-stage.js';
import { compiledEntry, SOURCE_ROOT } from './compiled-entry.js';
import { createEnrollmentsProcessor } from './enrollments-processor.js';
import { toJobError } from './error-policy.js';
import { createExportProcessor } from './export-processor.js';
import type { ExportTarget } from './export-target.js';
import { createFinalizeProcessor, type FailedMetric } from './finalize-processor.js';
import { startHealthServer } from './health-server.js';
import { createInfrastructureHealth, type InfrastructureHealth } from './infrastructure-health.js';
import { createJobThreadPool, ThreadAbortedError } from './job-thread-pool.js';
import type { MetricJobResult } from './metric-processor.js';
import { metricJobsAfterTables, type FailedMetricsTable } from './metric-jobs-after-tables.js';
import type { MetricsTableJobResult } from './metrics-table-processor.js';
import { createScriptRecovery, type ScriptRecovery } from './script-recovery.js';

/** Settings of a worker process. */
export interface WorkerSettings {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly warehouse: WarehouseConfig;
  readonly exports: ExportTarget;
  /** Queues to work on. @defaultValue all but `orchestrator` unless `dailyRun` is given */
  readonly queues: readonly QueueName[];
  /** Metric jobs in parallel (one worker thread each). */
  readonly concurrency: number;
  /** Lock of an active job in ms; renewed every half of it. @defaultValue 120 000 */
  readonly lockDurationMs?: number;
  /** Stalled-job check interval in ms. @defaultValue 30 000 */
  readonly stalledIntervalMs?: number;
  /** Stalls tolerated before a job fails (stalls cost no attempt). @defaultValue 2 */
  readonly maxStalledCount?: number;
  /** Wall-clock limit of one metric job in ms. @defaultValue 30 minutes */
  readonly jobTimeoutMs?: number;
  /** HTTP port of /livez and /readyz; undefined = no server. */
  readonly healthPort?: number;
  readonly policy?: JobPolicy;
  readonly logger: Logger;
  /** Shown in Redis `CLIENT LIST` and Bull Board. */
  readonly name?: string;
  /** Processor of the scheduler's daily job (orchestrator queue). */
  readonly dailyRun?: (job: Job) => Promise<unknown>;
  /**
   * After a job failed because of Redis, readiness comes back when a job completes or after
   * this long without another such failure. @defaultValue 30 000
   */
  readonly readinessQuietMs?: number;
  /** The clock, in ms. @defaultValue Date.now */
  readonly now?: () => number;
}

/** A running worker process. */
export interface RunningWorker {
  /** Resolves once every BullMQ worker is connected. */
  readonly ready: Promise<void>;
  /** Health server address, when one runs. */
  readonly healthAddress: AddressInfo | null;
  /**
   * Stops taking jobs and waits for active ones; after `graceMs`, hands the rest back to the
   * queue (no attempt consumed) and closes everything.
   */
  close(graceMs: number): Promise<void>;
}

/** Starts the BullMQ workers of one process (DESIGN.md: horizontally scaled workers). */
export async function startWorker(settings: WorkerSettings): Promise<RunningWorker> {
  const logger = settings.logger;
  const redisLog = createRedisStateLog(logger, settings.redisUrl);
  const connection = createRedisConnection({
    url: settings.redisUrl,
    role: 'worker',
    connectionName: settings.name ?? 'contrail-worker',
  });
  redisLog.watch(connection);
  const infra = createInfrastructureHealth({
    now: settings.now ?? Date.now,
    ...(settings.readinessQuietMs === undefined ? {} : { quietMs: settings.readinessQuietMs }),
    onChange: (problem) =>
      problem === null
        ? logger.info('ready again: jobs no longer fail because of Redis')
        : logger.warn({ problem }, 'not ready: jobs fail because of Redis'),
  });
  const scripts = createScriptRecovery({ reload: () => reloadScripts([connection]), logger });
  const queues = openQueues({ connection, prefix: settings.prefix });
  const main = await openWarehouse(settings.warehouse);
  const pool = createJobThreadPool<unknown, MetricJobResult | MetricsTableJobResult>({
    entry: compiledEntry(import.meta.url, SOURCE_ROOT, 'worker/metric-thread.js'),
    size: settings.concurrency,
    workerData: { warehouse: settings.warehouse },
  });
  const policy = settings.policy ?? DEFAULT_JOB_POLICY;
  const processors = buildProcessors(settings, queues, main, pool, policy, scripts);
  const workerConnections: ReturnType<typeof createRedisConnection>[] = [];
  const workers = settings.queues.flatMap((name) => {
    const processor = processors[name];
    if (processor === undefined) return [];
    const workerConnection = createRedisConnection({
      url: settings.redisUrl,
      role: 'worker',
      connectionName: `${settings.name ?? 'contrail-worker'}:${name}`,
    });
    workerConnections.push(workerConnection);
    redisLog.watch(workerConnection);
    const worker = new Worker(name, processor, {
      connection: workerConnection,
      prefix: settings.prefix,
      concurrency: name === 'metric' ? settings.concurrency : name === 'finalize' ? 4 : 2,
      lockDuration: settings.lockDurationMs ?? 120_000,
      stalledInterval: settings.stalledIntervalMs ?? 30_000,
      maxStalledCount: settings.maxStalledCount ?? 2,
      ...(settings.name === undefined ? {} : { name: settings.name }),
    });
    followWorker(worker, name, { logger, redisLog, infra, scripts });
    return [worker];
  });
  const ready = Promise.all(workers.map((w) => w.waitUntilReady())).then(() => undefined);
  let isReady = false;
  void ready.then(
    () => (isReady = true),
    () => undefined,
  );
  const health: Server | null =
    settings.healthPort === undefined
      ? null
      : await startHealthServer(
          {
            live: () => workers.every((w) => w.isRunning()),
            ready: () => isReady && infra.problem() === null,
            notReadyReason: () => (isReady ? infra.problem() : 'connecting to Redis'),
          },
          settings.healthPort,
        );
  return {
    ready,
    healthAddress: (health?.address() as AddressInfo | null) ?? null,
    async close(graceMs) {
      const closing = Promise.all(workers.map((w) => w.close()));
      const timer = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), graceMs).unref(),
      );
      if ((await Promise.race([closing, timer])) === 'timeout') {
        logger.warn({ graceMs }, 'grace period over; handing active jobs back to the queue');
        await pool.abortAll();
        await closing;
      }
      await pool.close();
      await queues.close();
      await main.close();
      await new Promise<void>((resolve) => (health ? health.close(() => resolve()) : resolve()));
      connection.disconnect();
      for (const c of workerConnections) c.disconnect();
    },
  };
}

/**
 * Logs a BullMQ worker's errors and failed jobs, tells the readiness state about them (and about
 * completed jobs), and reloads Redis's scripts when an error says it lost them.
 */
function followWorker(
  worker: Worker,
  queue: QueueName,
  deps: {
    logger: Logger;
    redisLog: ReturnType<typeof createRedisStateLog>;
    infra: InfrastructureHealth;
    scripts: ScriptRecovery;
  },
): void {
  const { logger, redisLog, infra, scripts } = deps;
  worker.on('error', (error) => {
    infra.failed(error);
    void scripts.recover(error);
    if (!redisLog.report(error)) logger.error({ queue, err: error }, 'worker error');
  });
  worker.on('failed', (job, error) => {
    infra.failed(error);
    logger.warn(
      { queue, job: job?.id, attempts: job?.attemptsMade, err: error.message },
      'job failed',
    );
  });
  worker.on('completed', () => infra.succeeded());
}

type Processors = Partial<Record<QueueName, Processor>>;

function buildProcessors(
  settings: WorkerSettings,
  queues: ContrailQueues,
  main: Awaited<ReturnType<typeof openWarehouse>>,
  pool: ReturnType<typeof createJobThreadPool<unknown, MetricJobResult | MetricsTableJobResult>>,
  policy: JobPolicy,
  scripts: ScriptRecovery,
): Processors {
  const now = () => new Date();
  const enrollments = createEnrollmentsProcessor({
    warehouse: main.warehouse,
    isWindowDone: async (id) => (await queues.queues.finalize.getJobState(id)) === 'completed',
    addFlow: async (job, groups) => {
      await queues.flows.add(experimentFlow(job, groups, policy));
    },
  });
  const finalize = createFinalizeProcessor({ warehouse: main.warehouse, stage: main.stage, now });
  const exporter = createExportProcessor({
    warehouse: main.warehouse,
    target: settings.exports,
    now,
    logger: settings.logger,
  });
  const guard =
    (run: (job: Job, token?: string) => Promise<unknown>): Processor =>
    async (job, token): Promise<unknown> => {
      try {
        return await scripts.guard(run)(job, token);
      } catch (e) {
        throw toJobError(e);
      }
    };
  return {
    enrollments: guard((job) => enrollments(parseJobPayload('enrollments', job.data))),
    metric: async (job, token) => {
      try {
        return await pool.run(job.data, { timeoutMs: settings.jobTimeoutMs ?? 30 * 60_000 });
      } catch (e) {
        const error = coerceError(e);
        if (
          error instanceof ThreadAbortedError &&
          error.reason === 'shutdown' &&
          token !== undefined
        ) {
          await job.moveToWait(token);
          throw new WaitingError();
        }
        throw toJobError(error);
      }
    },
    finalize: scripts.guard(async (job, token) => {
      try {
        let payload = parseJobPayload('finalize', job.data);
        if (payload.step === 'tables') {
          const next = await addMetricJobs(job, token, payload, queues, policy);
          if (next === 'waiting') throw new WaitingChildrenError();
          payload = next;
        }
        const children = await childrenOf(job, queues);
        return await finalize(payload, {
          completed: children.completed,
          failed: [
            ...children.failed,
            ...payload.tableFailures.map((f) => ({
              metric: f.metric,
              jobId: f.jobId,
              reason: f.reason,
            })),
          ],
        });
      } catch (e) {
        if (e instanceof WaitingChildrenError) throw e;
        throw toJobError(e);
      }
    }),
    export: guard(async (job) => {
      const result = await exporter(parseJobPayload('export', job.data));
      await dropStagedWindows(job, main.stage);
      return result;
    }),
    ...(settings.dailyRun === undefined
      ? {}
      : { orchestrator: guard((job) => settings.dailyRun!(job)) }),
  };
}

/** True for the id of a metrics-table job (they share the metric queue with metric jobs). */
function isMetricsTableId(jobId: string): boolean {
  return jobId.startsWith('metrics-table.');
}

/**
 * A finalize job's first step: once its metrics-table children are done, adds the metric jobs
 * whose columns were written as further children (deterministic ids: adding twice adds nothing),
 * records the others as failures, and waits for the new children.
 * @returns 'waiting' when the job now waits for its children, else the payload to finalize with.
 */
async function addMetricJobs(
  job: Job,
  token: string | undefined,
  payload: FinalizeJob,
  queues: ContrailQueues,
  policy: JobPolicy,
): Promise<FinalizeJob | 'waiting'> {
  const completed: MetricsTableJobResult[] = [];
  for (const [key, value] of Object.entries(await job.getChildrenValues<unknown>())) {
    const result = value as Partial<MetricsTableJobResult> | null;
    if (isMetricsTableId(jobIdOfKey(key)) && result?.kind === 'metrics-table') {
      completed.push(result as MetricsTableJobResult);
    }
  }
  const failed: FailedMetricsTable[] = [];
  for (const [key, reason] of Object.entries(await job.getIgnoredChildrenFailures())) {
    const jobId = jobIdOfKey(key);
    if (!isMetricsTableId(jobId)) continue;
    const basis = jobId.endsWith('.exposures')
      ? 'exposures'
      : jobId.endsWith('.enrollments')
        ? 'enrollments'
        : null;
    failed.push({ basis, reason: String(reason) });
  }
  const plan = metricJobsAfterTables(payload, { completed, failed });
  const parent = { id: job.id ?? '', queue: job.queueQualifiedName };
  for (const metric of plan.add) {
    const child = metricChild(metric, payload.priority, policy);
    await queues.queues.metric.add(child.name, metric, { ...child.opts, parent });
  }
  const next: FinalizeJob = {
    ...payload,
    step: 'statistics',
    metricJobs: [],
    tableFailures: plan.failures,
  };
  await job.updateData(next);
  if (token !== undefined && plan.add.length > 0 && (await job.moveToWaitingChildren(token))) {
    return 'waiting';
  }
  return next;
}

/** A finalize job's completed and failed metric children (its metrics-table children left out). */
async function childrenOf(job: Job, queues: ContrailQueues) {
  const values = await job.getChildrenValues<MetricJobResult>();
  const completed = new Map<string, MetricJobResult>();
  for (const [key, value] of Object.entries(values)) {
    const jobId = jobIdOfKey(key);
    if (!isMetricsTableId(jobId)) completed.set(jobId, value);
  }
  const failed: FailedMetric[] = [];
  for (const [key, reason] of Object.entries(await job.getIgnoredChildrenFailures())) {
    const jobId = jobIdOfKey(key);
    if (isMetricsTableId(jobId)) continue;
    const child = await Job.fromId(queues.queues.metric, jobId);
    const metric = (child?.data as { metric?: unknown } | undefined)?.metric;
    failed.push({
      metric: typeof metric === 'string' ? metric : jobId,
      jobId,
      reason: String(reason),
    });
  }
  return { completed, failed };
}

/**
 * Drops the staged rows of an export job's windows (its finalize children). They are kept until
 * then so that a finalize job retried after its table write still finds them.
 */
async function dropStagedWindows(job: Job, stage: RowStage): Promise<void> {
  const keys = [
    ...Object.keys(await job.getChildrenValues()),
    ...Object.keys(await job.getIgnoredChildrenFailures()),
  ];
  for (const key of keys) await stage.drop(jobIdOfKey(key, 'finalize'));
}

/** `<prefix>:<queue>:<id>` → `<id>`. */
function jobIdOfKey(key: string, queue: QueueName = 'metric'): string {
  const marker = `:${queue}:`;
  const at = key.indexOf(marker);
  return at < 0 ? key : key.slice(at + marker.length);
}

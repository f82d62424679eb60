import type { Logger } from 'pino';

import type { MetricHub } from '../config/metric-hub.js';
import { loadMetricHub } from '../config/metric-hub.js';
import type { ExperimentSource } from '../experiments/experiment-source.js';
import { openQueues, type ContrailQueues } from '../queue/contrail-queues.js';
import { createRedisConnection, waitForRedis } from '../queue/redis-connection.js';
import type { Env } from './env.js';
import { experimentSourceFromEnv } from './experiment-source.js';
import { metricHubDirFromEnv } from './metric-hub-dir.js';
import { readMetricHubFolder } from './metric-hub-files.js';
import { openWarehouse, warehouseConfigFromEnv, type OpenWarehouse } from './open-warehouse.js';

export { DEFAULT_METRIC_HUB_FOLDER, metricHubDirFromEnv } from './metric-hub-dir.js';

/** Everything a producer command (run, rerun, schedule's daily job) works with. */
export interface ProducerSession {
  readonly source: ExperimentSource;
  readonly metricHub: MetricHub;
  readonly metricHubDir: string;
  readonly warehouse: OpenWarehouse;
  readonly queues: ContrailQueues;
  close(): Promise<void>;
}

/**
 * Opens the producer's dependencies from the environment: Redis (failing fast when it is
 * down), the experiment source, the metric-hub configs, the warehouse and the queues. Closes
 * them in reverse order.
 */
export async function openProducerSession(env: Env, logger: Logger): Promise<ProducerSession> {
  const connection = createRedisConnection({
    url: env.REDIS_URL,
    role: 'producer',
    connectionName: 'contrail-producer',
  });
  const releases: (() => Promise<void>)[] = [
    () => {
      connection.disconnect();
      return Promise.resolve();
    },
  ];
  const close = async () => {
    for (const release of releases.reverse()) await release();
  };
  try {
    await waitForRedis(connection, env.REDIS_URL, { notice: (message) => logger.info(message) });
    const metricHubDir = metricHubDirFromEnv(env);
    const metricHub = loadMetricHub(await readMetricHubFolder(metricHubDir));
    for (const problem of metricHub.problems) logger.warn({ file: problem.file }, String(problem));
    const warehouse = await openWarehouse(warehouseConfigFromEnv(env));
    releases.push(() => warehouse.close());
    const queues = openQueues({ connection, prefix: env.CONTRAIL_QUEUE_PREFIX });
    releases.push(() => queues.close());
    return {
      source: experimentSourceFromEnv(env, logger),
      metricHub,
      metricHubDir,
      warehouse,
      queues,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

import type { Logger } from 'pino';

import { coerceError } from '../../analysis/coerce-error.js';
import { loadMetricHub } from '../../config/metric-hub.js';
import type { Env } from '../../runtime/env.js';
import { experimentSourceFromEnv } from '../../runtime/experiment-source.js';
import { MetricHubReadError, readMetricHubFolder } from '../../runtime/metric-hub-files.js';
import { openWarehouse, warehouseConfigFromEnv } from '../../runtime/open-warehouse.js';
import { metricHubDirFromEnv } from '../../runtime/producer-session.js';
import { metricHubConfigLookup, type ResultsDeps } from './results-deps.js';

/** Options of {@link openResultsDeps}. */
export interface OpenResultsOptions {
  /** Where Bull Board is mounted. @defaultValue `/admin/queues` */
  readonly boardBasePath?: string;
  /** The clock. @defaultValue the system clock */
  readonly now?: () => Date;
  /** See {@link ResultsDeps.bullBoardQueueName}. */
  readonly bullBoardQueueName?: ResultsDeps['bullBoardQueueName'];
}

/** Dependencies of the results router, opened from the environment, with their release. */
export interface OpenResults {
  readonly deps: ResultsDeps;
  close(): Promise<void>;
}

/**
 * The metric-hub checkout, loaded once. An unreadable folder does not stop the board: every
 * page then says why metric descriptions are missing.
 */
async function metricHubLookup(dir: string, log: Logger): Promise<ResultsDeps['analysisConfig']> {
  try {
    const hub = loadMetricHub(await readMetricHubFolder(dir));
    for (const problem of hub.problems) log.warn({ file: problem.file }, String(problem));
    return metricHubConfigLookup(hub);
  } catch (e) {
    const error = coerceError(e);
    if (!(error instanceof MetricHubReadError)) throw error;
    log.error({ dir }, error.message);
    return () => ({ config: null, problems: [error.message] });
  }
}

/**
 * Wires the results pages from the environment (for `contrail board`): the warehouse
 * (CONTRAIL_WAREHOUSE...), the experiment source (CONTRAIL_EXPERIMENTER_URL or the experiments
 * file), the metric-hub checkout (loaded once; problems are logged) and the queue prefix.
 */
export async function openResultsDeps(
  env: Env,
  logger: Logger,
  options: OpenResultsOptions = {},
): Promise<OpenResults> {
  const log = logger.child({ component: 'results' });
  const analysisConfig = await metricHubLookup(metricHubDirFromEnv(env), log);
  const warehouse = await openWarehouse(warehouseConfigFromEnv(env));
  const deps: ResultsDeps = {
    warehouse: warehouse.warehouse,
    experiments: experimentSourceFromEnv(env, logger),
    analysisConfig,
    now: options.now ?? (() => new Date()),
    boardBasePath: options.boardBasePath ?? '/admin/queues',
    queuePrefix: env.CONTRAIL_QUEUE_PREFIX,
    logger: log,
    ...(options.bullBoardQueueName === undefined
      ? {}
      : { bullBoardQueueName: options.bullBoardQueueName }),
  };
  return { deps, close: () => warehouse.close() };
}

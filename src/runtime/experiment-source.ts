import { join } from 'node:path';

import type { Logger } from 'pino';

import { createExperimenterClient } from '../experiments/api/experimenter-client.js';
import { createFileExperimentSource } from '../experiments/api/file-experiment-source.js';
import type { ExperimentSource } from '../experiments/experiment-source.js';
import type { Env } from './env.js';

/** Name of the experiments file inside the embedded warehouse folder. */
export const DEFAULT_EXPERIMENTS_FILE = 'experiments.json';

/**
 * The experiment source the environment selects: the Experimenter API when
 * `CONTRAIL_EXPERIMENTER_URL` is set, else the file `CONTRAIL_EXPERIMENTS_FILE` (default
 * `<CONTRAIL_WAREHOUSE_DIR>/experiments.json`).
 */
export function experimentSourceFromEnv(env: Env, logger: Logger): ExperimentSource {
  const log = logger.child({ component: 'experiments' });
  if (env.CONTRAIL_EXPERIMENTER_URL !== undefined) {
    return createExperimenterClient({ baseUrl: env.CONTRAIL_EXPERIMENTER_URL, logger: log });
  }
  const path =
    env.CONTRAIL_EXPERIMENTS_FILE ?? join(env.CONTRAIL_WAREHOUSE_DIR, DEFAULT_EXPERIMENTS_FILE);
  return createFileExperimentSource(path, { logger: log });
}

import path from 'node:path';

import type { Env } from './env.js';

/** Folder name of the metric-hub checkout inside the embedded warehouse folder. */
export const DEFAULT_METRIC_HUB_FOLDER = 'metric-hub';

/** The metric-hub folder: CONTRAIL_METRIC_HUB_DIR, else `<warehouse dir>/metric-hub`. */
export function metricHubDirFromEnv(env: Env): string {
  return (
    env.CONTRAIL_METRIC_HUB_DIR ?? path.join(env.CONTRAIL_WAREHOUSE_DIR, DEFAULT_METRIC_HUB_FOLDER)
  );
}

/** Files of the embedded warehouse folder besides its tables, relative to the folder. */
export const WAREHOUSE_FILES = {
  experiments: 'experiments.json',
  metricHub: 'metric-hub',
  manifest: 'manifest.json',
} as const;

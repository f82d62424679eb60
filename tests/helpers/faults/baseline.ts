import { cpSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { StatisticRow } from '../../../src/stats/statistic-row.js';
import { readAllStatistics } from '../warehouse-reader.js';
import { createFaultCluster } from './fault-cluster.js';
import type { FaultsScale } from './faults-scale.js';
import type { WorkloadName } from './fault-workload.js';
import { runSummary, type RunSummary } from './run-checks.js';

/** The undisturbed run of a workload: the tables every disturbed run must equal. */
export interface Baseline {
  readonly tables: Map<string, StatisticRow[]>;
  /** Its warehouse folder (kept for the suite's lifetime). */
  readonly warehouseDir: string;
}

/**
 * The statistics tables of an undisturbed run of `workload` (two workers, no faults), computed
 * once per suite run and kept under `suiteDir` for the other test files.
 * @throws Error with the run's output when the undisturbed run itself fails.
 */
export async function undisturbedRun(options: {
  readonly workload: WorkloadName;
  readonly suiteDir: string;
  readonly templateDir: string;
  readonly scale: FaultsScale;
  /** Passed on to the cluster (shared secrets, where logs are saved). */
  readonly secrets?: readonly [string, string];
  readonly logDir?: string;
}): Promise<Baseline & { summary: RunSummary | null }> {
  const warehouseDir = path.join(options.suiteDir, 'baselines', options.workload);
  const done = path.join(options.suiteDir, 'baselines', `${options.workload}.done`);
  if (existsSync(done)) {
    return { tables: await readAllStatistics(warehouseDir), warehouseDir, summary: null };
  }
  const cluster = await createFaultCluster({
    name: `baseline-${options.workload}`,
    workload: options.workload,
    templateDir: options.templateDir,
    scale: options.scale,
    logLevel: 'warn',
    ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
    ...(options.logDir === undefined ? {} : { logDir: options.logDir }),
  });
  try {
    cluster.startWorker({ concurrency: options.scale.loadConcurrency });
    cluster.startWorker({ concurrency: options.scale.loadConcurrency });
    const run = cluster.startRun(['--timeout', '3600']);
    const exit = await run.exited;
    if (exit.code !== 0) {
      throw new Error(`undisturbed ${options.workload} run failed:\n${cluster.allOutput()}`);
    }
    cpSync(cluster.warehouseDir, warehouseDir, { recursive: true });
    writeFileSync(done, run.stdout());
    return {
      tables: await readAllStatistics(warehouseDir),
      warehouseDir,
      summary: runSummary(run.stdout()),
    };
  } finally {
    await cluster.close();
  }
}

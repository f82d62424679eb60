import { inject } from 'vitest';

import { undisturbedRun, type Baseline } from './baseline.js';
import { createFaultCluster, type FaultCluster } from './fault-cluster.js';
import { faultsScale, type FaultsScale } from './faults-scale.js';
import type { WorkloadName } from './fault-workload.js';

/** What every fault test file starts from. */
export interface SuiteContext {
  readonly scale: FaultsScale;
  readonly suiteDir: string;
  readonly templateDir: string;
  /** The board token and password every cluster's processes get (never to be logged). */
  readonly secrets: readonly [string, string];
  /** The undisturbed run of `workload` (computed by the first file that asks). */
  baseline(workload: WorkloadName): Promise<Baseline>;
  /** A fresh cluster over a copy of `workload`. */
  cluster(
    name: string,
    workload: WorkloadName,
    options?: { readonly logLevel?: string; readonly env?: Readonly<Record<string, string>> },
  ): Promise<FaultCluster>;
}

/** The suite context (the folders come from the project's global setup). */
export function suiteContext(): SuiteContext {
  const scale = faultsScale();
  const suiteDir = inject('faultsSuiteDir');
  const templateDir = inject('faultsTemplateDir');
  const shared = { logDir: inject('faultsLogDir'), secrets: inject('faultsSecrets') };
  return {
    scale,
    suiteDir,
    templateDir,
    secrets: shared.secrets,
    baseline: (workload) => undisturbedRun({ workload, suiteDir, templateDir, scale, ...shared }),
    cluster: (name, workload, options = {}) =>
      createFaultCluster({ name, workload, templateDir, scale, ...shared, ...options }),
  };
}

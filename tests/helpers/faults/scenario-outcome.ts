import type { JobType } from 'bullmq';

import type { StatisticRow } from '../../../src/stats/statistic-row.js';
import type { FaultCluster } from './fault-cluster.js';
import { recordTally } from './fault-tally.js';
import { completedJobs, leakedSecrets, unfinishedJobs } from './run-checks.js';
import { diffTables, type DiffScope, type TableDiff } from './table-diff.js';

/** What a scenario ends with; every test asserts on it. */
export interface ScenarioOutcome {
  readonly diff: TableDiff;
  readonly unfinished: Partial<Record<JobType, number>>;
  /** Log lines that contain a secret (must be none). */
  readonly leaks: readonly string[];
  readonly tables: Map<string, StatisticRow[]>;
}

/** No job in any unfinished state. */
export const DRAINED: Partial<Record<JobType, number>> = {
  active: 0,
  waiting: 0,
  'waiting-children': 0,
  delayed: 0,
  prioritized: 0,
};

/**
 * Reads the end state of a scenario (tables against the undisturbed run, queues, logs) and
 * records it in the tally before the test asserts, so the report counts failures honestly.
 */
export async function scenarioOutcome(
  cluster: FaultCluster,
  expected: ReadonlyMap<string, readonly StatisticRow[]>,
  tally: {
    readonly scenario: string;
    readonly startedAt: number;
    readonly killsSurvived?: number;
    readonly faultsInjected?: number;
    readonly badInputsTried?: number;
    /** Compare only these tables and rows. */
    readonly scope?: DiffScope;
  },
): Promise<ScenarioOutcome> {
  const tables = await cluster.tables();
  const diff = diffTables(tables, expected, tally.scope);
  const outcome = {
    diff,
    unfinished: await unfinishedJobs(cluster),
    leaks: leakedSecrets(cluster),
    tables,
  };
  recordTally({
    scenario: tally.scenario,
    jobsRun: await completedJobs(cluster),
    killsSurvived: tally.killsSurvived ?? 0,
    faultsInjected: tally.faultsInjected ?? 0,
    badInputsTried: tally.badInputsTried ?? 0,
    rowsLost: diff.rowsLost,
    rowsDuplicated: diff.rowsDuplicated,
    wallMs: Date.now() - tally.startedAt,
  });
  return outcome;
}

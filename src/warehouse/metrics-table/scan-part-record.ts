import { createHash } from 'node:crypto';

import type { SqlQuery } from '../sql/sql-query.js';

/** A metric column the stage could not compute, with why. */
export interface MetricColumnFailure {
  /** Column name (a metric, a dependency, or `<metric>_pre`). */
  readonly column: string;
  readonly dataSource: string;
  readonly errorClass: string;
  readonly message: string;
}

/** The label that ties a scan table to the query and run that wrote it. */
export const SCAN_LABEL = 'contrail_scan';

/**
 * The {@link SCAN_LABEL} value of a scan table written by `query` in run `runKey`: a hash of
 * both, so another metrics table of the same run reuses the table only when it would run the very
 * same query (same slices, metrics, dates and config).
 */
export function scanLabelValue(runKey: string, query: SqlQuery): string {
  return createHash('sha256')
    .update(JSON.stringify([runKey, query.sql, query.params]))
    .digest('hex')
    .slice(0, 32);
}

/** The description of a scan table: its experiment and the metric columns it could not hold. */
export function scanPartDescription(experiment: string, failures: readonly MetricColumnFailure[]) {
  return JSON.stringify({ experiment, failures });
}

function isFailure(value: unknown): value is MetricColumnFailure {
  const f = value as Partial<Record<keyof MetricColumnFailure, unknown>> | null;
  return (
    typeof f === 'object' &&
    f !== null &&
    typeof f.column === 'string' &&
    typeof f.dataSource === 'string' &&
    typeof f.errorClass === 'string' &&
    typeof f.message === 'string'
  );
}

/**
 * The failures a scan table's description records; null when the description is not one
 * {@link scanPartDescription} wrote (the table is then not reused).
 */
export function parseScanPartFailures(text: string): MetricColumnFailure[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const failures = (parsed as { failures?: unknown } | null)?.failures;
  if (!Array.isArray(failures) || !failures.every(isFailure)) return null;
  return failures;
}

import { WarehouseError } from '../warehouse-errors.js';

/** What a metrics table's description records: its experiment and its branches, in index order. */
export interface MetricsTableDescription {
  readonly experiment: string;
  readonly branches: readonly string[];
}

/** The description stored with a metrics table (JSON), so readers map `branch_index` to names. */
export function metricsTableDescription(description: MetricsTableDescription): string {
  return JSON.stringify({ experiment: description.experiment, branches: description.branches });
}

/**
 * Parses a metrics table's description.
 * @throws WarehouseError naming the table when it is not one {@link metricsTableDescription} wrote.
 */
export function parseMetricsTableDescription(table: string, text: string): MetricsTableDescription {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  const fields = (parsed ?? {}) as { experiment?: unknown; branches?: unknown };
  const branches = fields.branches;
  if (
    typeof fields.experiment !== 'string' ||
    !Array.isArray(branches) ||
    !branches.every((b): b is string => typeof b === 'string')
  ) {
    throw new WarehouseError(
      `${table} is not a metrics table written by contrail (its description names no branches)`,
    );
  }
  return { experiment: fields.experiment, branches };
}

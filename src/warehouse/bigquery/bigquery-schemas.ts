import { LOG_COLUMNS } from '../log-row.js';

/** A column of a table schema (`TableFieldSchema`). */
export interface SchemaField {
  readonly name: string;
  readonly type: 'STRING' | 'NUMERIC' | 'FLOAT64' | 'INT64' | 'TIMESTAMP';
  readonly mode: 'NULLABLE' | 'REQUIRED';
}

const nullable = (name: string, type: SchemaField['type']): SchemaField => ({
  name,
  type,
  mode: 'NULLABLE',
});

/** jetstream's statistics table (spec/analysis.md §3): `parameter` is NUMERIC. */
export const STATISTICS_FIELDS: readonly SchemaField[] = [
  nullable('metric', 'STRING'),
  nullable('statistic', 'STRING'),
  nullable('parameter', 'NUMERIC'),
  nullable('branch', 'STRING'),
  nullable('comparison', 'STRING'),
  nullable('comparison_to_branch', 'STRING'),
  nullable('ci_width', 'FLOAT64'),
  nullable('point', 'FLOAT64'),
  nullable('lower', 'FLOAT64'),
  nullable('upper', 'FLOAT64'),
  nullable('segment', 'STRING'),
  nullable('analysis_basis', 'STRING'),
];

/** jetstream's logs table: `timestamp` TIMESTAMP, every other column STRING. */
export const LOG_FIELDS: readonly SchemaField[] = LOG_COLUMNS.map((name) =>
  nullable(name, name === 'timestamp' ? 'TIMESTAMP' : 'STRING'),
);

/**
 * The row stage: one row per chunk of a staged write (`kind` `rows`, the rows as JSON text in
 * `payload`) or per drop marker
 * (`kind` `drop`), ordered by `sequence` (writer's clock, ms) then `write_id`.
 */
export const STAGE_FIELDS: readonly SchemaField[] = [
  { name: 'group_id', type: 'STRING', mode: 'REQUIRED' },
  nullable('key', 'STRING'),
  { name: 'kind', type: 'STRING', mode: 'REQUIRED' },
  { name: 'write_id', type: 'STRING', mode: 'REQUIRED' },
  { name: 'sequence', type: 'INT64', mode: 'REQUIRED' },
  nullable('part', 'INT64'),
  nullable('parts', 'INT64'),
  nullable('payload', 'STRING'),
];

/**
 * Labels contrail sets on statistics tables (jetstream uses labels as its state store, §2).
 * Values follow BigQuery's label rules (lowercase letters, digits, `_`, `-`).
 */
export const TABLE_LABELS = {
  /** jetstream's results schema version. */
  schemaVersion: 'schema_version',
  /** `true` when every metric planned for the window landed; the producer skips such windows. */
  complete: 'contrail_complete',
  /** Hash of the window's configuration (the finalize job's `configHash`). */
  config: 'contrail_config',
} as const;

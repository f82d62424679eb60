import {
  quoteBigQueryIdentifier,
  quoteBigQueryTable,
  safeIdentifier,
} from '../../analysis/sql-identifier.js';

/**
 * How a warehouse spells table references in the BigQuery SQL the builders produce. Names are
 * validated here, so builders can interpolate the result.
 */
export interface TableNamer {
  /** A telemetry table, e.g. `('telemetry', 'events')`. */
  source(dataset: string, table: string): string;
  /** A table in the results dataset, e.g. `enrollments_my_slug`. */
  result(table: string): string;
}

/** Options of {@link bigQueryTableNamer}. */
export interface BigQueryTableNamerOptions {
  /**
   * Project of the telemetry tables.
   * @defaultValue `moz-fx-data-shared-prod`
   */
  readonly sourceProject?: string;
  /** Project of the results dataset. */
  readonly resultProject: string;
  /** Dataset holding enrollments, statistics and logs. */
  readonly resultDataset: string;
}

/** Fully qualified `` `project.dataset.table` `` references, as jetstream writes them. */
export function bigQueryTableNamer(options: BigQueryTableNamerOptions): TableNamer {
  const sourceProject = options.sourceProject ?? 'moz-fx-data-shared-prod';
  const resultDataset = safeIdentifier(options.resultDataset, 'dataset name');
  return {
    source: (dataset, table) =>
      quoteBigQueryTable(
        sourceProject,
        safeIdentifier(dataset, 'dataset name'),
        safeIdentifier(table, 'table name'),
      ),
    result: (table) =>
      quoteBigQueryTable(options.resultProject, resultDataset, safeIdentifier(table, 'table name')),
  };
}

/**
 * Project-less `` `dataset`.`table` `` references (default project in BigQuery; the embedded
 * warehouse's schema-per-dataset layout in DuckDB).
 */
export function datasetTableNamer(resultDataset: string): TableNamer {
  const quotedResults = quoteBigQueryIdentifier(safeIdentifier(resultDataset, 'dataset name'));
  return {
    source: (dataset, table) =>
      `${quoteBigQueryIdentifier(safeIdentifier(dataset, 'dataset name'))}.${quoteBigQueryIdentifier(safeIdentifier(table, 'table name'))}`,
    result: (table) =>
      `${quotedResults}.${quoteBigQueryIdentifier(safeIdentifier(table, 'table name'))}`,
  };
}

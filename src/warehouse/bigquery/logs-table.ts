import { quoteBigQueryTable, safeIdentifier } from '../../analysis/sql-identifier.js';
import { WarehouseError } from '../warehouse-errors.js';

/** Where the logs table lives. */
export interface LogsTableRef {
  readonly projectId: string;
  readonly dataset: string;
  readonly table: string;
}

/**
 * Parses `dataset.table` (in `defaultProject`) or `project.dataset.table`.
 * @throws WarehouseError for another shape; UnsafeIdentifierError for a bad project id,
 *   dataset or table name.
 */
export function parseLogsTable(text: string, defaultProject: string): LogsTableRef {
  const parts = text.split('.');
  if (parts.length < 2 || parts.length > 3) {
    throw new WarehouseError(
      `logs table ${JSON.stringify(text)} is not dataset.table or project.dataset.table`,
    );
  }
  const [projectId = '', dataset = '', table = ''] =
    parts.length === 3 ? parts : [defaultProject, ...parts];
  const ref = {
    projectId,
    dataset: safeIdentifier(dataset, 'logs dataset name'),
    table: safeIdentifier(table, 'logs table name'),
  };
  quoteBigQueryTable(ref.projectId, ref.dataset, ref.table); // validates the project id
  return ref;
}

import type { FakeCatalog } from './fake-catalog.js';
import type { TableReference } from './destination-write.js';

/** Applies a load job's `destinationTableProperties` (labels, description) to a new table. */
export function destinationProperties(
  catalog: FakeCatalog,
  destination: TableReference,
  properties: Readonly<Record<string, unknown>>,
): void {
  const meta = catalog.table(destination.projectId, destination.datasetId, destination.tableId);
  const labels = properties.labels;
  if (typeof labels === 'object' && labels !== null) {
    for (const [key, value] of Object.entries(labels)) {
      if (typeof value === 'string') meta.labels[key] = value;
    }
  }
  if (typeof properties.description === 'string') meta.description = properties.description;
}

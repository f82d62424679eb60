import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { safeIdentifier } from '../../analysis/sql-identifier.js';
import type { SqlQuery } from '../sql/sql-query.js';
import { WarehouseError } from '../warehouse-errors.js';
import { commitFile, removeIfPresent } from './commit-file.js';
import type { DuckDbContext } from './duckdb-context.js';
import { toDuckDbStatement } from './duckdb-dialect.js';
import { RESULTS_DATASET, tempPathFor, viewFilePath } from './warehouse-layout.js';

/**
 * {@link Warehouse.replaceView} on DuckDB: the view is checked by creating it in this session,
 * then its BigQuery SQL is stored under `<dir>/views/contrail/<name>.sql` (temp file and rename),
 * where every session picks it up on its next sync.
 * @throws WarehouseQueryError when the view does not bind; WarehouseError for parameters.
 */
export async function replaceDuckDbView(
  context: DuckDbContext,
  name: string,
  query: SqlQuery,
): Promise<void> {
  const view = safeIdentifier(name, 'view name');
  if (Object.keys(query.params).length > 0) {
    throw new WarehouseError(`view ${view}: a view cannot take query parameters`);
  }
  const { session } = context;
  await session.syncViews();
  const statement = toDuckDbStatement(query, context.dialect);
  await session.run(
    `CREATE OR REPLACE VIEW "${RESULTS_DATASET}"."${view}" AS ${statement.sql}`,
    {},
    `view ${view}`,
  );
  const file = viewFilePath(session.dir, RESULTS_DATASET, view);
  await mkdir(path.dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  try {
    await writeFile(temp, query.sql, 'utf8');
    await commitFile(temp, file, 'replace');
  } finally {
    await removeIfPresent(temp);
  }
}

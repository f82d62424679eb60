import { enrollmentsTableName } from '../../analysis/table-names.js';
import type { EnrollmentsSpec } from '../enrollments-spec.js';
import { buildEnrollmentsQuery } from '../sql/enrollments-query.js';
import type { EnsureEnrollmentsOptions, EnsureEnrollmentsResult } from '../warehouse.js';
import { removeIfPresent } from './commit-file.js';
import { lastUpdatedLabel, type DuckDbContext } from './duckdb-context.js';
import { toDuckDbStatement } from './duckdb-dialect.js';
import { readTableFileInfo, writeTableFile } from './parquet-table-file.js';
import { RESULTS_DATASET, tableFilePath } from './warehouse-layout.js';

/**
 * Write-if-empty `enrollments_<slug>` (spec/analysis.md §1.5): a populated table is left as it
 * is; an empty or missing one is (re)built; `recreate` deletes it first. Concurrent creators are
 * safe: the file is linked into place, so exactly one of them wins.
 */
export async function ensureDuckDbEnrollments(
  context: DuckDbContext,
  spec: EnrollmentsSpec,
  options: EnsureEnrollmentsOptions,
): Promise<EnsureEnrollmentsResult> {
  const query = buildEnrollmentsQuery(spec, context.tables); // validates before any I/O
  const table = enrollmentsTableName(spec.slug);
  const file = tableFilePath(context.session.dir, RESULTS_DATASET, table);
  const { session } = context;
  if (options.recreate === true) await removeIfPresent(file);
  const existing = await readTableFileInfo(session, file);
  if (existing && existing.rows > 0) return { created: false, clients: existing.rows };
  const mode = existing ? 'replace' : 'create';
  await session.syncViews();
  const statement = toDuckDbStatement(query, context.dialect);
  const temp = `enrollments_build_${table}`;
  await session.run(
    `CREATE OR REPLACE TEMP TABLE "${temp}" AS ${statement.sql}`,
    statement.params,
    `enrollments query of ${spec.slug}`,
  );
  try {
    const meta = {
      labels: { last_updated: lastUpdatedLabel(context.now) },
      description: spec.slug,
    };
    const written = await writeTableFile(session, `SELECT * FROM "${temp}"`, file, meta, mode);
    const info = await readTableFileInfo(session, file);
    return { created: written, clients: info?.rows ?? 0 };
  } finally {
    await session.run(`DROP TABLE IF EXISTS "${temp}"`, {}, 'drop temporary enrollments');
  }
}

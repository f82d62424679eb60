import { coerceError } from '../../../src/analysis/coerce-error.js';
import type { BoundParams, FakeDatabase } from './fake-database.js';
import { jsonText } from './json-text.js';

/** One table scan of a query plan: the table and the columns it reads. */
export interface TableScan {
  readonly dataset: string;
  readonly table: string;
  readonly columns: readonly string[];
}

/** What a query reads, by BigQuery's rules: bytes processed and billed. */
export interface ScanBytes {
  readonly processed: number;
  readonly billed: number;
  /** `dataset.table` of every table scan of the plan (a table read twice appears twice). */
  readonly tables: readonly string[];
}

/** BigQuery's on-demand minimum per table a query reads, and its billing unit. */
const MIN_BILLED_PER_TABLE = 10 * 2 ** 20;
const BILLING_UNIT = 2 ** 20;

/** Plan operators that read a stored table (names differ between DuckDB versions). */
const SCAN_OPERATORS = new Set(['SEQ_SCAN', 'TABLE_SCAN']);

interface PlanNode {
  readonly name?: string;
  readonly children?: readonly PlanNode[];
  readonly extra_info?: Readonly<Record<string, unknown>>;
}

function textList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

/** The table scans of a DuckDB JSON plan, each scan once (a table read twice, twice). */
export function tableScans(plan: readonly PlanNode[]): TableScan[] {
  const scans: TableScan[] = [];
  const visit = (node: PlanNode) => {
    const info = node.extra_info ?? {};
    if (SCAN_OPERATORS.has(node.name ?? '') && typeof info.Table === 'string') {
      // DuckDB quotes keywords in plans (`"search".search_clients_…`).
      const parts = info.Table.split('.').map((part) => part.replace(/^"(.*)"$/, '$1'));
      const columns = textList(info.Projections).map((c) => c.split('.')[0] ?? c);
      scans.push({ dataset: parts.at(-2) ?? '', table: parts.at(-1) ?? '', columns });
    }
    for (const child of node.children ?? []) visit(child);
  };
  plan.forEach(visit);
  return scans;
}

/**
 * The SQL summing one column's bytes as BigQuery counts them (NULLs count 0): 8 per INT64,
 * FLOAT64, DATE, DATETIME, TIMESTAMP or TIME value, 1 per BOOL, 16 per NUMERIC, 2 + the UTF-8
 * length per STRING or BYTES; RECORD, REPEATED and JSON values count their text's length
 * (an estimate of BigQuery's sum over the nested fields).
 */
export function columnBytesSql(column: string, duckDbType: string): string {
  const c = `"${column.replaceAll('"', '""')}"`;
  const type = duckDbType.toUpperCase();
  if (type === 'BOOLEAN') return `count(${c})`;
  if (type === 'VARCHAR') return `sum(2 + strlen(${c}))`;
  if (type === 'BLOB') return `sum(2 + octet_length(${c}))`;
  if (type.startsWith('DECIMAL')) return `count(${c}) * 16`;
  if (type === 'JSON' || /STRUCT|MAP|\[\]/.test(type)) return `sum(strlen(CAST(${c} AS VARCHAR)))`;
  return `count(${c}) * 8`;
}

/** Bytes of `columns` of one table (0 for a table or column DuckDB does not know). */
async function scanBytes(db: FakeDatabase, scan: TableScan): Promise<number> {
  if (scan.columns.length === 0) return 0;
  const described = await db.read(
    `SELECT column_name, data_type FROM duckdb_columns()
     WHERE database_name = current_database() AND schema_name = $d AND table_name = $t`,
    { values: { d: scan.dataset, t: scan.table }, types: {} },
  );
  const types = new Map(described.rows.map((row) => [jsonText(row[0]), jsonText(row[1])]));
  const sums = [...new Set(scan.columns)]
    .filter((column) => types.has(column))
    .map((column) => `coalesce(${columnBytesSql(column, types.get(column) ?? '')}, 0)`);
  if (sums.length === 0) return 0;
  const table = `"${scan.dataset}"."${scan.table}"`;
  const result = await db.read(`SELECT CAST(${sums.join(' + ')} AS BIGINT) FROM ${table}`);
  return Number(result.rows[0]?.[0] ?? 0);
}

/** The JSON plan of a DuckDB query, planned without filter pushdown (see {@link scannedBytes}). */
async function physicalPlan(
  db: FakeDatabase,
  duckDbSql: string,
  params: BoundParams | undefined,
): Promise<PlanNode[]> {
  await db.run(`SET disabled_optimizers = 'filter_pushdown'`);
  try {
    const result = await db.read(`EXPLAIN (FORMAT JSON) ${duckDbSql}`, params);
    const text = result.rows.map((row) => jsonText(row[1] ?? null)).join('');
    return JSON.parse(text) as PlanNode[];
  } finally {
    await db.run('RESET disabled_optimizers');
  }
}

/**
 * What a (translated) query would process, the way BigQuery prices it: for each table scan in
 * DuckDB's physical plan, the bytes of the columns it reads ({@link columnBytesSql}), summed —
 * a table scanned twice counts twice. The plan is made with filter pushdown off, so columns
 * read only by a WHERE clause count as BigQuery counts them. Billed bytes apply BigQuery's
 * on-demand rule: at least 10 MiB per table scan that reads anything, the total rounded up to
 * a whole MiB. A statement DuckDB cannot plan (DDL, an error the run will report) counts 0.
 */
export async function scannedBytes(
  db: FakeDatabase,
  duckDbSql: string,
  params?: BoundParams,
): Promise<ScanBytes> {
  let scans: TableScan[];
  try {
    scans = tableScans(await physicalPlan(db, duckDbSql, params));
  } catch (e) {
    coerceError(e); // not plannable: the statement's own run reports any error
    return { processed: 0, billed: 0, tables: [] };
  }
  let processed = 0;
  let billed = 0;
  for (const scan of scans) {
    const bytes = await scanBytes(db, scan);
    processed += bytes;
    if (bytes > 0) billed += Math.max(bytes, MIN_BILLED_PER_TABLE);
  }
  return {
    processed,
    billed: Math.ceil(billed / BILLING_UNIT) * BILLING_UNIT,
    tables: scans.map((scan) => `${scan.dataset}.${scan.table}`),
  };
}

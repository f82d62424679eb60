import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { commitFile, removeIfPresent } from './commit-file.js';
import type { DuckDbSession } from './duckdb-session.js';
import { base64Literal, pathLiteral } from './sql-literal.js';
import { tempPathFor } from './warehouse-layout.js';

/** Labels and description kept inside a table file (Parquet key-value metadata). */
export interface TableFileMeta {
  readonly labels: Readonly<Record<string, string>>;
  readonly description: string;
}

const LABELS_KEY = 'contrail_labels';
const DESCRIPTION_KEY = 'contrail_description';

/**
 * Writes the rows of `selectSql` (a DuckDB query, no parameters) to `finalPath` as Parquet with
 * `meta` inside, through a temporary file in the same folder and {@link commitFile}.
 * @returns false when `mode` is `create` and the file already existed.
 */
export async function writeTableFile(
  session: DuckDbSession,
  selectSql: string,
  finalPath: string,
  meta: TableFileMeta,
  mode: 'replace' | 'create',
): Promise<boolean> {
  await mkdir(path.dirname(finalPath), { recursive: true });
  const temp = tempPathFor(finalPath);
  try {
    const kv = `KV_METADATA {${LABELS_KEY}: ${base64Literal(JSON.stringify(meta.labels))}, ${DESCRIPTION_KEY}: ${base64Literal(meta.description)}}`;
    await session.run(
      `COPY (${selectSql}) TO ${pathLiteral(temp)} (FORMAT parquet, ${kv})`,
      {},
      `write ${path.basename(finalPath)}`,
    );
    return await commitFile(temp, finalPath, mode);
  } finally {
    await removeIfPresent(temp);
  }
}

/** Labels, description and row count read from a table file's footer. */
export interface TableFileInfo extends TableFileMeta {
  readonly rows: number;
}

function decodeBase64(value: unknown): string {
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : '';
}

function parseLabels(text: string): Record<string, string> {
  if (text === '') return {};
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) return {};
  return Object.fromEntries(
    Object.entries(parsed).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

/**
 * Reads a table file's labels, description and row count without scanning its rows, from one
 * pinned version of the file; null when it does not exist.
 */
export async function readTableFileInfo(
  session: DuckDbSession,
  file: string,
): Promise<TableFileInfo | null> {
  return session.snapshots.withPinned(file, async (pinned) => {
    const literal = pathLiteral(pinned);
    const kv = await session.rows(
      `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${literal})`,
      {},
      `read metadata of ${path.basename(file)}`,
    );
    const counts = await session.rows(
      `SELECT num_rows FROM parquet_file_metadata(${literal})`,
      {},
      `read row count of ${path.basename(file)}`,
    );
    const value = (key: string): string => decodeBase64(kv.find((row) => row.key === key)?.value);
    return {
      labels: parseLabels(value(LABELS_KEY)),
      description: value(DESCRIPTION_KEY),
      rows: Number(counts[0]?.num_rows ?? 0),
    };
  });
}

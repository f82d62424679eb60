import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { coerceError } from '../../analysis/coerce-error.js';
import { isSafeIdentifier } from '../../analysis/sql-identifier.js';
import { PARQUET_EXTENSION, tablesRoot } from './warehouse-layout.js';

/** One table found in the warehouse folder. */
export interface FolderTable {
  readonly dataset: string;
  readonly table: string;
  /** The `.parquet` file, or a glob over an append-only table's folder. */
  readonly source: string;
  /** True for append-only tables (a folder of files). */
  readonly append: boolean;
  /** Changes whenever the file is replaced (inode, size, mtime); constant for append folders. */
  readonly signature: string;
}

async function entriesOf(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (e) {
    const error = coerceError(e) as NodeJS.ErrnoException;
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
    throw error;
  }
}

async function tableAt(dataset: string, entry: string, full: string): Promise<FolderTable | null> {
  let info;
  try {
    info = await stat(full);
  } catch (e) {
    const error = coerceError(e) as NodeJS.ErrnoException;
    if (error.code === 'ENOENT') return null; // replaced or dropped while scanning
    throw error;
  }
  if (info.isFile() && entry.endsWith(PARQUET_EXTENSION)) {
    const table = entry.slice(0, -PARQUET_EXTENSION.length);
    if (!isSafeIdentifier(table)) return null;
    const signature = `${info.ino}:${info.size}:${info.mtimeMs}`;
    return { dataset, table, source: full, append: false, signature };
  }
  if (info.isDirectory() && isSafeIdentifier(entry)) {
    const files = (await entriesOf(full)).filter((f) => f.endsWith(PARQUET_EXTENSION));
    if (files.length === 0) return null;
    const source = path.join(full, `*${PARQUET_EXTENSION}`);
    return { dataset, table: entry, source, append: true, signature: 'append' };
  }
  return null;
}

/**
 * Every table under `<dir>/tables`: `<dataset>/<table>.parquet` files and `<dataset>/<table>/`
 * folders holding at least one `.parquet` file. Names outside `[A-Za-z0-9_]` and temporary files
 * are ignored.
 */
export async function scanFolderTables(dir: string): Promise<FolderTable[]> {
  const root = tablesRoot(dir);
  const found: FolderTable[] = [];
  for (const dataset of await entriesOf(root)) {
    if (!isSafeIdentifier(dataset)) continue;
    const folder = path.join(root, dataset);
    for (const entry of await entriesOf(folder)) {
      const table = await tableAt(dataset, entry, path.join(folder, entry));
      if (table) found.push(table);
    }
  }
  return found;
}

import { readFile } from 'node:fs/promises';

/** One table scan of a profiled DuckDB query. */
export interface ProfiledScan {
  /** The Parquet file(s) scanned, as DuckDB reports them (pinned links resolve to their table). */
  readonly files: readonly string[];
  /** Rows the scan read. */
  readonly rows: number;
}

/** What DuckDB's JSON profile says a query read. */
export interface QueryProfile {
  readonly bytesRead: number;
  readonly rowsScanned: number;
  readonly scans: readonly ProfiledScan[];
}

interface ProfileNode {
  readonly operator_type?: string;
  readonly operator_rows_scanned?: number;
  readonly extra_info?: Readonly<Record<string, unknown>>;
  readonly children?: readonly ProfileNode[];
  readonly total_bytes_read?: number;
  readonly cumulative_rows_scanned?: number;
}

function collectScans(node: ProfileNode, out: ProfiledScan[]): void {
  const info = node.extra_info ?? {};
  const files = info['Filename(s)'];
  if (node.operator_type === 'TABLE_SCAN' && typeof files === 'string') {
    out.push({
      files: files.split(/,\s*/).filter((f) => f !== ''),
      rows: node.operator_rows_scanned ?? 0,
    });
  }
  for (const child of node.children ?? []) collectScans(child, out);
}

/**
 * Parses the JSON profile DuckDB writes with `enable_profiling = 'json'`: the bytes read and
 * every table scan with its file names and rows.
 */
export function parseQueryProfile(json: string): QueryProfile {
  const root = JSON.parse(json) as ProfileNode;
  const scans: ProfiledScan[] = [];
  collectScans(root, scans);
  return {
    bytesRead: root.total_bytes_read ?? 0,
    rowsScanned: root.cumulative_rows_scanned ?? 0,
    scans,
  };
}

/** Reads and parses a profile file; null when DuckDB wrote none. */
export async function readQueryProfile(file: string): Promise<QueryProfile | null> {
  try {
    return parseQueryProfile(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
}

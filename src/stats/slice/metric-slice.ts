import { EmptyBranchError, MissingColumnError } from '../statistic-error.js';

/** The metric's column in every branch. */
export const VALUE_COLUMN = 'value';
/** The pre-period covariate (`<metric>_pre`) of linear models, when present. */
export const COVARIATE_COLUMN = 'covariate';
/**
 * Optional 1-based source row numbers (e.g. file lines). Errors that point at a row name it by
 * this column, so a message still finds the row after pre-treatments dropped others.
 */
export const SOURCE_LINE_COLUMN = '__line';

/** One branch of a slice: its columns, all of the same length, null stored as NaN. */
export interface BranchSlice {
  readonly branch: string;
  readonly columns: Readonly<Record<string, Float64Array>>;
}

/**
 * Per-client values of one (metric, segment, analysis basis, period), per branch in order of
 * first appearance. Column {@link VALUE_COLUMN} is the metric; {@link COVARIATE_COLUMN} is the
 * covariate of linear models; population_ratio reads the columns named by its params.
 */
export type MetricSlice = readonly BranchSlice[];

/** Number of rows of a branch (the length of its first column). */
export function branchRowCount(branch: BranchSlice): number {
  for (const column of Object.values(branch.columns)) return column.length;
  return 0;
}

/** Total rows over all branches. */
export function sliceRowCount(slice: MetricSlice): number {
  return slice.reduce((total, branch) => total + branchRowCount(branch), 0);
}

/**
 * The column `name` of `branch`.
 * @throws MissingColumnError naming the column and the branch.
 */
export function requireColumn(branch: BranchSlice, name: string): Float64Array {
  const column = branch.columns[name];
  if (!column) {
    throw new MissingColumnError(`column '${name}' is missing for branch '${branch.branch}'`);
  }
  return column;
}

/** True when every branch has column `name`. */
export function sliceHasColumn(slice: MetricSlice, name: string): boolean {
  return slice.length > 0 && slice.every((branch) => branch.columns[name] !== undefined);
}

/** A branch with only the rows whose `keep` flag is set (every column filtered alike). */
export function filterBranchRows(branch: BranchSlice, keep: Uint8Array): BranchSlice {
  let kept = 0;
  for (let i = 0; i < keep.length; i++) kept += keep[i]!;
  const columns: Record<string, Float64Array> = {};
  for (const [name, column] of Object.entries(branch.columns)) {
    const out = new Float64Array(kept);
    let j = 0;
    for (let i = 0; i < column.length; i++) if (keep[i]) out[j++] = column[i]!;
    columns[name] = out;
  }
  return { branch: branch.branch, columns };
}

/** A branch with column `name` replaced. */
export function withColumn(branch: BranchSlice, name: string, values: Float64Array): BranchSlice {
  return { branch: branch.branch, columns: { ...branch.columns, [name]: values } };
}

/** How an error names row `index` of a branch: its source line when known. */
export function describeRow(branch: BranchSlice, index: number): string {
  const line = branch.columns[SOURCE_LINE_COLUMN]?.[index];
  if (line !== undefined && Number.isFinite(line)) return `branch '${branch.branch}', line ${line}`;
  return `branch '${branch.branch}', row ${index + 1} of the branch`;
}

/**
 * Checks the slice's shape: unique branch names, no empty branch, equal column lengths.
 * @throws EmptyBranchError for a branch without rows.
 */
export function validateSlice(slice: MetricSlice): void {
  const seen = new Set<string>();
  for (const branch of slice) {
    if (seen.has(branch.branch)) throw new RangeError(`branch '${branch.branch}' appears twice`);
    seen.add(branch.branch);
    const n = branchRowCount(branch);
    if (n === 0) throw new EmptyBranchError(`branch '${branch.branch}' has no rows`);
    for (const [name, column] of Object.entries(branch.columns)) {
      if (column.length !== n) {
        throw new RangeError(
          `column '${name}' of branch '${branch.branch}' has ${column.length} rows, expected ${n}`,
        );
      }
    }
  }
}

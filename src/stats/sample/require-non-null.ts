import { describeRow, type BranchSlice } from '../slice/metric-slice.js';
import { NullValuesError } from '../statistic-error.js';

/**
 * Throws when the column has a null (NaN): the reference raises "'data' contains null values".
 * @throws NullValuesError naming the column and the first null row.
 */
export function requireNonNull(branch: BranchSlice, column: string, values: Float64Array): void {
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i]!)) {
      throw new NullValuesError(
        `'data' contains null values: column '${column}', ${describeRow(branch, i)}`,
      );
    }
  }
}

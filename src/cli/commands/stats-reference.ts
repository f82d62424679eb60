import { didYouMean } from '../../config/closest-name.js';
import type { MetricSlice } from '../../stats/index.js';
import { UsageError } from '../exit-codes.js';

/**
 * Checks `--reference` against the branches of the loaded input, before anything is computed.
 * @throws UsageError (exit 2) naming the flag, the file and its branches.
 */
export function checkReferenceBranch(
  reference: string | undefined,
  slice: MetricSlice,
  path: string,
): void {
  if (reference === undefined) return;
  const branches = slice.map((b) => b.branch);
  if (branches.includes(reference)) return;
  throw new UsageError(
    `--reference '${reference}' is not a branch of ${path} (branches: ${branches.join(', ')})` +
      didYouMean(reference, branches),
  );
}

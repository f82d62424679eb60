import jStat from 'jstat';

/**
 * Sample ratio mismatch (SRM): Pearson's chi-square goodness-of-fit test of the clients enrolled
 * per branch against the shares the experiment configured. A tiny p-value means the assignment
 * (or the enrollment data) is broken, so every comparison of the experiment is suspect.
 *
 * Formula: with observed counts O_i, ratios r_i and N = Σ O_i, the expected counts are
 * E_i = N · r_i / Σ r; χ² = Σ (O_i − E_i)² / E_i with k − 1 degrees of freedom (k branches with
 * r_i > 0); p = 1 − F_χ²(χ²; k − 1), F from jStat's `chisquare.cdf`. Same statistic and p-value
 * as `scipy.stats.chisquare(observed, expected)`.
 */

/** Below this p-value the page warns, the export flags and the worker logs a mismatch. */
export const SRM_P_VALUE_THRESHOLD = 0.001;

/** Result of {@link sampleRatioMismatch}. */
export interface SampleRatioMismatchTest {
  /** Pearson's χ² statistic (∞ when a branch configured with ratio 0 enrolled clients). */
  readonly chiSquare: number;
  /** k − 1, k = branches with a positive ratio. */
  readonly degreesOfFreedom: number;
  /** P(χ²_{k−1} ≥ chiSquare); 0 for an infinite statistic. */
  readonly pValue: number;
  /** Σ observed. */
  readonly total: number;
  /** Expected counts N · r_i / Σ r, in input order. */
  readonly expected: readonly number[];
  /** `pValue < threshold`. */
  readonly mismatch: boolean;
}

/** Raised for counts or ratios that no test can use (negative, non-finite, lengths differ). */
export class SampleRatioInputError extends Error {
  override readonly name = 'SampleRatioInputError';
}

function checkInput(observed: readonly number[], ratios: readonly number[]): void {
  if (observed.length !== ratios.length) {
    throw new SampleRatioInputError(
      `sample ratio test: ${observed.length} observed counts but ${ratios.length} ratios`,
    );
  }
  observed.forEach((count, i) => {
    if (!Number.isFinite(count) || count < 0) {
      throw new SampleRatioInputError(
        `sample ratio test: observed count #${i + 1} must be a finite number ≥ 0, got ${count}`,
      );
    }
  });
  ratios.forEach((ratio, i) => {
    if (!Number.isFinite(ratio) || ratio < 0) {
      throw new SampleRatioInputError(
        `sample ratio test: ratio #${i + 1} must be a finite number ≥ 0, got ${ratio}`,
      );
    }
  });
}

/**
 * Tests observed branch counts against configured ratios (see the module comment for the formula).
 * @param observed - enrolled clients per branch.
 * @param ratios - configured relative shares, same order (Experimenter's integer ratios work as is).
 * @param threshold - p-value below which `mismatch` is set. @defaultValue {@link SRM_P_VALUE_THRESHOLD}
 * @returns null when nothing can be tested: no clients, or fewer than two branches with a
 *   positive ratio.
 * @throws SampleRatioInputError for negative or non-finite values, or lengths that differ.
 */
export function sampleRatioMismatch(
  observed: readonly number[],
  ratios: readonly number[],
  threshold = SRM_P_VALUE_THRESHOLD,
): SampleRatioMismatchTest | null {
  checkInput(observed, ratios);
  const total = observed.reduce((a, b) => a + b, 0);
  const ratioSum = ratios.reduce((a, b) => a + b, 0);
  const tested = ratios.filter((r) => r > 0).length;
  if (total === 0 || tested < 2) return null;
  const expected = ratios.map((r) => (total * r) / ratioSum);
  let chiSquare = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i]!;
    const e = expected[i]!;
    if (e === 0) chiSquare = o > 0 ? Infinity : chiSquare;
    else chiSquare += ((o - e) * (o - e)) / e;
  }
  const degreesOfFreedom = tested - 1;
  const pValue = Number.isFinite(chiSquare)
    ? Math.min(1, Math.max(0, 1 - jStat.chisquare.cdf(chiSquare, degreesOfFreedom)))
    : 0;
  return { chiSquare, degreesOfFreedom, pValue, total, expected, mismatch: pValue < threshold };
}

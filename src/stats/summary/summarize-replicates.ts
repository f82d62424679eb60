import { mean, quantileSorted } from '../sample/quantile.js';

/** A point estimate with the bounds of its interval (any may be NaN or ±∞: they become null). */
export interface Estimate {
  readonly point: number;
  readonly lower: number;
  readonly upper: number;
}

/** Summary of branch b against reference r over replicates paired by index (spec §1). */
export interface ComparisonSummary {
  /** abs_i = s_b,i − s_r,i: point = mean(abs), bounds = quantiles of abs. */
  readonly difference: Estimate;
  /** rel_i = s_b,i / s_r,i − 1: point = mean(rel), not ratio-of-means − 1. */
  readonly relative: Estimate;
  /** mean(s_b > s_r); computed like the reference, not exported. */
  readonly probWin: number;
  /** Q(|abs|, 0.95); computed like the reference, not exported. */
  readonly maxAbsDiff: number;
}

/** The critical quantile (1 − ci)/2 of a confidence interval width. */
export function criticalQuantile(ci: number): number {
  return (1 - ci) / 2;
}

/** Type-7 quantiles of `values` at each p (NaN when the values contain NaN, like numpy). */
export function sampleQuantiles(values: Float64Array, ps: readonly number[]): number[] {
  const sorted = values.slice().sort();
  if (sorted.length > 0 && Number.isNaN(sorted[sorted.length - 1]!)) {
    return ps.map(() => Number.NaN);
  }
  return ps.map((p) => quantileSorted(sorted, p));
}

/** Point = mean of the replicates; bounds = their (crit, 1 − crit) quantiles. */
export function summarizeIndividual(replicates: Float64Array, ci: number): Estimate {
  const critical = criticalQuantile(ci);
  const [lower = Number.NaN, upper = Number.NaN] = sampleQuantiles(replicates, [
    critical,
    1 - critical,
  ]);
  return { point: mean(replicates), lower, upper };
}

/** Paired comparison of branch replicates `b` against reference replicates `r`. */
export function summarizeComparison(
  b: Float64Array,
  r: Float64Array,
  ci: number,
): ComparisonSummary {
  const n = Math.min(b.length, r.length);
  const abs = new Float64Array(n);
  const rel = new Float64Array(n);
  const absMagnitude = new Float64Array(n);
  let wins = 0;
  for (let i = 0; i < n; i++) {
    abs[i] = b[i]! - r[i]!;
    rel[i] = b[i]! / r[i]! - 1;
    absMagnitude[i] = Math.abs(abs[i]!);
    if (b[i]! > r[i]!) wins++;
  }
  return {
    difference: summarizeIndividual(abs, ci),
    relative: summarizeIndividual(rel, ci),
    probWin: wins / n,
    maxAbsDiff: sampleQuantiles(absMagnitude, [0.95])[0]!,
  };
}

/** Column `column` of replicate-major output with `width` values per replicate. */
export function replicateColumn(out: Float64Array, width: number, column: number): Float64Array {
  if (width === 1) return out;
  const n = out.length / width;
  const values = new Float64Array(n);
  for (let r = 0; r < n; r++) values[r] = out[r * width + column]!;
  return values;
}

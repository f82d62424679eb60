/**
 * Ordinary least squares for y = β₀ + Σ_{b≠r} β_b·1[branch = b] (+ γ·x), solved in closed form
 * from per-branch sufficient statistics (one O(N) pass, no design matrix; spec §5.5). With a
 * covariate this is the one-way ANCOVA: γ is the pooled within-branch slope.
 */

/** Per-branch sufficient statistics (centered sums, computed in two passes for accuracy). */
export interface BranchMoments {
  readonly n: number;
  readonly meanY: number;
  readonly meanX: number;
  /** Σ(y − ȳ)². */
  readonly syy: number;
  /** Σ(x − x̄)² (0 without covariate). */
  readonly sxx: number;
  /** Σ(x − x̄)(y − ȳ) (0 without covariate). */
  readonly sxy: number;
}

/** A fitted model against one reference branch. */
export interface LinearModelFit {
  /** Intercept β₀ (the reference's adjusted mean at x = 0). */
  readonly intercept: number;
  /** Covariate slope γ; 0 when unadjusted. */
  readonly slope: number;
  readonly adjusted: boolean;
  /** σ̂² = RSS/(N − p), pooled over every branch. */
  readonly sigma2: number;
  readonly rss: number;
  /** Residual degrees of freedom N − p. */
  readonly dfResid: number;
  /** β_b of branch index b (NaN for the reference). */
  effect(b: number): number;
  /**
   * Covariance of (β₀, β_b, γ) as [V00, Vbb, Vγγ, V0b, V0γ, Vbγ] (non-robust, σ̂²(XᵀX)⁻¹).
   */
  covariance(b: number): readonly [number, number, number, number, number, number];
}

/**
 * Fits the model with reference branch index `r`; `adjusted` includes the covariate.
 * Returns undefined when XᵀX is singular (with a covariate: no within-branch variation of x).
 */
export function fitLinearModel(
  moments: readonly BranchMoments[],
  r: number,
  adjusted: boolean,
): LinearModelFit | undefined {
  const ref = moments[r]!;
  let N = 0;
  let syy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const m of moments) {
    N += m.n;
    syy += m.syy;
    sxx += m.sxx;
    sxy += m.sxy;
  }
  if (adjusted && !(sxx > 0)) return undefined;
  const slope = adjusted ? sxy / sxx : 0;
  const rss = adjusted ? syy - slope * sxy : syy;
  const p = moments.length + (adjusted ? 1 : 0);
  const dfResid = N - p;
  const sigma2 = rss / dfResid;
  const varSlope = adjusted ? sigma2 / sxx : 0;
  const d = (b: number) => moments[b]!.meanX - ref.meanX;
  return {
    intercept: ref.meanY - slope * ref.meanX,
    slope,
    adjusted,
    sigma2,
    rss,
    dfResid,
    effect: (b) => (b === r ? Number.NaN : moments[b]!.meanY - ref.meanY - slope * d(b)),
    covariance: (b) => [
      sigma2 / ref.n + ref.meanX * ref.meanX * varSlope,
      sigma2 * (1 / moments[b]!.n + 1 / ref.n) + d(b) * d(b) * varSlope,
      varSlope,
      -sigma2 / ref.n + ref.meanX * d(b) * varSlope,
      -ref.meanX * varSlope,
      -d(b) * varSlope,
    ],
  };
}

/**
 * Relative effect H/L − 1 of branch b with L = β₀ + γc̄, H = L + β_b, and the standard error of
 * g = ln(H/L) by the delta method: ∇g = (1/H − 1/L, 1/H, c̄(1/H − 1/L)) over (β₀, β_b, γ).
 * This is marginaleffects' `lnratioavg` over a grid whose covariate mean is c̄.
 */
export function relativeEffect(
  fit: LinearModelFit,
  b: number,
  covariateMean: number,
): { ratio: number; seLog: number } {
  const low = fit.intercept + fit.slope * covariateMean;
  const high = low + fit.effect(b);
  const g0 = 1 / high - 1 / low;
  const gb = 1 / high;
  const gc = fit.adjusted ? covariateMean * g0 : 0;
  const [v00, vbb, vcc, v0b, v0c, vbc] = fit.covariance(b);
  const variance =
    g0 * g0 * v00 +
    gb * gb * vbb +
    gc * gc * vcc +
    2 * (g0 * gb * v0b + g0 * gc * v0c + gb * gc * vbc);
  return { ratio: high / low, seLog: Math.sqrt(variance) };
}

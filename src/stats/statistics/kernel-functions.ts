/** Kernels of scikit-learn's KernelDensity, normalized, as functions of u = (x − xᵢ)/h. */
export type KernelName =
  'gaussian' | 'tophat' | 'epanechnikov' | 'exponential' | 'linear' | 'cosine';

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** K(u) per kernel (spec §3.7 table). */
export const KERNELS: Readonly<Record<KernelName, (u: number) => number>> = {
  gaussian: (u) => INV_SQRT_2PI * Math.exp(-0.5 * u * u),
  tophat: (u) => (Math.abs(u) < 1 ? 0.5 : 0),
  epanechnikov: (u) => (Math.abs(u) < 1 ? 0.75 * (1 - u * u) : 0),
  exponential: (u) => 0.5 * Math.exp(-Math.abs(u)),
  linear: (u) => (Math.abs(u) < 1 ? 1 - Math.abs(u) : 0),
  cosine: (u) => (Math.abs(u) < 1 ? (Math.PI / 4) * Math.cos((Math.PI / 2) * u) : 0),
};

/**
 * Half-width (in bandwidths) beyond which terms are dropped, given the distance t0 (in
 * bandwidths) to the nearest value. Compact kernels vanish beyond 1. For the gaussian, terms
 * beyond t0 + 12 are below N·e^(−(t0+12)²/2) relative to the nearest term's e^(−t0²/2), i.e.
 * under 1e-20 relative for a million values; for the exponential, t0 + 50 gives N·e^(−50).
 */
export function kernelReach(kernel: KernelName, t0: number): number {
  if (kernel === 'gaussian') return t0 + 12;
  if (kernel === 'exponential') return t0 + 50;
  return 1;
}

import type { CompressedSample } from '../sample/compressed-sample.js';
import { KERNELS, kernelReach, type KernelName } from './kernel-functions.js';

/** Index of the first distinct value ≥ x (binary search). */
export function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Distance from x to the nearest value, in bandwidths. */
function nearestDistance(sample: CompressedSample, x: number, h: number): number {
  const v = sample.values;
  const i = lowerBound(v, x);
  const right = i < v.length ? v[i]! - x : Number.POSITIVE_INFINITY;
  const left = i > 0 ? x - v[i - 1]! : Number.POSITIVE_INFINITY;
  return Math.min(left, right) / h;
}

/**
 * Σ cⱼ K((x − vⱼ)/h) summed exactly over the values within the kernel's reach of x (see
 * {@link kernelReach}); unnormalized (divide by n·h).
 */
export function kernelSumDirect(
  sample: CompressedSample,
  h: number,
  kernel: KernelName,
  x: number,
): number {
  const reach = kernelReach(kernel, nearestDistance(sample, x, h)) * h;
  const k = KERNELS[kernel];
  const v = sample.values;
  let sum = 0;
  for (let j = lowerBound(v, x - reach); j < v.length && v[j]! <= x + reach; j++) {
    sum += sample.counts[j]! * k((x - v[j]!) / h);
  }
  return sum;
}

/**
 * Kernel sums at every point of an evenly spaced grid (start + g·step), for the gaussian and
 * exponential kernels: each value updates the grid points within 12 (gaussian) or 50
 * (exponential) bandwidths with two `exp` calls and a multiplicative recurrence
 * (term ratios change by the constant e^(−step²/h²) for the gaussian and are constant for the
 * exponential). Grid points far from every value (where dropped terms could matter relatively)
 * are then recomputed directly.
 */
export function kernelSumsOnUniformGrid(
  sample: CompressedSample,
  h: number,
  kernel: 'gaussian' | 'exponential',
  grid: Float64Array,
): Float64Array {
  const sums = new Float64Array(grid.length);
  const start = grid[0]!;
  const step = (grid[grid.length - 1]! - start) / (grid.length - 1);
  const reach = kernelReach(kernel, 0) * h;
  if (!(step > 0)) {
    const value = kernelSumDirect(sample, h, kernel, start);
    return sums.fill(value);
  }
  for (let j = 0; j < sample.values.length; j++) {
    const v = sample.values[j]!;
    const first = Math.max(0, Math.ceil((v - reach - start) / step));
    const last = Math.min(grid.length - 1, Math.floor((v + reach - start) / step));
    if (first > last) continue;
    if (kernel === 'gaussian') gaussianRun(sums, grid, first, last, v, h, step, sample.counts[j]!);
    else exponentialRun(sums, grid, first, last, v, h, step, sample.counts[j]!);
  }
  const farThreshold = kernel === 'gaussian' ? 8 : 15;
  for (let g = 0; g < grid.length; g++) {
    if (nearestDistance(sample, grid[g]!, h) > farThreshold) {
      sums[g] = kernelSumDirect(sample, h, kernel, grid[g]!);
    }
  }
  return sums;
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Adds c·φ((x_g − v)/h) for g in [first, last] by the gaussian recurrence. */
function gaussianRun(
  sums: Float64Array,
  grid: Float64Array,
  first: number,
  last: number,
  v: number,
  h: number,
  step: number,
  count: number,
): void {
  const u = (grid[first]! - v) / h;
  const s = step / h;
  let term = count * INV_SQRT_2PI * Math.exp(-0.5 * u * u);
  let ratio = Math.exp(-s * (u + 0.5 * s));
  const decay = Math.exp(-s * s);
  for (let g = first; g <= last; g++) {
    sums[g]! += term;
    term *= ratio;
    ratio *= decay;
  }
}

/** Adds c·½e^(−|x_g − v|/h) for g in [first, last]: ratio e^(step/h) left of v, e^(−step/h) right. */
function exponentialRun(
  sums: Float64Array,
  grid: Float64Array,
  first: number,
  last: number,
  v: number,
  h: number,
  step: number,
  count: number,
): void {
  const grow = Math.exp(step / h);
  const shrink = 1 / grow;
  let g = first;
  let term = count * 0.5 * Math.exp(-Math.abs(grid[first]! - v) / h);
  for (; g <= last && grid[g]! < v; g++) {
    sums[g]! += term;
    term *= grow;
  }
  if (g <= last) term = count * 0.5 * Math.exp(-Math.abs(grid[g]! - v) / h);
  for (; g <= last; g++) {
    sums[g]! += term;
    term *= shrink;
  }
}

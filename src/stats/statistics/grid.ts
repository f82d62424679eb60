/** numpy `linspace(start, stop, num)`: start + i·step, with the last point exactly `stop`. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (num > 1) out[num - 1] = stop;
  out[0] = start;
  return out;
}

/** numpy `geomspace(start, stop, num)` for 0 < start ≤ stop: 10^linspace(log10), exact ends. */
export function geomspace(start: number, stop: number, num: number): Float64Array {
  const exponents = linspace(Math.log10(start), Math.log10(stop), num);
  const out = exponents.map((e) => Math.pow(10, e));
  out[0] = start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** The evaluation grid of KDE and ECDF rows (jetstream `_make_grid`). */
export interface EvaluationGrid {
  readonly points: Float64Array;
  readonly geometric: boolean;
  /** Why a geometric grid was refused, when it was. */
  readonly warning: string | undefined;
}

/**
 * From the smallest to the largest value, `size` points: linspace, or geomspace when `logSpace`
 * (refused with a warning when min < 0 or max ≤ 0; a minimum of 0 starts the grid at the
 * second-smallest distinct value instead). `sorted` is ascending and non-empty.
 */
export function makeGrid(sorted: Float64Array, size: number, logSpace: boolean): EvaluationGrid {
  let start = sorted[0]!;
  const stop = sorted[sorted.length - 1]!;
  let geometric = logSpace;
  let warning: string | undefined;
  if (geometric && (start < 0 || stop <= 0)) {
    warning = 'refusing to create a geometric grid for a series with negative or all-zero values';
    geometric = false;
  }
  if (geometric && start === 0) {
    let i = 0;
    while (sorted[i] === 0) i++;
    start = sorted[i]!;
  }
  return {
    points: geometric ? geomspace(start, stop, size) : linspace(start, stop, size),
    geometric,
    warning,
  };
}

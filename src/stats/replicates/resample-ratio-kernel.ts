import { sampleMultinomial } from '../random/multinomial.js';
import { POISSON_BUCKET_MASK, PoissonBucketTable } from '../random/poisson-bucket-table.js';
import { Sfc32 } from '../random/sfc32.js';
import { blockRange, type ResampleRatioTask } from './replicate-task.js';

/**
 * The Poisson mean is 1 − SHORTFALL_SIGMAS/√n: the Poisson total then falls short of n by about
 * 2.5 standard deviations (≈ 2.5√n rows to top up) and exceeds it, which costs a redraw, with
 * probability ≈ 0.6%.
 */
const SHORTFALL_SIGMAS = 2.5;

/**
 * Replicates of one block of a percentile bootstrap of a ratio of means, Σnum / Σden over a
 * resample of the rows with replacement (each client's pair stays together), written to
 * out[start..end).
 */
export function resampleRatioBlock(
  task: ResampleRatioTask,
  block: number,
  out: Float64Array,
): void {
  const rng = Sfc32.forBlock(task.seed, block);
  const { start, end } = blockRange(task, block);
  if (task.counts) {
    multinomialReplicates(rng, task.pairs, task.counts, start, end, out);
  } else {
    const table = poissonTableFor(task.pairs.length / 2);
    for (let r = start; r < end; r++) out[r] = poissonResampleRatio(rng, table, task.pairs);
  }
}

function multinomialReplicates(
  rng: Sfc32,
  pairs: Float64Array,
  counts: Float64Array,
  start: number,
  end: number,
  out: Float64Array,
): void {
  let total = 0;
  for (let j = 0; j < counts.length; j++) total += counts[j]!;
  const drawn = new Float64Array(counts.length);
  for (let r = start; r < end; r++) {
    sampleMultinomial(rng, total, counts, drawn);
    let num = 0;
    let den = 0;
    for (let j = 0; j < drawn.length; j++) {
      const k = drawn[j]!;
      num += k * pairs[2 * j]!;
      den += k * pairs[2 * j + 1]!;
    }
    out[r] = num / den;
  }
}

/** Tables by row count, per thread (a few slices at a time; each costs ~1 ms to build). */
const tables = new Map<number, PoissonBucketTable>();
const MAX_TABLES = 8;

/** The Poisson table for resampling n rows: mean max(0, 1 − 2.5/√n). */
export function poissonTableFor(n: number): PoissonBucketTable {
  let table = tables.get(n);
  if (!table) {
    if (tables.size >= MAX_TABLES) tables.clear();
    table = new PoissonBucketTable(Math.max(0, 1 - SHORTFALL_SIGMAS / Math.sqrt(n)));
    tables.set(n, table);
  }
  return table;
}

/**
 * One replicate: Σnum/Σden over n rows drawn with replacement, without drawing n row indices.
 *
 * Every row gets a Poisson(λ) count, λ < 1; if the counts add up to S ≤ n, n − S more rows are
 * drawn uniformly and added; if S > n, everything is drawn again. This is exactly the multinomial
 * tally of n uniform draws: given S = s, independent Poisson counts are Multinomial(s, uniform),
 * and adding n − s uniform draws makes that Multinomial(n, uniform) for every s ≤ n. The Poisson
 * counts take 12 random bits each by table look-up and the rows are read in order, so a row costs
 * half a generator step and no random memory access (an index draw costs a full step, a
 * multiply-and-reject and a cache miss).
 */
export function poissonResampleRatio(
  rng: Sfc32,
  table: PoissonBucketTable,
  pairs: Float64Array,
): number {
  const n = pairs.length / 2;
  for (;;) {
    const poisson = poissonCountSums(rng, table, pairs);
    let num = poisson.num;
    let den = poisson.den;
    if (poisson.total > n) continue;
    for (let i = poisson.total; i < n; i++) {
      const row = rng.nextBelow(n);
      num += pairs[2 * row]!;
      den += pairs[2 * row + 1]!;
    }
    return num / den;
  }
}

/** Module-local copy of the bucket mask (V8 re-checks an imported binding in every iteration). */
const BUCKET_MASK = POISSON_BUCKET_MASK;

/** Sums written by {@link poissonCountSums} and {@link poissonRunSums} (no allocation per call). */
const sums = { num: 0, den: 0, total: 0, stopWord: 0 };

/**
 * Σk·num, Σk·den and Σk over the rows with k ~ Poisson(λ) independently per row: runs of table
 * look-ups (two rows per word), and {@link PoissonBucketTable.resolve} for the words with an
 * ambiguous bucket (about 1 in 300). For an odd row count the last row takes the low bucket of one
 * more word.
 */
function poissonCountSums(
  rng: Sfc32,
  table: PoissonBucketTable,
  pairs: Float64Array,
): { readonly num: number; readonly den: number; readonly total: number } {
  const n = pairs.length / 2;
  const even = n - (n % 2);
  let num = 0;
  let den = 0;
  let total = 0;
  for (let j = 0; j < even;) {
    j = poissonRunSums(rng.state, table.byBucket, pairs, j, even);
    num += sums.num;
    den += sums.den;
    total += sums.total;
    if (j < even) {
      const word = sums.stopWord >>> 0;
      const k1 = table.resolve(word & BUCKET_MASK, rng);
      const k2 = table.resolve((word >>> 16) & BUCKET_MASK, rng);
      num += k1 * pairs[2 * j]! + k2 * pairs[2 * j + 2]!;
      den += k1 * pairs[2 * j + 1]! + k2 * pairs[2 * j + 3]!;
      total += k1 + k2;
      j += 2;
    }
  }
  if (even < n) {
    const k = table.resolve(rng.nextUint32() & BUCKET_MASK, rng);
    num += k * pairs[2 * even]!;
    den += k * pairs[2 * even + 1]!;
    total += k;
  }
  sums.num = num;
  sums.den = den;
  sums.total = total;
  return sums;
}

/**
 * The hot loop: the sums over rows [from, to) (an even count), two rows per sfc32 word (bits
 * 0–11 and 16–27 through `byBucket`), until `to` or the first word with an ambiguous bucket. Writes the
 * sums and that word to {@link sums} and the state back, and returns the index of the word's
 * first row (or `to`). No calls or stores in the loop, so V8 keeps it in registers; the sums
 * start from literal zeros (starting from a number argument makes V8 box every partial sum).
 */
function poissonRunSums(
  state: Int32Array,
  byBucket: Float64Array,
  pairs: Float64Array,
  from: number,
  to: number,
): number {
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let sumNum = 0;
  let sumDen = 0;
  let count = 0;
  let stopWord = 0;
  let j = from;
  for (; j < to; j += 2) {
    // sfc32 step (this exact form keeps V8 in 32-bit integer arithmetic).
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    const k1 = byBucket[t & BUCKET_MASK]!;
    const k2 = byBucket[(t >>> 16) & BUCKET_MASK]!;
    // Either bucket POISSON_AMBIGUOUS (−1)?
    if (k1 < 0 || k2 < 0) {
      stopWord = t;
      break;
    }
    const i = 2 * j;
    sumNum += k1 * pairs[i]! + k2 * pairs[i + 2]!;
    sumDen += k1 * pairs[i + 1]! + k2 * pairs[i + 3]!;
    count += k1 + k2;
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
  sums.num = sumNum;
  sums.den = sumDen;
  sums.total = count;
  sums.stopWord = stopWord;
  return j;
}

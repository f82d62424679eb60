import type { Sfc32 } from './sfc32.js';

/**
 * Ziggurat tables for Exp(1) (Marsaglia & Tsang, 2000), 1024 layers of equal area. A 32-bit word
 * gives the layer (low 10 bits) and a 22-bit position inside it (high 22 bits); 99.36% of draws
 * are accepted on the first comparison, so one draw usually costs one 32-bit word, one compare and
 * one multiply. (256 layers would miss 2.2% of the time; a miss costs a branch out of the hot
 * loops, which is what limits them.)
 *
 * Layer 0 is the base strip: the rectangle [0, r] × [0, f(r)] plus the tail beyond r, stretched
 * to width v/f(r). Layer i ≥ 1 spans [0, x_i] between heights f(x_i) and f(x_{i+1}), x_1 = r,
 * x_1024 = 0.
 */
export const ZIGGURAT_LAYERS = 1024;
/** Bits of a word that select the layer. */
export const ZIGGURAT_LAYER_BITS = 10;
/** Mask of the layer bits. */
export const ZIGGURAT_LAYER_MASK = ZIGGURAT_LAYERS - 1;
/** Right edge of the base rectangle for 1024 layers (the recursion below closes to 1e-12). */
export const ZIGGURAT_EXP_R = 9.256164544265545;
const R = ZIGGURAT_EXP_R;
/** Area of each layer: r·f(r) + the tail mass e^−r. */
const V = (R + 1) * Math.exp(-R);
/** 2^22: the resolution of the position inside a layer. */
const POSITION_SCALE = 4194304;

/** Acceptance thresholds: position `j` of layer `i` is accepted at once when `j < K[i]`. */
export const ZIGGURAT_EXP_K = new Int32Array(ZIGGURAT_LAYERS);
/** Widths per unit of position: the candidate is `j * W[i]`. */
export const ZIGGURAT_EXP_W = new Float64Array(ZIGGURAT_LAYERS);
/** Density at the layer edges: F[i] = f(x_i), F[1024] = 1 (F[0] = f(r) for the base). */
export const ZIGGURAT_EXP_F = new Float64Array(ZIGGURAT_LAYERS + 1);

function buildTables(): void {
  const x = new Float64Array(ZIGGURAT_LAYERS + 1);
  x[1] = R;
  for (let i = 1; i < ZIGGURAT_LAYERS - 1; i++) {
    x[i + 1] = -Math.log(Math.exp(-x[i]!) + V / x[i]!);
  }
  x[ZIGGURAT_LAYERS] = 0;
  const baseWidth = V / Math.exp(-R);
  ZIGGURAT_EXP_W[0] = baseWidth / POSITION_SCALE;
  ZIGGURAT_EXP_K[0] = Math.floor((R / baseWidth) * POSITION_SCALE);
  ZIGGURAT_EXP_F[0] = Math.exp(-R);
  for (let i = 1; i < ZIGGURAT_LAYERS; i++) {
    ZIGGURAT_EXP_W[i] = x[i]! / POSITION_SCALE;
    ZIGGURAT_EXP_K[i] = Math.floor((x[i + 1]! / x[i]!) * POSITION_SCALE);
    ZIGGURAT_EXP_F[i] = Math.exp(-x[i]!);
  }
  ZIGGURAT_EXP_F[ZIGGURAT_LAYERS] = 1;
}
buildTables();

/**
 * The slow path of the ziggurat, for a first word `word` that missed the fast test: the tail
 * (layer 0 beyond r: r + Exp(1), by memorylessness) or the wedge test of layer i, drawing again
 * from `rng` on rejection. Kernels that inline the fast path call this with their first word, so
 * they draw exactly the stream of {@link sampleExponential}.
 */
export function exponentialSlowPath(rng: Sfc32, word: number): number {
  let u = word;
  for (;;) {
    const i = u & ZIGGURAT_LAYER_MASK;
    const j = u >>> ZIGGURAT_LAYER_BITS;
    if (j < ZIGGURAT_EXP_K[i]!) return j * ZIGGURAT_EXP_W[i]!;
    if (i === 0) return R - Math.log(rng.nextOpenDouble());
    const candidate = j * ZIGGURAT_EXP_W[i]!;
    const top = ZIGGURAT_EXP_F[i + 1]!;
    const bottom = ZIGGURAT_EXP_F[i]!;
    if (bottom + rng.nextDouble() * (top - bottom) < Math.exp(-candidate)) return candidate;
    u = rng.nextUint32();
  }
}

/** One Exp(1) draw. */
export function sampleExponential(rng: Sfc32): number {
  const u = rng.nextUint32();
  const i = u & ZIGGURAT_LAYER_MASK;
  const j = u >>> ZIGGURAT_LAYER_BITS;
  if (j < ZIGGURAT_EXP_K[i]!) return j * ZIGGURAT_EXP_W[i]!;
  return exponentialSlowPath(rng, u);
}

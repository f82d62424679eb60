/**
 * 32-bit integer mixing: the building blocks of seeding. All arithmetic stays in 32-bit integers
 * (`Math.imul`, shifts), so there is no BigInt and no floating-point rounding involved.
 */

/** Golden-ratio increment of the splitmix32 sequence (2^32 / φ). */
export const SPLITMIX32_GAMMA = 0x9e3779b9;

/**
 * A bijective avalanche mix of one 32-bit word (xor-shift / multiply rounds with constants from
 * Chris Wellons' hash-prospector search). Returns an unsigned 32-bit integer.
 */
export function mix32(x: number): number {
  let z = x | 0;
  z ^= z >>> 16;
  z = Math.imul(z, 0x21f0aaad);
  z ^= z >>> 15;
  z = Math.imul(z, 0x735a2d97);
  z ^= z >>> 15;
  return z >>> 0;
}

/** Hashes two 32-bit words into one: `mix32(a ^ mix32(b + γ))`. Not symmetric in a and b. */
export function mix32Pair(a: number, b: number): number {
  return mix32((a ^ mix32((b + SPLITMIX32_GAMMA) | 0)) | 0);
}

/**
 * Fills `out` with consecutive outputs of the splitmix32 generator started at `seed`: the state
 * advances by {@link SPLITMIX32_GAMMA} and each output is the {@link mix32} of the state.
 */
export function splitmix32Fill(seed: number, out: Uint32Array): void {
  let state = seed | 0;
  for (let i = 0; i < out.length; i++) {
    state = (state + SPLITMIX32_GAMMA) | 0;
    out[i] = mix32(state);
  }
}

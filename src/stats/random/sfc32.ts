import { mix32Pair, splitmix32Fill } from './mix32.js';

/** 2^-32, turns a 32-bit word into a fraction of 1. */
export const TWO_POW_MINUS_32 = 2 ** -32;
/** 2^-53, the spacing of 53-bit uniform doubles. */
const TWO_POW_MINUS_53 = 2 ** -53;
/** Warm-up rounds after seeding, so the first outputs already look random. */
const WARM_UP_ROUNDS = 12;

/**
 * Chris Doty-Humphrey's Small Fast Counting generator, 32-bit variant (sfc32): 128 bits of state
 * (three mixing words and a counter, so no cycle is shorter than 2^32), 32-bit arithmetic only.
 * Passes PractRand to multiple terabytes; every output bit is usable.
 *
 * Seeded through splitmix32. Hot loops may copy the state words into locals, step them with the
 * same formula as {@link Sfc32.nextUint32} and write them back ({@link Sfc32.a} ... {@link Sfc32.d}
 * are public for that).
 */
export class Sfc32 {
  /**
   * State words [a, b, c, counter]. A typed array rather than fields: V8 stores 32-bit words
   * beyond the small-integer range as heap numbers in fields, which deoptimizes hot loops.
   * Kernels may copy the words into locals, step them like {@link Sfc32.nextUint32} and store
   * them back.
   */
  readonly state = new Int32Array(4);

  /** A generator whose state comes from splitmix32 started at `seed`. */
  constructor(seed: number) {
    const words = new Uint32Array(3);
    splitmix32Fill(seed, words);
    this.state[0] = words[0]!;
    this.state[1] = words[1]!;
    this.state[2] = words[2]!;
    this.state[3] = 1;
    for (let i = 0; i < WARM_UP_ROUNDS; i++) this.nextUint32();
  }

  /**
   * The generator of replicate block `block` of the stream `seed`: independent streams for any
   * (seed, block), so a block's draws never depend on which thread computes it.
   */
  static forBlock(seed: number, block: number): Sfc32 {
    return new Sfc32(mix32Pair(seed, block));
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.state;
    const a = s[0]!;
    const b = s[1]!;
    const c = s[2]!;
    const d = s[3]!;
    const t = (a + b + d) | 0;
    s[3] = d + 1;
    s[0] = b ^ (b >>> 9);
    s[1] = c + (c << 3);
    s[2] = ((c << 21) | (c >>> 11)) + t;
    return t >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) * TWO_POW_MINUS_53;
  }

  /** Uniform double in (0, 1) with 32 random bits: never 0, so safe for logarithms. */
  nextOpenDouble(): number {
    return (this.nextUint32() + 0.5) * TWO_POW_MINUS_32;
  }

  /**
   * Uniform integer in [0, n) without modulo bias (Lemire's multiply-and-reject), for
   * 1 ≤ n ≤ 2^21 where the 32 × 21-bit product is exact in a double; larger n use 53 bits.
   */
  nextBelow(n: number): number {
    if (n > 2097152) return Math.floor(this.nextDouble() * n);
    const threshold = (4294967296 - n) % n;
    for (;;) {
      const m = this.nextUint32() * n;
      const high = Math.floor(m * TWO_POW_MINUS_32);
      if (m - high * 4294967296 >= threshold) return high;
    }
  }
}

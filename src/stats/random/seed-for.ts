import { mix32, mix32Pair } from './mix32.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Separates parts so that ['ab', 'c'] and ['a', 'bc'] hash differently. */
const PART_SEPARATOR = 0x1f;

/** FNV-1a over the UTF-16 code units of `text`, continuing from `hash`. */
function fnv1a(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h;
}

/**
 * A stable unsigned 32-bit hash of a statistic's identity, e.g.
 * `seedFor([experiment, period, String(window), metric, statistic, segment, basis])`: FNV-1a over
 * the parts (with a separator), finished with {@link mix32}. It never changes between releases,
 * so reruns reproduce their rows bit for bit.
 */
export function seedFor(parts: readonly string[]): number {
  let h = FNV_OFFSET;
  for (const part of parts) {
    h = fnv1a(h, part);
    h = Math.imul(h ^ PART_SEPARATOR, FNV_PRIME);
  }
  return mix32(h);
}

/**
 * The seed of a named sub-stream of `seed`, e.g. one branch's replicates:
 * `deriveSeed(seed, 'branch', 'control')`. Unsigned 32-bit.
 */
export function deriveSeed(seed: number, ...labels: readonly string[]): number {
  return mix32Pair(seed, seedFor(labels));
}

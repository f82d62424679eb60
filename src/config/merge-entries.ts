import type { ConfigProblem } from './config-error.js';
import { brokenKey, type ConfigEntry, type ConfigLayer, type EntryOrigin } from './config-layer.js';
import { isGlobPattern, matchesGlob } from './glob-pattern.js';

/** An entry merged over several layers, with the origin of each field that won. */
export interface MergedEntry<F> {
  readonly name: string;
  readonly fields: Partial<F>;
  /** Origin of each field's winning value. */
  readonly origins: Partial<Record<keyof F, EntryOrigin>>;
  /** Origin of the highest layer's entry (for problems about the entry as a whole). */
  readonly origin: EntryOrigin;
}

/** What a lookup found: the merged entry, or the problems of the broken entries of that name. */
export type LookupResult<F> =
  | { readonly kind: 'found'; readonly entry: MergedEntry<F> }
  | { readonly kind: 'broken'; readonly problems: readonly ConfigProblem[] }
  | { readonly kind: 'missing' };

/** A value that counts as set: not undefined, not an empty string, not an empty array. */
export function isNonEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  return !(Array.isArray(value) && value.length === 0);
}

/**
 * Merges the entries named `name` across `layers` (lowest first) field by field: a non-empty
 * value of a higher layer wins (metric-config-parser's `getattr(other, k) or getattr(self, k)`,
 * except that an explicit `false` counts as set). A key of a layer that is a glob applies to
 * `name` when it matches and a lower layer defines `name` literally.
 */
export function mergeNamedEntries<F extends object>(
  name: string,
  section: string,
  layers: readonly ConfigLayer[],
  pick: (layer: ConfigLayer) => ReadonlyMap<string, ConfigEntry<F>>,
): LookupResult<F> {
  const fields: Partial<F> = {};
  const origins: Partial<Record<keyof F, EntryOrigin>> = {};
  let origin: EntryOrigin | null = null;
  let definedBelow = false;
  const broken: ConfigProblem[] = [];
  for (const layer of layers) {
    const entries = pick(layer);
    const matching = [...entries].filter(
      ([key]) => key === name || (definedBelow && isGlobPattern(key) && matchesGlob(key, name)),
    );
    for (const [, entry] of matching) {
      for (const [key, value] of Object.entries(entry.fields) as [keyof F, F[keyof F]][]) {
        if (!isNonEmpty(value)) continue;
        fields[key] = value;
        origins[key] = entry.origin;
      }
      origin = entry.origin;
    }
    if (entries.has(name)) definedBelow = true;
    broken.push(...(layer.broken.get(brokenKey(section, name)) ?? []));
  }
  if (broken.length > 0) return { kind: 'broken', problems: broken };
  if (origin === null) return { kind: 'missing' };
  return { kind: 'found', entry: { name, fields, origins, origin } };
}

/**
 * The entry named `name` from the highest layer that defines it, whole (segments and segment
 * data sources are replaced, not merged, in metric-config-parser).
 */
export function lastEntry<F>(
  name: string,
  section: string,
  layers: readonly ConfigLayer[],
  pick: (layer: ConfigLayer) => ReadonlyMap<string, ConfigEntry<F>>,
):
  | { kind: 'found'; entry: ConfigEntry<F> }
  | { kind: 'broken'; problems: readonly ConfigProblem[] }
  | { kind: 'missing' } {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    if (!layer) continue;
    const broken = layer.broken.get(brokenKey(section, name));
    if (broken) return { kind: 'broken', problems: broken };
    const entry = pick(layer).get(name);
    if (entry) return { kind: 'found', entry };
  }
  return { kind: 'missing' };
}

/** Every literal (non-glob) name the layers define in a section, for suggestions. */
export function definedNames<F>(
  layers: readonly ConfigLayer[],
  pick: (layer: ConfigLayer) => ReadonlyMap<string, ConfigEntry<F>>,
): Set<string> {
  const names = new Set<string>();
  for (const layer of layers) {
    for (const key of pick(layer).keys()) if (!isGlobPattern(key)) names.add(key);
  }
  return names;
}

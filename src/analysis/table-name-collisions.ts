import { normalizeSlug } from './table-names.js';

/** Experiments whose slugs differ but whose tables would have the same names. */
export interface TableNameCollision {
  /** Every slug of the group, sorted (the experiment's own included). */
  readonly slugs: readonly string[];
  /** The slug as it appears in table names, e.g. `new_tab_layout_v2`. */
  readonly tableSlug: string;
  /** One line naming every slug and the shared tables, for the run report and the logs table. */
  readonly message: string;
}

/**
 * Which of `candidates` share table names with another experiment of `known` (every slug the
 * experiment source lists): table names replace every character outside `[A-Za-z0-9_]` with `_`
 * (jetstream's rule), so `new-tab-layout-v2` and `new_tab_layout_v2` would read and overwrite
 * each other's enrollments and statistics tables. Neither can be analysed safely, so both are
 * refused until one is renamed. Pure.
 * @returns candidate slug → its collision; candidates without one are absent.
 */
export function tableNameCollisions(
  candidates: readonly string[],
  known: readonly string[],
): Map<string, TableNameCollision> {
  const groups = new Map<string, Set<string>>();
  for (const slug of [...known, ...candidates]) {
    const key = normalizeSlug(slug);
    groups.set(key, (groups.get(key) ?? new Set()).add(slug));
  }
  const collisions = new Map<string, TableNameCollision>();
  for (const slug of candidates) {
    const tableSlug = normalizeSlug(slug);
    const group = [...(groups.get(tableSlug) ?? [])].sort();
    if (group.length < 2) continue;
    collisions.set(slug, { slugs: group, tableSlug, message: collisionMessage(group, tableSlug) });
  }
  return collisions;
}

function collisionMessage(slugs: readonly string[], tableSlug: string): string {
  const quoted = slugs.map((s) => `'${s}'`);
  const names = `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1) ?? ''}`;
  const until =
    slugs.length === 2
      ? 'neither is analysed until one of them is renamed'
      : 'none of them is analysed until all but one are renamed';
  return (
    `experiments ${names} would share tables (enrollments_${tableSlug}, ` +
    `statistics_${tableSlug}_<period>_<n>, ...): refused, ${until}`
  );
}

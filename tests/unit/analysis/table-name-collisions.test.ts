import { describe, expect, it } from 'vitest';

import { tableNameCollisions } from '../../../src/analysis/table-name-collisions.js';

describe('tableNameCollisions (issue 13, case 3)', () => {
  it('refuses both slugs that differ only in - and _, naming both and the shared tables', () => {
    const known = ['new-tab-layout-v2', 'new_tab_layout_v2', 'aa-validation'];
    const collisions = tableNameCollisions(known, known);
    expect([...collisions.keys()]).toEqual(['new-tab-layout-v2', 'new_tab_layout_v2']);
    const message =
      "experiments 'new-tab-layout-v2' and 'new_tab_layout_v2' would share tables " +
      '(enrollments_new_tab_layout_v2, statistics_new_tab_layout_v2_<period>_<n>, ...): ' +
      'refused, neither is analysed until one of them is renamed';
    expect(collisions.get('new_tab_layout_v2')).toEqual({
      slugs: ['new-tab-layout-v2', 'new_tab_layout_v2'],
      tableSlug: 'new_tab_layout_v2',
      message,
    });
    expect(collisions.get('new-tab-layout-v2')?.message).toBe(message);
  });

  it('counts every experiment the source knows, not only the candidates of this run', () => {
    const collisions = tableNameCollisions(['new_tab_layout_v2'], ['new-tab-layout-v2', 'x']);
    expect(collisions.get('new_tab_layout_v2')?.slugs).toEqual([
      'new-tab-layout-v2',
      'new_tab_layout_v2',
    ]);
  });

  it('names every slug of a larger group', () => {
    const collisions = tableNameCollisions(['a-b'], ['a_b', 'a-b', 'a.b']);
    expect(collisions.get('a-b')?.message).toMatch(
      /^experiments 'a-b', 'a.b' and 'a_b' would share tables .*none of them is analysed until all but one are renamed$/,
    );
  });

  it('finds nothing for distinct names or a slug listed twice', () => {
    expect(tableNameCollisions(['a-b', 'a-c'], ['a-b', 'a-c', 'a-b'])).toEqual(new Map());
    expect(tableNameCollisions([], ['a-b', 'a_b'])).toEqual(new Map());
  });
});

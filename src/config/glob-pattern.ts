/** True when a config key is a glob (`*`, `?` or `[...]`), i.e. it may match several names. */
export function isGlobPattern(key: string): boolean {
  return /[*?[]/.test(key);
}

/**
 * Whether `name` matches the shell-style `pattern` as a whole (Python `fnmatch` semantics,
 * case-sensitive): `*` any run, `?` one character, `[abc]`/`[!abc]` a character class.
 */
export function matchesGlob(pattern: string, name: string): boolean {
  return globToRegExp(pattern).test(name);
}

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      source += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

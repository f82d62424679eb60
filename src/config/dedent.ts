/**
 * Removes the whitespace prefix common to every non-blank line (Python `textwrap.dedent`), which
 * metric-config-parser applies to friendly names and descriptions written as indented blocks.
 */
export function dedent(text: string): string {
  const lines = text.split('\n');
  let prefix: string | null = null;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    prefix = prefix === null ? indent : commonPrefix(prefix, indent);
  }
  if (prefix === null || prefix === '') {
    return lines.map((l) => (l.trim() === '' ? '' : l)).join('\n');
  }
  const cut = prefix.length;
  return lines.map((l) => (l.trim() === '' ? '' : l.slice(cut))).join('\n');
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

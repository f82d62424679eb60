import type { SqlNode } from './sql-node.js';

/**
 * Writes nodes as DuckDB SQL text. String literals become single-quoted with `''` doubling
 * (DuckDB does not read backslash escapes in '…'), bytes become BLOB literals, `#`/`--`
 * comments become block comments (so an embedded expression never comments out what follows),
 * hex numbers become decimals and `@param` becomes `$param`.
 */
export function renderDuckDbSql(nodes: readonly SqlNode[]): string {
  let out = '';
  for (const node of nodes) out += renderNode(node);
  return out;
}

function renderNode(node: SqlNode): string {
  switch (node.kind) {
    case 'group':
      return `${node.open}${renderDuckDbSql(node.children)}${node.open === '(' ? ')' : ']'}`;
    case 'string':
      return quoteDuckDbString(node.text);
    case 'bytes':
      return `${quoteDuckDbString(blobEscape(node.text))}::BLOB`;
    case 'comment':
      return `/*${node.text.replaceAll('/*', '/ *').replaceAll('*/', '* /')}*/`;
    case 'quoted':
      return quoteDuckDbIdentifier(node.text);
    case 'number':
      return /^0x/i.test(node.text) ? BigInt(node.text).toString() : node.text;
    case 'param':
      return `$${node.text.slice(1)}`;
    default:
      return node.text;
  }
}

/** A DuckDB string literal holding exactly `value`. */
export function quoteDuckDbString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A DuckDB quoted identifier naming exactly `name`. */
export function quoteDuckDbIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Escapes bytes outside printable ASCII (and backslash) as `\xHH` for a BLOB literal. Characters
 * below U+0100 are bytes (`b'\xff'` decodes to U+00FF); others are written as UTF-8.
 */
function blobEscape(value: string): string {
  let out = '';
  const bytes = [...value].flatMap((ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return code < 0x100 ? [code] : [...new TextEncoder().encode(ch)];
  });
  for (const byte of bytes) {
    const printable = byte >= 0x20 && byte < 0x7f && byte !== 0x5c;
    out += printable
      ? String.fromCharCode(byte)
      : `\\x${byte.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  return out;
}

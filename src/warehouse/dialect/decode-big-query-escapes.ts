/**
 * Decodes the backslash escapes of a BigQuery (non-raw) string or backtick identifier body.
 * Source: BigQuery lexical structure, "Escape sequences in string and bytes literals".
 *
 * @returns the decoded text, or a `string` error describing the first bad escape.
 */
export function decodeBigQueryEscapes(body: string): { value: string } | { error: string } {
  let out = '';
  let i = 0;
  while (i < body.length) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      i += 1;
      continue;
    }
    const step = decodeOne(body, i);
    if ('error' in step) return step;
    out += step.value;
    i = step.next;
  }
  return { value: out };
}

const SIMPLE: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '?': '?',
  '"': '"',
  "'": "'",
  '`': '`',
};

const HEX_WIDTH: Readonly<Record<string, number>> = { x: 2, X: 2, u: 4, U: 8 };

function decodeOne(body: string, at: number): { value: string; next: number } | { error: string } {
  const kind = body[at + 1];
  if (kind === undefined) return { error: 'string ending in a backslash' };
  const simple = SIMPLE[kind];
  if (simple !== undefined) return { value: simple, next: at + 2 };
  const width = HEX_WIDTH[kind];
  if (width !== undefined) {
    return decodeCodePoint(body.slice(at + 2, at + 2 + width), 16, at + 2 + width);
  }
  if (/[0-7]/.test(kind)) return decodeCodePoint(body.slice(at + 1, at + 4), 8, at + 4);
  return { error: `unknown escape \\${kind}` };
}

function decodeCodePoint(
  digits: string,
  radix: 8 | 16,
  next: number,
): { value: string; next: number } | { error: string } {
  const pattern = radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]{3}$/;
  const code = Number.parseInt(digits, radix);
  if (!pattern.test(digits) || code > 0x10ffff) return { error: `bad escape digits ${digits}` };
  return { value: String.fromCodePoint(code), next };
}

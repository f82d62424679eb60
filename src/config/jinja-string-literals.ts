/**
 * Jinja concatenates adjacent string literals inside a tag (`"a" "b"` is `"ab"`), which lets
 * metric-hub write Python-style triple-quoted strings in templates
 * (`{{agg_any("""\n  x = 1\n""")}}` lexes as `""`, `"\n  x = 1\n"`, `""`). nunjucks does not,
 * so this rewrites every run of adjacent literals inside `{{ }}` and `{% %}` into one
 * double-quoted literal before nunjucks sees the template. Text outside tags is untouched.
 */
export function mergeAdjacentStringLiterals(template: string): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.slice(i, i + 2);
    if (open === '{{' || open === '{%') {
      const close = open === '{{' ? '}}' : '%}';
      const end = scanTag(template, i + 2, close);
      out += open + end.text;
      i = end.next;
    } else if (open === '{#') {
      const end = template.indexOf('#}', i + 2);
      const next = end < 0 ? template.length : end + 2;
      out += template.slice(i, next);
      i = next;
    } else {
      out += template[i];
      i += 1;
    }
  }
  return out;
}

/** Copies a tag body up to and including `close`, merging adjacent string literals. */
function scanTag(template: string, start: number, close: string): { text: string; next: number } {
  let text = '';
  let i = start;
  while (i < template.length && !template.startsWith(close, i)) {
    const ch = template[i] ?? '';
    if (ch !== '"' && ch !== "'") {
      text += ch;
      i += 1;
      continue;
    }
    const run = readLiteralRun(template, i);
    text +=
      run.pieces.length > 1
        ? `"${run.pieces.map(toDoubleQuotedBody).join('')}"`
        : template.slice(i, run.next);
    i = run.next;
  }
  if (template.startsWith(close, i)) return { text: text + close, next: i + close.length };
  return { text, next: i };
}

interface LiteralPiece {
  readonly quote: string;
  readonly body: string;
}

/** Reads one literal and every literal that follows it separated only by whitespace. */
function readLiteralRun(template: string, start: number): { pieces: LiteralPiece[]; next: number } {
  const pieces: LiteralPiece[] = [];
  let next = start;
  let cursor = start;
  for (;;) {
    const literal = readLiteral(template, cursor);
    if (literal === null) break;
    pieces.push(literal.piece);
    next = literal.next;
    cursor = next;
    while (/\s/.test(template[cursor] ?? '')) cursor += 1;
    const following = template[cursor];
    if (following !== '"' && following !== "'") break;
  }
  // An unterminated literal is left as is for nunjucks to report.
  if (pieces.length === 0) return { pieces, next: template.length };
  return { pieces, next };
}

function readLiteral(
  template: string,
  start: number,
): { piece: LiteralPiece; next: number } | null {
  const quote = template[start] ?? '';
  let i = start + 1;
  while (i < template.length && template[i] !== quote) i += template[i] === '\\' ? 2 : 1;
  if (i >= template.length) return null;
  return { piece: { quote, body: template.slice(start + 1, i) }, next: i + 1 };
}

/** The body of a literal, escaped to sit between double quotes. */
function toDoubleQuotedBody(piece: LiteralPiece): string {
  if (piece.quote === '"') return piece.body;
  let out = '';
  for (let i = 0; i < piece.body.length; i++) {
    const ch = piece.body[i] ?? '';
    if (ch === '\\') {
      out += piece.body.slice(i, i + 2);
      i += 1;
    } else {
      out += ch === '"' ? '\\"' : ch;
    }
  }
  return out;
}

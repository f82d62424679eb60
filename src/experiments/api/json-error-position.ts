import { coerceError } from '../../analysis/coerce-error.js';

/** Thrown inside the scanner to unwind to the offending offset. */
class SyntaxAt extends Error {
  override readonly name = 'SyntaxAt';
  readonly offset: number;
  constructor(offset: number) {
    super(`JSON syntax error at offset ${offset}`);
    this.offset = offset;
  }
}

const PRIMITIVE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
const WHITESPACE = /[ \t\n\r]*/y;
/** What may follow a backslash in a JSON string. */
const ESCAPE = /["\\/bfnrt]|u[0-9A-Fa-f]{4}/y;

/** A minimal JSON scanner that only finds where the text stops being JSON. */
class Scanner {
  private i = 0;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  scan(): void {
    this.value();
    this.ws();
    if (this.i < this.text.length) throw new SyntaxAt(this.i);
  }

  private ws(): void {
    WHITESPACE.lastIndex = this.i;
    WHITESPACE.exec(this.text);
    this.i = WHITESPACE.lastIndex;
  }

  private expect(ch: string): void {
    this.ws();
    if (this.text[this.i] !== ch) throw new SyntaxAt(this.i);
    this.i += 1;
  }

  /** Items separated by commas until `close`, each read by `item`. */
  private sequence(close: string, item: () => void): void {
    this.i += 1;
    this.ws();
    if (this.text[this.i] === close) {
      this.i += 1;
      return;
    }
    for (;;) {
      item();
      this.ws();
      if (this.text[this.i] !== ',') return this.expect(close);
      this.i += 1;
    }
  }

  private value(): void {
    this.ws();
    const ch = this.text[this.i];
    if (ch === '{') return this.sequence('}', () => this.member());
    if (ch === '[') return this.sequence(']', () => this.value());
    if (ch === '"') return this.string();
    PRIMITIVE.lastIndex = this.i;
    if (PRIMITIVE.exec(this.text) === null) throw new SyntaxAt(this.i);
    this.i = PRIMITIVE.lastIndex;
  }

  private member(): void {
    this.ws();
    this.string();
    this.expect(':');
    this.value();
  }

  /** At a backslash: skips a valid escape sequence, leaving `i` on its last character. */
  private escape(): void {
    ESCAPE.lastIndex = this.i + 1;
    if (ESCAPE.exec(this.text) === null) throw new SyntaxAt(this.i + 1);
    this.i = ESCAPE.lastIndex - 1;
  }

  private string(): void {
    if (this.text[this.i] !== '"') throw new SyntaxAt(this.i);
    for (this.i += 1; this.i < this.text.length; this.i += 1) {
      const ch = this.text[this.i]!;
      if (ch === '"') {
        this.i += 1;
        return;
      }
      if (ch === '\\') this.escape();
      else if (ch < ' ') throw new SyntaxAt(this.i);
    }
    throw new SyntaxAt(this.i);
  }
}

/**
 * Where `text` stops being valid JSON, as 1-based line and column, or null when it is valid.
 * Used only after `JSON.parse` failed, to point at the spot (V8 does not always say).
 */
export function jsonErrorPosition(text: string): { line: number; column: number } | null {
  try {
    new Scanner(text).scan();
    return null;
  } catch (e) {
    const error = coerceError(e);
    if (!(error instanceof SyntaxAt)) throw error;
    const before = text.slice(0, error.offset);
    const line = before.split('\n').length;
    return { line, column: error.offset - before.lastIndexOf('\n') };
  }
}

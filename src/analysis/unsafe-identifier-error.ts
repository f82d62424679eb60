/**
 * Raised when a name that would reach SQL (an experiment slug, a table, column or dataset name)
 * could break out of its quoting, before any query text is built.
 */
export class UnsafeIdentifierError extends Error {
  override readonly name = 'UnsafeIdentifierError';
  /** What the value was meant to be, e.g. `experiment slug`, `metric name`. */
  readonly what: string;
  /** The rejected value, verbatim. */
  readonly value: string;

  constructor(what: string, value: string, reason: string) {
    super(`unsafe ${what} ${JSON.stringify(value)}: ${reason}`);
    this.what = what;
    this.value = value;
  }
}

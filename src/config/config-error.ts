/**
 * A problem found in a metric-hub configuration: which file, which key inside it, and why.
 * Loading collects these (one per problem); resolution throws the first one.
 */
export interface ConfigProblem {
  /** Path of the file at fault, relative to the metric-hub folder (or as given by the user). */
  readonly file: string;
  /** Dotted key path inside the file (`metrics.active_hours.statistics`); empty for the whole file. */
  readonly keyPath: string;
  /** What is wrong, in one line. */
  readonly reason: string;
}

/** A configuration error; `toString()` is the one-line `FILE: KEY.PATH: reason` form. */
export class ConfigError extends Error implements ConfigProblem {
  override readonly name = 'ConfigError';
  readonly file: string;
  readonly keyPath: string;
  readonly reason: string;

  constructor(file: string, keyPath: string, reason: string) {
    super(formatProblem({ file, keyPath, reason }));
    this.file = file;
    this.keyPath = keyPath;
    this.reason = reason;
  }

  override toString(): string {
    return this.message;
  }
}

/** The problem as a {@link ConfigError} (itself when it already is one). */
export function toConfigError(problem: ConfigProblem): ConfigError {
  return problem instanceof ConfigError
    ? problem
    : new ConfigError(problem.file, problem.keyPath, problem.reason);
}

/** `FILE: KEY.PATH: reason` (or `FILE: reason` when the key path is empty), on one line. */
export function formatProblem(problem: ConfigProblem): string {
  const reason = problem.reason.replace(/\s*\n\s*/g, ' ');
  return problem.keyPath === ''
    ? `${problem.file}: ${reason}`
    : `${problem.file}: ${problem.keyPath}: ${reason}`;
}

/** Joins key path segments with dots, skipping empty ones. */
export function joinKeyPath(...segments: readonly (string | number)[]): string {
  return segments
    .map(String)
    .filter((s) => s !== '')
    .join('.');
}

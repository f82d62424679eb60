/** Exit codes of every contrail command (DESIGN.md). */
export const EXIT = {
  /** Everything asked for succeeded. */
  ok: 0,
  /** Something failed (bad input file, failed jobs, unreachable service, ...). */
  failure: 1,
  /** The command line itself was wrong (unknown option, missing argument, bad value). */
  usage: 2,
  /** Ctrl-C stopped `--wait` (128 + SIGINT, as a shell reports it); the jobs stay queued. */
  interrupted: 130,
} as const;

/** Thrown by commands for a bad command line; exits with {@link EXIT.usage}. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Thrown by commands for an expected failure whose message says everything; exits 1, no stack. */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
}

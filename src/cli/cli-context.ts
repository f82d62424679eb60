import type { Command } from 'commander';

import { parseEnv, type Env } from '../runtime/env.js';
import { createLogger, type Logger } from '../runtime/logger.js';

/** What every command gets from `main`: streams, the environment, and a logger factory. */
export interface CliContext {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Raw environment (validated lazily by {@link CliContext.env}). */
  readonly rawEnv: Readonly<Record<string, string | undefined>>;
  /** The validated environment; throws EnvError (exit 1) on the first call if invalid. */
  env(): Env;
  /** Records a non-zero exit code without throwing; the highest one recorded wins. */
  setExitCode(code: number): void;
  /** The exit code recorded so far (0 when none). */
  exitCode(): number;
  /** A logger honouring `--pretty`/`--log-level` of the root command. */
  logger(program: Command): Logger;
  /** The clock (epoch ms): "today", "yesterday" and the future-date check read it, nothing else. */
  readonly now: () => number;
}

/** Builds the context for one invocation of `main`; `clock` is injected (tests fix "today"). */
export function createCliContext(
  rawEnv: Readonly<Record<string, string | undefined>>,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
  clock: () => number = Date.now,
): CliContext {
  let env: Env | undefined;
  let logger: Logger | undefined;
  let exitCode = 0;
  const context: CliContext = {
    stdout,
    stderr,
    rawEnv,
    env: () => (env ??= parseEnv(rawEnv)),
    setExitCode: (code) => {
      exitCode = Math.max(exitCode, code);
    },
    exitCode: () => exitCode,
    now: clock,
    logger(program) {
      if (logger) return logger;
      const opts = program.optsWithGlobals<{ pretty?: boolean; logLevel?: string }>();
      logger = createLogger({
        level: opts.logLevel ?? context.env().CONTRAIL_LOG_LEVEL,
        ...(opts.pretty === undefined ? {} : { pretty: opts.pretty }),
      });
      return logger;
    },
  };
  return context;
}

import { Command, CommanderError, Option } from 'commander';

import { coerceError } from '../analysis/coerce-error.js';
import { EnvError } from '../runtime/env.js';
import { createCliContext, type CliContext } from './cli-context.js';
import { COMMANDS } from './commands/index.js';
import { CommandFailure, EXIT, UsageError } from './exit-codes.js';

/** Builds the `contrail` program with every subcommand registered. */
export function buildProgram(context: CliContext): Command {
  const program = new Command('contrail')
    .description(
      'Automated A/B-experiment analysis: metric-hub configs in, jetstream-compatible statistics out.',
    )
    .version(CONTRAIL_VERSION)
    .addOption(new Option('--pretty', 'human-readable log lines (default on a TTY)'))
    .addOption(new Option('--no-pretty', 'JSON log lines'))
    .addOption(
      new Option('--log-level <level>', 'log level').choices([
        'fatal',
        'error',
        'warn',
        'info',
        'debug',
        'trace',
        'silent',
      ]),
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => context.stdout.write(s),
      writeErr: (s) => context.stderr.write(s),
    });
  for (const register of COMMANDS) register(program, context);
  for (const command of program.commands) command.exitOverride().showHelpAfterError();
  return program;
}

/** Version printed by `--version`. */
const CONTRAIL_VERSION = '0.1.0';

/**
 * Runs the CLI and resolves to its exit code: 0 success, 1 failure, 2 bad usage. `clock` is
 * the only source of the current time for the commands (injected by tests).
 * Commands fail by throwing {@link CommandFailure} (1) or {@link UsageError} (2), or report a
 * non-zero code without throwing through `context.setExitCode` (e.g. validate-config).
 */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
  clock: () => number = Date.now,
): Promise<number> {
  const context = createCliContext(env, stdout, stderr, clock);
  const program = buildProgram(context);
  try {
    await program.parseAsync([...argv]);
    return context.exitCode();
  } catch (thrown) {
    return exitCodeFor(thrown, stderr, env['CONTRAIL_LOG_LEVEL']);
  }
}

function exitCodeFor(
  thrown: unknown,
  stderr: NodeJS.WritableStream,
  verbose: string | undefined,
): number {
  if (thrown instanceof CommanderError) {
    // --help and --version end with exit code 0; everything else commander raises is bad usage.
    if (thrown.exitCode === 0) return EXIT.ok;
    return EXIT.usage;
  }
  const error = coerceError(thrown);
  if (error instanceof UsageError) {
    stderr.write(`contrail: ${error.message}\n(run with --help for usage)\n`);
    return EXIT.usage;
  }
  if (error instanceof CommandFailure || error instanceof EnvError) {
    stderr.write(`contrail: ${error.message}\n`);
    return EXIT.failure;
  }
  const debug = verbose === 'debug' || verbose === 'trace';
  stderr.write(
    `contrail: ${debug ? (error.stack ?? error.message) : `${error.name}: ${error.message}`}\n`,
  );
  return EXIT.failure;
}

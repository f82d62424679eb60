import type { Command } from 'commander';

import type { CliContext } from '../cli-context.js';
import { registerSeedCommand } from './seed.js';
import { registerValidateConfigCommand } from './validate-config.js';
import { registerStatsCommand } from './stats.js';
import { registerDemoCommand } from './demo.js';
import { registerRerunCommand } from './rerun.js';
import { registerRunCommand } from './run.js';
import { registerWorkerCommand } from './worker.js';
import { registerBoardCommand } from './board.js';
import { registerScheduleCommand } from './schedule.js';
import { registerStatusCommand } from './status.js';

/** A command module: adds one subcommand (with its options and action) to the program. */
export type RegisterCommand = (program: Command, context: CliContext) => void;

/**
 * Every subcommand, in the order `--help` lists them. Each lives in its own file in this folder
 * and exports one `RegisterCommand`.
 */
export const COMMANDS: readonly RegisterCommand[] = [
  registerDemoCommand,
  registerSeedCommand,
  registerValidateConfigCommand,
  registerStatsCommand,
  registerRunCommand,
  registerRerunCommand,
  registerWorkerCommand,
  registerScheduleCommand,
  registerStatusCommand,
  registerBoardCommand,
];

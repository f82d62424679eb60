import { parsePositiveInt } from '../parse-options.js';
import type { RegisterCommand } from './index.js';

/** Options of `contrail demo`. */
export interface DemoOptions {
  readonly clients?: number;
  readonly concurrency?: number;
}

/**
 * `contrail demo`: the main job on the embedded default, end to end in one process — seed the
 * synthetic warehouse, start a worker pool, run the analysis for a date on which several periods
 * are due, wait with a progress bar, print a readable summary and where the results are.
 */
export const registerDemoCommand: RegisterCommand = (program, context) => {
  program
    .command('demo')
    .description(
      'seed the embedded warehouse, analyse every experiment due on the demo date, summarise',
    )
    .option('--clients <n>', 'desktop clients to generate', parsePositiveInt, 20_000)
    .option('--concurrency <n>', 'metric jobs in parallel (default: the CPUs)', parsePositiveInt)
    .action(async (options: DemoOptions) => {
      // Loaded here, not at start-up: other commands do not pay for BullMQ and the warehouse.
      const { runDemo } = await import('./demo-run.js');
      await runDemo(context, program, options);
    });
};

import { InvalidArgumentError } from 'commander';

import { parsePositiveInt } from '../parse-options.js';
import type { RegisterCommand } from './index.js';

/**
 * The demo's own BullMQ key prefix: pointed at a shared (even a production) Redis, the demo's
 * jobs never land in the queues of the default prefix `contrail`.
 */
export const DEMO_QUEUE_PREFIX = 'contrail-demo';

/** Options of `contrail demo`. */
export interface DemoOptions {
  readonly clients?: number;
  readonly concurrency?: number;
  readonly queuePrefix: string;
}

/** `--queue-prefix`: the characters CONTRAIL_QUEUE_PREFIX allows. */
function parseQueuePrefix(value: string): string {
  if (!/^[A-Za-z0-9_{}-]+$/.test(value)) {
    throw new InvalidArgumentError('letters, digits, _, -, { and } only');
  }
  return value;
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
    .option(
      '--queue-prefix <prefix>',
      "BullMQ key prefix of the demo's queues (CONTRAIL_QUEUE_PREFIX is not used: the demo " +
        'never enqueues into the queues of another installation)',
      parseQueuePrefix,
      DEMO_QUEUE_PREFIX,
    )
    .action(async (options: DemoOptions) => {
      // Loaded here, not at start-up: other commands do not pay for BullMQ and the warehouse.
      const { runDemo } = await import('./demo-run.js');
      await runDemo(context, program, options);
    });
};

import path from 'node:path';

import { InvalidArgumentError } from 'commander';

import { coerceError } from '../../analysis/coerce-error.js';
import type { SeedManifest } from '../../warehouse/synthetic/seed-manifest.js';
import {
  SEED_DEFAULTS,
  SeedOptionsError,
  resolveSeedOptions,
} from '../../warehouse/synthetic/seed-options.js';
import { WAREHOUSE_FILES } from '../../warehouse/synthetic/warehouse-file-names.js';
import { CommandFailure, UsageError } from '../exit-codes.js';
import type { RegisterCommand } from './index.js';

/** jetstream's test data, relative to the project root. */
const JETSTREAM_FIXTURES = '../shared/fixtures/jetstream';

interface SeedCommandOptions {
  readonly dir?: string;
  readonly clients?: number;
  readonly days?: number;
  readonly experiments?: number;
  readonly seed?: number;
  readonly demoDate?: string;
  readonly jetstreamFixtures?: boolean;
  readonly fixtures: string;
}

function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a non-negative integer');
  return Number(value);
}

/**
 * `contrail seed`: builds the embedded warehouse (synthetic telemetry, experiments.json,
 * metric-hub/, manifest.json), or loads jetstream's test data with `--jetstream-fixtures`.
 * Prints a summary; exits 2 for bad options, 1 when something cannot be written or read.
 */
export const registerSeedCommand: RegisterCommand = (program, context) => {
  program
    .command('seed')
    .description('build the embedded warehouse: synthetic telemetry with known effects')
    .option('--dir <dir>', 'warehouse folder (default: $CONTRAIL_WAREHOUSE_DIR)')
    .option('--clients <n>', `desktop clients (default ${SEED_DEFAULTS.clients})`, integer)
    .option(
      '--days <d>',
      `days of data ending on the demo date (default ${SEED_DEFAULTS.days})`,
      integer,
    )
    .option('--experiments <k>', `experiments (default ${SEED_DEFAULTS.experiments})`, integer)
    .option('--seed <s>', `random seed (default ${SEED_DEFAULTS.seed})`, integer)
    .option('--demo-date <date>', `last day of data (default ${SEED_DEFAULTS.demoDate})`)
    .option('--jetstream-fixtures', "load jetstream's test data instead of generating")
    .option('--fixtures <dir>', "folder of jetstream's test NDJSON files", JETSTREAM_FIXTURES)
    .action(async (options: SeedCommandOptions) => {
      const dir = options.dir ?? context.env().CONTRAIL_WAREHOUSE_DIR;
      const logger = context.logger(program);
      const started = performance.now();
      logger.info({ dir, ...options }, 'seeding the embedded warehouse');
      const manifest = await runSeed(dir, options);
      const seconds = (performance.now() - started) / 1000;
      context.stdout.write(formatSummary(dir, manifest, seconds));
    });
};

async function runSeed(dir: string, options: SeedCommandOptions): Promise<SeedManifest> {
  try {
    // Loaded here, not at start-up: other commands do not pay for DuckDB.
    if (options.jetstreamFixtures === true) {
      const { seedJetstreamFixtures } =
        await import('../../warehouse/synthetic/seed-jetstream-fixtures.js');
      return await seedJetstreamFixtures(dir, path.resolve(options.fixtures));
    }
    const { seedWarehouse } = await import('../../warehouse/synthetic/seed-warehouse.js');
    const seedOptions = resolveSeedOptions({
      dir,
      ...(options.clients === undefined ? {} : { clients: options.clients }),
      ...(options.days === undefined ? {} : { days: options.days }),
      ...(options.experiments === undefined ? {} : { experiments: options.experiments }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.demoDate === undefined ? {} : { demoDate: options.demoDate }),
    });
    return await seedWarehouse(seedOptions);
  } catch (thrown) {
    const error = coerceError(thrown);
    if (error instanceof SeedOptionsError) throw new UsageError(error.message);
    throw new CommandFailure(`seed failed: ${error.message}`);
  }
}

/** The summary printed on success. */
export function formatSummary(dir: string, manifest: SeedManifest, seconds: number): string {
  const lines: string[] = [];
  const population = Object.entries(manifest.population)
    .map(([platform, n]) => `${n.toLocaleString('en-US')} ${platform}`)
    .join(' + ');
  lines.push(
    `Seeded ${manifest.mode} warehouse in ${dir} in ${seconds.toFixed(1)} s` +
      (manifest.seed === null ? '' : ` (seed ${manifest.seed})`),
    `Clients: ${population}; data ${manifest.dataStart} .. ${manifest.dataEnd}`,
    '',
    'Tables:',
  );
  const width = Math.max(...manifest.tables.map((t) => t.dataset.length + t.table.length + 1));
  for (const t of manifest.tables) {
    const name = `${t.dataset}.${t.table}`.padEnd(width);
    lines.push(`  ${name}  ${t.rows.toLocaleString('en-US').padStart(10)} rows`);
  }
  lines.push('', `Experiments (${manifest.experiments.length}):`);
  for (const e of manifest.experiments) lines.push(`  ${experimentLine(e)}`);
  for (const srm of manifest.sampleRatioMismatches) {
    const counts = Object.entries(srm.enrolled).map(([b, n]) => `${b} ${n}`);
    lines.push(`  planted sample ratio mismatch in ${srm.slug}: ${counts.join(' / ')}`);
  }
  lines.push(
    '',
    `Demo date: ${manifest.demoDate} (several analysis periods are due on it)`,
    `Files: ${path.join(dir, WAREHOUSE_FILES.experiments)}, ` +
      `${path.join(dir, WAREHOUSE_FILES.metricHub)}/, ` +
      `${path.join(dir, WAREHOUSE_FILES.manifest)} (true effects)`,
  );
  return `${lines.join('\n')}\n`;
}

function experimentLine(e: SeedManifest['experiments'][number]): string {
  const due = e.dueWindows.map((w) => `${w.period} ${w.window}`).join(', ');
  const enrolled = e.branches.reduce((sum, b) => sum + b.enrolled, 0);
  const status = e.analysable ? `due: ${due || 'nothing'}` : 'not analysable';
  return `${e.slug.padEnd(26)} ${e.platform.padEnd(15)} ${e.branches.length === 1 ? '1 branch,  ' : `${e.branches.length} branches,`} ${String(enrolled).padStart(6)} enrolled; ${status} [${e.traits.join(', ')}]`;
}

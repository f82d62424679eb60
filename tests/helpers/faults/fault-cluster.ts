import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';

import type { QueueName } from '../../../src/queue/queue-names.js';
import { startPrivateRedis, type PrivateRedis } from '../../../src/runtime/private-redis.js';
import type { StatisticRow } from '../../../src/stats/statistic-row.js';
import { readAllStatistics } from '../warehouse-reader.js';
import { spawnCli, type CliProcess, type ProcessExit } from './cli-process.js';
import type { FaultsScale } from './faults-scale.js';
import { makeWorkload, RUN_DATE, type WorkloadName } from './fault-workload.js';

/** Options of a worker process started by {@link FaultCluster.startWorker}. */
export interface WorkerOptions {
  /** Metric jobs in parallel. @defaultValue 2 */
  readonly concurrency?: number;
  /** Seconds SIGTERM waits for active jobs. @defaultValue 20 */
  readonly graceSeconds?: number;
  /** Stalls a job survives before it fails (`--max-stalled-count`). @defaultValue contrail's */
  readonly maxStalledCount?: number;
  /** Only these queues. */
  readonly queues?: readonly QueueName[];
  readonly extraArgs?: readonly string[];
}

/** Redis memory figures (`INFO memory`), in bytes. */
export interface RedisMemory {
  /** `used_memory`: everything Redis allocated. */
  readonly usedMemory: number;
  /** `used_memory_scripts`: the cache of Lua scripts sent with EVAL. */
  readonly scriptsMemory: number;
  /** `mem_clients_normal`: the clients' query and output buffers. */
  readonly clientsMemory: number;
  /** `mem_aof_buffer`: AOF data not yet written. */
  readonly aofBufferMemory: number;
  /** `used_memory_dataset`: used_memory less Redis's overhead (buffers, caches, tables). */
  readonly datasetMemory: number;
  /** `number_of_cached_scripts`. */
  readonly cachedScripts: number;
}

/** A finished CLI command. */
export interface CommandResult extends ProcessExit {
  readonly stdout: string;
  readonly output: string;
}

/**
 * One fault scenario's world: a private `redis-server` (AOF on, its own loopback port, restartable),
 * a private copy of a workload's warehouse, and every contrail process the test starts, with
 * their output kept for log checks. Secrets are set in every process's environment so a test can
 * check that none of them is ever logged.
 */
export interface FaultCluster {
  readonly dir: string;
  readonly warehouseDir: string;
  readonly env: Readonly<Record<string, string>>;
  /** Secret values present in every process's environment (must never be logged). */
  readonly secrets: readonly string[];
  readonly redisUrl: string;
  /** The test's own Redis connection (for inspection; survives {@link restartRedis}). */
  readonly redis: Redis;
  /** Starts a worker process (short locks: 4000 ms lock, 1000 ms stalled check). */
  startWorker(options?: WorkerOptions): CliProcess;
  /** Starts `contrail run --date <demo date> --wait` plus `extraArgs`, in the background. */
  startRun(extraArgs?: readonly string[]): CliProcess;
  /**
   * Starts any contrail command in the background (e.g. `board`), with `env` on top of the
   * cluster's (an empty value unsets a variable for contrail).
   */
  start(args: readonly string[], env?: Readonly<Record<string, string>>): CliProcess;
  /** Runs a contrail command to completion. */
  command(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<CommandResult>;
  /** Worker processes still running. */
  liveWorkers(): CliProcess[];
  /** Every process started so far. */
  processes(): readonly CliProcess[];
  /** A BullMQ queue over the test's own connection (for inspection). */
  queue(name: QueueName): Queue;
  /** A job, or undefined when it does not exist. */
  job(queue: QueueName, id: string): Promise<Job | undefined>;
  /**
   * Stops Redis (SIGTERM: the AOF is flushed), leaves it down for `downMs`, and starts it again
   * on the same port and folder.
   */
  restartRedis(downMs?: number): Promise<void>;
  /** `CLIENT KILL TYPE normal` on every connection but the caller's; returns how many died. */
  killClients(): Promise<number>;
  /** `INFO memory`: used_memory and some of its parts, in bytes. */
  memory(): Promise<RedisMemory>;
  /** Every key of the cluster's Redis (SCAN). */
  keys(): Promise<string[]>;
  /** Every statistics table of the sandbox warehouse (name → sorted rows). */
  tables(): Promise<Map<string, StatisticRow[]>>;
  /** Output of every process, each line prefixed by the process label. */
  allOutput(): string;
  /** Kills every process still running, stops Redis and removes the folder. */
  close(): Promise<void>;
}

/** Creates a fault cluster for `workload` from the seeded `templateDir`. */
export async function createFaultCluster(options: {
  readonly name: string;
  readonly workload: WorkloadName;
  readonly templateDir: string;
  readonly scale: FaultsScale;
  readonly logLevel?: string;
  /** More environment for every process (e.g. a BigQuery warehouse). */
  readonly env?: Readonly<Record<string, string>>;
  /** The board token and password (default: new random ones); see {@link boardSecrets}. */
  readonly secrets?: readonly [string, string];
  /** On close, each process's output is saved here as `<cluster>-<label>-<pid>.log`. */
  readonly logDir?: string;
}): Promise<FaultCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), `contrail-faults-${options.name}-`));
  const redisDir = path.join(dir, 'redis');
  mkdirSync(redisDir);
  const warehouseDir = path.join(dir, 'warehouse');
  makeWorkload(options.workload, options.templateDir, warehouseDir, options.scale);
  let redis: PrivateRedis = await startPrivateRedis({ appendOnly: true, dir: redisDir });
  const secrets = options.secrets ?? boardSecrets();
  const env: Record<string, string> = {
    REDIS_URL: redis.url,
    CONTRAIL_QUEUE_PREFIX: 'faults',
    CONTRAIL_WAREHOUSE_DIR: warehouseDir,
    CONTRAIL_EXPORTS_DIR: path.join(dir, 'exports'),
    CONTRAIL_LOG_LEVEL: options.logLevel ?? 'info',
    CONTRAIL_BOARD_TOKEN: secrets[0],
    CONTRAIL_BOARD_USER: 'faults-admin',
    CONTRAIL_BOARD_PASSWORD: secrets[1],
    ...options.env,
  };
  const started: CliProcess[] = [];
  const counters = new Map<string, number>();
  const spawnLabelled = (kind: string, args: readonly string[], extraEnv = {}) => {
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    const process = spawnCli(`${kind}-${n}`, args, { ...env, ...extraEnv });
    started.push(process);
    return process;
  };
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  connection.on('error', () => undefined);
  const queues = new Map<QueueName, Queue>();
  const queue = (name: QueueName) => {
    let q = queues.get(name);
    if (q === undefined) {
      // Inspection only: leave the queue's meta (events stream cap, version) as contrail set it.
      q = new Queue(name, { connection, prefix: 'faults', skipMetasUpdate: true });
      q.on('error', () => undefined);
      queues.set(name, q);
    }
    return q;
  };
  return {
    dir,
    warehouseDir,
    env,
    secrets,
    get redisUrl() {
      return redis.url;
    },
    redis: connection,
    startWorker(worker = {}) {
      return spawnLabelled('worker', workerArgs(worker));
    },
    startRun(extraArgs = []) {
      return spawnLabelled('run', ['run', '--date', RUN_DATE, '--wait', ...extraArgs]);
    },
    start(args, extraEnv = {}) {
      return spawnLabelled(args[0] ?? 'command', args, extraEnv);
    },
    async command(args, extraEnv = {}) {
      const process = spawnLabelled(args[0] ?? 'command', args, extraEnv);
      const exit = await process.exited;
      return { ...exit, stdout: process.stdout(), output: process.output() };
    },
    liveWorkers: () => started.filter((p) => p.label.startsWith('worker-') && p.running()),
    processes: () => started,
    queue,
    async job(name, id) {
      return Job.fromId(queue(name), id);
    },
    async restartRedis(downMs = 1_500) {
      const { port } = redis;
      await redis.stop();
      await sleep(downMs);
      redis = await startPrivateRedis({ appendOnly: true, dir: redisDir, port });
    },
    async killClients() {
      return Number(await connection.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes'));
    },
    async memory() {
      const info = await connection.info('memory');
      const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1]);
      return {
        usedMemory: field('used_memory'),
        scriptsMemory: field('used_memory_scripts'),
        clientsMemory: field('mem_clients_normal'),
        aofBufferMemory: field('mem_aof_buffer'),
        datasetMemory: field('used_memory_dataset'),
        cachedScripts: field('number_of_cached_scripts'),
      };
    },
    async keys() {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await connection.scan(cursor, 'COUNT', 1000);
        keys.push(...batch);
        cursor = next;
      } while (cursor !== '0');
      return keys;
    },
    tables: () => readAllStatistics(warehouseDir),
    allOutput: () =>
      started
        .map((p) =>
          p
            .output()
            .split('\n')
            .map((line) => `[${p.label}] ${line}`)
            .join('\n'),
        )
        .join('\n'),
    async close() {
      await Promise.all(started.map((p) => p.kill('SIGKILL')));
      if (options.logDir !== undefined) saveLogs(options.logDir, options.name, started);
      await Promise.all([...queues.values()].map((q) => q.close()));
      connection.disconnect();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function workerArgs(options: WorkerOptions): string[] {
  return [
    'worker',
    '--concurrency',
    String(options.concurrency ?? 2),
    '--lock-duration',
    '4000',
    '--stalled-interval',
    '1000',
    '--grace-period',
    String(options.graceSeconds ?? 20),
    ...(options.maxStalledCount === undefined
      ? []
      : ['--max-stalled-count', String(options.maxStalledCount)]),
    ...(options.queues === undefined ? [] : ['--queues', options.queues.join(',')]),
    ...(options.extraArgs ?? []),
  ];
}

/** A random board token and password, each unmistakable in a log line. */
export function boardSecrets(): [string, string] {
  const secret = (kind: string) => `faults-${kind}-${randomBytes(12).toString('hex')}`;
  return [secret('token'), secret('password')];
}

function saveLogs(dir: string, cluster: string, processes: readonly CliProcess[]): void {
  mkdirSync(dir, { recursive: true });
  for (const p of processes) {
    writeFileSync(path.join(dir, `${cluster}-${p.label}-${p.pid}.log`), p.output());
  }
}

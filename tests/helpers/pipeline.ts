import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Redis } from 'ioredis';

/**
 * Helpers for end-to-end tests against real processes: the compiled CLI (`npm run build` first;
 * `npm test` does it), the real Redis, a private warehouse folder and queue prefix per test.
 */

/** The project root. */
export const ROOT = path.resolve(import.meta.dirname, '../..');
/** The compiled CLI entry. */
export const CLI = path.join(ROOT, 'bin/contrail.js');
/** Redis used by tests (the machine's own, unless REDIS_URL says otherwise). */
export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A private sandbox: warehouse and exports folders, queue prefix, environment. */
export interface Sandbox {
  readonly dir: string;
  readonly warehouseDir: string;
  readonly exportsDir: string;
  readonly prefix: string;
  readonly env: Record<string, string>;
  /** Deletes the folder and every Redis key under the prefix. */
  cleanup(): Promise<void>;
}

/** Creates a sandbox (call `cleanup` in afterAll). */
export function createSandbox(name: string, extraEnv: Record<string, string> = {}): Sandbox {
  const dir = mkdtempSync(path.join(tmpdir(), `contrail-${name}-`));
  const prefix = `test-${name}-${randomUUID().slice(0, 8)}`;
  const warehouseDir = path.join(dir, 'warehouse');
  const exportsDir = path.join(dir, 'exports');
  const env: Record<string, string> = {
    REDIS_URL: TEST_REDIS_URL,
    CONTRAIL_QUEUE_PREFIX: prefix,
    CONTRAIL_WAREHOUSE_DIR: warehouseDir,
    CONTRAIL_EXPORTS_DIR: exportsDir,
    CONTRAIL_LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  return {
    dir,
    warehouseDir,
    exportsDir,
    prefix,
    env,
    async cleanup() {
      await deleteKeys(prefix);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Deletes every Redis key under `prefix:`. */
export async function deleteKeys(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Output of a finished CLI process. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the compiled CLI to completion. */
export function runContrail(
  args: readonly string[],
  env: Record<string, string>,
  options: { timeoutMs?: number; root?: string } = {},
): Promise<CliResult> {
  const root = options.root ?? ROOT;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/contrail.js'), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A background CLI process (e.g. `worker`), with its output captured. */
export interface BackgroundProcess {
  readonly child: ChildProcess;
  output(): string;
  /** Sends `signal` and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the compiled CLI in the background. */
export function startContrail(
  args: readonly string[],
  env: Record<string, string>,
): BackgroundProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Starts a worker process for the sandbox with short locks (fast crash recovery in tests). */
export function startWorkerProcess(
  sandbox: Sandbox,
  extraArgs: readonly string[] = [],
): BackgroundProcess {
  return startContrail(
    [
      'worker',
      '--concurrency',
      '2',
      '--lock-duration',
      '4000',
      '--stalled-interval',
      '1000',
      '--grace-period',
      '20',
      ...extraArgs,
    ],
    sandbox.env,
  );
}

/** Seeds a small synthetic warehouse into the sandbox (fast enough for tests). */
export async function seedSmallWarehouse(sandbox: Sandbox, clients = 3000): Promise<CliResult> {
  const result = await runContrail(
    ['seed', '--dir', sandbox.warehouseDir, '--clients', String(clients)],
    sandbox.env,
  );
  if (result.code !== 0) throw new Error(`seed failed (${result.code}):\n${result.stderr}`);
  return result;
}

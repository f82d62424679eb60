import { spawn, type ChildProcess } from 'node:child_process';

import { CLI, ROOT } from '../pipeline.js';

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A compiled-CLI process of a fault test, with its output captured from the start. */
export interface CliProcess {
  /** What the test calls it (`worker-3`, `run-1`, ...). */
  readonly label: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** stdout and stderr, interleaved as they arrived. */
  output(): string;
  /** stdout only. */
  stdout(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ProcessExit>;
  /** True until the process exits. */
  running(): boolean;
  /** Sends `signal` (if still running) and resolves when the process has exited. */
  kill(signal: NodeJS.Signals): Promise<ProcessExit>;
}

/** Starts `contrail <args>` (the compiled CLI) with `env` on top of the test's environment. */
export function spawnCli(
  label: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  let running = true;
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<ProcessExit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });
  if (child.pid === undefined) throw new Error(`could not start contrail ${args.join(' ')}`);
  return {
    label,
    pid: child.pid,
    child,
    output: () => output,
    stdout: () => stdout,
    exited,
    running: () => running,
    async kill(signal) {
      if (running) child.kill(signal);
      return exited;
    },
  };
}

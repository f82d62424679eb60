import { Writable } from 'node:stream';

/** A writable stream that keeps what is written, for asserting on command output. */
export class Capture extends Writable {
  private readonly chunks: string[] = [];

  override _write(chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(String(chunk));
    done();
  }

  /** Everything written so far. */
  text(): string {
    return this.chunks.join('');
  }
}

/** Runs the contrail CLI in-process and returns its exit code and output (`clock`: its "now"). */
export async function runCli(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  clock: () => number = Date.now,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../src/cli/main.js');
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(
    ['node', 'contrail', ...args],
    { CONTRAIL_LOG_LEVEL: 'silent', ...env },
    stdout,
    stderr,
    clock,
  );
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** What {@link sweepLogs} found. */
export interface LogSweep {
  /** Process logs read. */
  readonly files: number;
  /** Lines read. */
  readonly lines: number;
  /** `file: line` of every line that contains a secret. */
  readonly leaks: readonly string[];
}

/** Reads every `*.log` file of `dir` and lists the lines that contain one of `secrets`. */
export function sweepLogs(dir: string, secrets: readonly string[]): LogSweep {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.log')) : [];
  let lines = 0;
  const leaks: string[] = [];
  for (const file of files) {
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      lines += 1;
      if (secrets.some((secret) => line.includes(secret))) leaks.push(`${file}: ${line}`);
    }
  }
  return { files: files.length, lines, leaks };
}

/** One line for the suite's closing report. */
export function formatSweep(sweep: LogSweep, secrets: number): string {
  return (
    `Logs: ${sweep.lines} lines of ${sweep.files} process logs searched for the ${secrets} ` +
    `board secrets: ${sweep.leaks.length} leaked.`
  );
}

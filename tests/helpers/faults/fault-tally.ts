import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import { ROOT } from '../pipeline.js';

/** What one scenario did, for the suite's closing report (issue #7 "Report"). */
export interface TallyEntry {
  readonly scenario: string;
  /** Jobs that completed (metric, finalize, enrollments, export). */
  readonly jobsRun: number;
  /** Processes killed (SIGKILL or SIGTERM) that the run survived. */
  readonly killsSurvived: number;
  /** Other faults injected (Redis restarts, client kills, warehouse errors, ...). */
  readonly faultsInjected: number;
  readonly badInputsTried: number;
  readonly rowsLost: number;
  readonly rowsDuplicated: number;
  /** Wall time of the scenario in ms. */
  readonly wallMs: number;
}

/** Where the entries of the current suite run go (NDJSON, one line per scenario). */
export const TALLY_FILE = path.join(ROOT, 'reports', 'faults-tally.ndjson');

/** Empties the tally (at the start of a suite run). */
export function resetTally(file = TALLY_FILE): void {
  rmSync(file, { force: true });
}

/** Appends one scenario's entry. */
export function recordTally(entry: TallyEntry, file = TALLY_FILE): void {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

/** Every entry recorded since the last reset. */
export function readTally(file = TALLY_FILE): TallyEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TallyEntry);
}

/** Sums of every numeric column. */
export function totalTally(entries: readonly TallyEntry[]): Omit<TallyEntry, 'scenario'> {
  const sum = (key: Exclude<keyof TallyEntry, 'scenario'>) =>
    entries.reduce((n, e) => n + e[key], 0);
  return {
    jobsRun: sum('jobsRun'),
    killsSurvived: sum('killsSurvived'),
    faultsInjected: sum('faultsInjected'),
    badInputsTried: sum('badInputsTried'),
    rowsLost: sum('rowsLost'),
    rowsDuplicated: sum('rowsDuplicated'),
    wallMs: sum('wallMs'),
  };
}

/** The tally as a Markdown table (the full-size script prints it for the README). */
export function formatTally(entries: readonly TallyEntry[]): string {
  const header =
    '| scenario | jobs run | kills survived | faults injected | bad inputs | rows lost | rows duplicated | wall time |';
  const line = (name: string, e: Omit<TallyEntry, 'scenario'>) =>
    `| ${name} | ${e.jobsRun} | ${e.killsSurvived} | ${e.faultsInjected} | ${e.badInputsTried} | ` +
    `${e.rowsLost} | ${e.rowsDuplicated} | ${(e.wallMs / 1000).toFixed(1)} s |`;
  return [
    header,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...entries.map((e) => line(e.scenario, e)),
    line('**total**', totalTally(entries)),
  ].join('\n');
}

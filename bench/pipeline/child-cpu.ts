import { readFileSync } from 'node:fs';

import { coerceError } from '../../src/analysis/coerce-error.js';

/** Clock ticks per second of /proc (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** Fields of a /proc stat line after the parenthesised command name (which may hold spaces). */
function statFields(file: string): string[] | null {
  let stat: string;
  try {
    stat = readFileSync(file, 'utf8');
  } catch (e) {
    const error = coerceError(e);
    if ((error as { code?: unknown }).code === 'ENOENT') return null;
    throw error;
  }
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Sum of two tick fields (0-based after the name) in seconds; 0 when unreadable. */
function ticks(fields: string[] | null, first: number): number {
  if (fields === null) return 0;
  const sum = Number(fields[first]) + Number(fields[first + 1]);
  return Number.isFinite(sum) ? sum / TICKS_PER_SECOND : 0;
}

/**
 * CPU seconds (user + system) of every child process this process has waited for
 * (`cutime + cstime` of /proc/self/stat); 0 where /proc is not available. Differences between two
 * readings give the CPU of the children that exited in between.
 */
export function waitedChildrenCpuSeconds(): number {
  // cutime and cstime are fields 16 and 17 of the line, the 14th and 15th after the name.
  return ticks(statFields('/proc/self/stat'), 13);
}

/**
 * CPU seconds (user + system, all threads) a running process has used so far (`utime + stime`
 * of /proc/<pid>/stat); 0 when it is gone or /proc is not available.
 */
export function processCpuSeconds(pid: number): number {
  // utime and stime are fields 14 and 15 of the line, the 12th and 13th after the name.
  return ticks(statFields(`/proc/${pid}/stat`), 11);
}

/** An absolute POSIX path of two or more segments, not part of a URL (`https://host/a/b`). */
const ABSOLUTE_PATH = /(?<![\w.:/\\-])\/(?:[^\s/'"`<>()]+\/)+[^\s/'"`<>(),;]*/g;

/** A stack frame line (`    at fn (/app/dist/x.js:1:2)`). */
const STACK_FRAME = /^[ \t]*at [^\n]*(?:\n|$)/gm;

/** The last segment of a path (`/srv/warehouse/experiments.json` → `experiments.json`). */
function lastSegment(path: string): string {
  const segments = path.split('/').filter((s) => s !== '');
  return segments[segments.length - 1] ?? '';
}

/**
 * Text from outside the pages (error messages, log rows, the experiment source's name) made fit
 * to show: stack frames dropped and every absolute server path reduced to its last segment, so
 * no page tells a visitor where the server keeps its files.
 */
export function publicText(text: string): string {
  return text.replace(STACK_FRAME, '').replace(ABSOLUTE_PATH, lastSegment).trimEnd();
}

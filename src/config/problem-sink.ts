import { formatProblem, type ConfigProblem } from './config-error.js';

/** Collects problems once each (the same broken entry may be reached from several places). */
export class ProblemSink {
  private readonly seen = new Set<string>();
  private readonly collected: ConfigProblem[] = [];

  /** Records `problem` unless an identical one was recorded before. */
  add(problem: ConfigProblem): void {
    const key = formatProblem(problem);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.collected.push(problem);
  }

  /** Records several problems. */
  addAll(problems: Iterable<ConfigProblem>): void {
    for (const problem of problems) this.add(problem);
  }

  /** Everything recorded, in order. */
  list(): readonly ConfigProblem[] {
    return this.collected;
  }

  /** How many problems were recorded. */
  get size(): number {
    return this.collected.length;
  }
}

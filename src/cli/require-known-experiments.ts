import { coerceError } from '../analysis/coerce-error.js';
import type { IsoDate } from '../analysis/iso-date.js';
import { didYouMean } from '../config/closest-name.js';
import {
  ExperimentNotFoundError,
  type ExperimentSource,
} from '../experiments/experiment-source.js';
import { UsageError } from './exit-codes.js';

/** Every slug the source lists (parsed or rejected), for suggestions; empty if it cannot list. */
async function knownSlugs(source: ExperimentSource, today: IsoDate): Promise<string[]> {
  try {
    const listed = await source.listExperiments(today);
    const rejected = listed.rejected.flatMap((r) => (r.slug === null ? [] : [r.slug]));
    return [...listed.experiments.map((e) => e.slug), ...rejected];
  } catch (e) {
    coerceError(e); // suggestions are a courtesy; the unknown slug is reported either way
    return [];
  }
}

/**
 * Checks every `--experiment` slug against the experiment source before anything is planned,
 * so an unknown one is a single error line with the closest known slug, and exit code 2 (bad
 * usage) for `run`, `rerun` and `status` alike. Other problems of an experiment (an entry that
 * does not parse, a broken config) are left to planning, which reports them.
 * @throws UsageError with one line per unknown slug.
 */
export async function requireKnownExperiments(
  source: ExperimentSource,
  slugs: readonly string[] | undefined,
  today: IsoDate,
): Promise<void> {
  const unknown: string[] = [];
  for (const slug of slugs ?? []) {
    try {
      await source.getExperiment(slug, today);
    } catch (e) {
      if (coerceError(e) instanceof ExperimentNotFoundError) unknown.push(slug);
    }
  }
  if (unknown.length === 0) return;
  const known = await knownSlugs(source, today);
  throw new UsageError(
    unknown
      .map((slug) => `unknown experiment '${slug}' in ${source.origin}${didYouMean(slug, known)}`)
      .join('\n'),
  );
}

import type { z } from 'zod';

import type { IsoDate } from '../analysis/iso-date.js';
import { isValidExperimentSlug } from '../analysis/sql-identifier.js';
import type { Experiment } from './experiment.js';
import { experimentFromExperimenter } from './experiment-from-experimenter.js';
import { experimenterExperimentSchema } from './experimenter-experiment.js';

/** An entry of the experiment list that could not be used, and why. */
export interface RejectedExperiment {
  /** The entry's slug when it has a string one, else null. */
  readonly slug: string | null;
  /** Position in the list (0-based). */
  readonly index: number;
  /** Every problem found, e.g. `startDate: not a date (YYYY-MM-DD): "soon"`. */
  readonly reason: string;
}

/** The usable experiments of a list, and the entries skipped. */
export interface ParsedExperiments {
  readonly experiments: readonly Experiment[];
  readonly rejected: readonly RejectedExperiment[];
}

/** Raised when an experiment list is not a list at all (the whole response is unusable). */
export class ExperimentsFormatError extends Error {
  override readonly name = 'ExperimentsFormatError';
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path === '' ? issue.message : `${path}: ${issue.message}`;
    })
    .join('; ');
}

function entrySlug(entry: unknown): string | null {
  if (typeof entry !== 'object' || entry === null || !('slug' in entry)) return null;
  return typeof entry.slug === 'string' ? entry.slug : null;
}

/**
 * Parses one experiment entry of the v8 format.
 * @returns the experiment, or the reason it cannot be used (bad fields, unsafe slug).
 */
export function parseExperiment(
  entry: unknown,
  today: IsoDate,
): { ok: true; experiment: Experiment } | { ok: false; reason: string } {
  const result = experimenterExperimentSchema.safeParse(entry);
  if (!result.success) return { ok: false, reason: formatIssues(result.error.issues) };
  if (!isValidExperimentSlug(result.data.slug)) {
    return {
      ok: false,
      reason: `slug: ${JSON.stringify(result.data.slug)} is not a slug (letters, digits, - and _ only, no --)`,
    };
  }
  return { ok: true, experiment: experimentFromExperimenter(result.data, today) };
}

/**
 * Parses an Experimenter v8 experiment list (the API response or a file in the same format).
 * An entry that fails to parse is reported in `rejected` with its slug and skipped; it never
 * fails the list. A second entry with an already-seen slug is rejected as a duplicate.
 * @param today - the current UTC day, which decides `Live` vs `Complete`.
 * @throws ExperimentsFormatError when `json` is not an array.
 */
export function parseExperiments(json: unknown, today: IsoDate): ParsedExperiments {
  if (!Array.isArray(json)) {
    const kind = json === null ? 'null' : typeof json;
    throw new ExperimentsFormatError(`expected a JSON array of experiments, got ${kind}`);
  }
  const experiments: Experiment[] = [];
  const rejected: RejectedExperiment[] = [];
  const seen = new Set<string>();
  json.forEach((entry: unknown, index) => {
    const parsed = parseExperiment(entry, today);
    if (!parsed.ok) {
      rejected.push({ slug: entrySlug(entry), index, reason: parsed.reason });
    } else if (seen.has(parsed.experiment.slug)) {
      rejected.push({ slug: parsed.experiment.slug, index, reason: 'duplicate slug' });
    } else {
      seen.add(parsed.experiment.slug);
      experiments.push(parsed.experiment);
    }
  });
  return { experiments, rejected };
}

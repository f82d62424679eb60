import { readFile } from 'node:fs/promises';

import { coerceError } from '../../analysis/coerce-error.js';
import type { IsoDate } from '../../analysis/iso-date.js';
import type { Experiment } from '../experiment.js';
import {
  ExperimentNotFoundError,
  ExperimentParseError,
  type ExperimentSource,
} from '../experiment-source.js';
import { parseExperiments, type ParsedExperiments } from '../parse-experiments.js';
import type { WarnLogger } from './http-json.js';
import { jsonErrorPosition } from './json-error-position.js';

/** Raised when the experiments file cannot be read or is not JSON; names the file. */
export class ExperimentsFileError extends Error {
  override readonly name = 'ExperimentsFileError';
  readonly path: string;

  constructor(path: string, message: string, cause?: Error) {
    super(`${path}: ${message}`, cause === undefined ? undefined : { cause });
    this.path = path;
  }
}

/** Parses JSON text; a syntax error names the line and column where the text stops being JSON. */
function parseJsonText(path: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const error = coerceError(e);
    const position = jsonErrorPosition(text);
    const where = position === null ? '' : ` at line ${position.line}, column ${position.column}`;
    throw new ExperimentsFileError(path, `invalid JSON${where}: ${error.message}`, error);
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const error = coerceError(e);
    const code = 'code' in error ? String(error.code) : '';
    const message = code === 'ENOENT' ? 'experiments file not found' : error.message;
    throw new ExperimentsFileError(path, message, error);
  }
}

/**
 * Experiments from a JSON file in Experimenter's v8 list format (a local stand-in for the API).
 * The file is read on every call, so edits show up without a restart.
 */
export function createFileExperimentSource(
  path: string,
  options: { readonly logger?: WarnLogger } = {},
): ExperimentSource {
  async function listExperiments(today: IsoDate): Promise<ParsedExperiments> {
    const json = parseJsonText(path, await readText(path));
    let parsed: ParsedExperiments;
    try {
      parsed = parseExperiments(json, today);
    } catch (e) {
      const error = coerceError(e);
      throw new ExperimentsFileError(path, error.message, error);
    }
    for (const entry of parsed.rejected) {
      options.logger?.warn(
        { experiment: entry.slug, index: entry.index, reason: entry.reason, origin: path },
        'experiment skipped: it does not parse',
      );
    }
    return parsed;
  }
  return {
    origin: path,
    listExperiments,
    async getExperiment(slug: string, today: IsoDate): Promise<Experiment> {
      const parsed = await listExperiments(today);
      const found = parsed.experiments.find((experiment) => experiment.slug === slug);
      if (found !== undefined) return found;
      const rejected = parsed.rejected.find((entry) => entry.slug === slug);
      if (rejected !== undefined) throw new ExperimentParseError(slug, path, rejected.reason);
      throw new ExperimentNotFoundError(slug, path);
    },
  };
}

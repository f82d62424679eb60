import { createHash } from 'node:crypto';

/** Attempts of one job key before giving up: `…_1` to `…_10`. */
export const MAX_JOB_ATTEMPTS = 10;

/** Characters of the job key kept readable in the id. */
const READABLE_LENGTH = 48;

/**
 * The BigQuery job id of attempt `attempt` (1-based) of the step `jobKey`:
 * `contrail_<readable part>_<hash>_<attempt>`. The readable part is the key with every
 * character outside `[A-Za-z0-9_-]` replaced by `_`, cut to 48 characters; the hash (16 hex
 * digits of SHA-256 of the whole key) keeps keys that read alike apart. Pure: the same key and
 * attempt always give the same id, so a retry of a step finds the job its first try started.
 * @throws RangeError for an attempt that is not an integer ≥ 1.
 */
export function deterministicJobId(jobKey: string, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`job attempt must be an integer ≥ 1, not ${attempt}`);
  }
  const readable = jobKey.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, READABLE_LENGTH);
  const hash = createHash('sha256').update(jobKey).digest('hex').slice(0, 16);
  return `contrail_${readable}_${hash}_${attempt}`;
}

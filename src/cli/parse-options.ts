import { InvalidArgumentError } from 'commander';

import {
  isAnalysisPeriod,
  PERIOD_CONFIG_KEYS,
  type AnalysisPeriod,
} from '../analysis/analysis-period.js';
import { addDays, formatIsoDate, isIsoDate, type IsoDate } from '../analysis/iso-date.js';

/** The current UTC day (entry points read the clock; core never does). */
export function todayUtc(): IsoDate {
  return formatIsoDate(Date.now());
}

/** `--date`: `YYYY-MM-DD`, `today` or `yesterday` (UTC). */
export function parseDateOption(value: string): IsoDate {
  if (value === 'today') return todayUtc();
  if (value === 'yesterday') return addDays(todayUtc(), -1);
  if (!isIsoDate(value)) throw new InvalidArgumentError('expected YYYY-MM-DD, today or yesterday');
  return value;
}

/** `--period`: a period name or a metric-hub period key (`weekly`, `28_day`, ...). */
export function parsePeriodOption(
  value: string,
  previous: AnalysisPeriod[] = [],
): AnalysisPeriod[] {
  const period = isAnalysisPeriod(value) ? value : PERIOD_CONFIG_KEYS[value];
  if (period === undefined) {
    throw new InvalidArgumentError(
      `unknown period; one of ${Object.keys(PERIOD_CONFIG_KEYS).join(', ')}`,
    );
  }
  return [...previous, period];
}

/** A repeatable string option (`--experiment a --experiment b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A positive integer option. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

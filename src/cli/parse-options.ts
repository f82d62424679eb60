import { InvalidArgumentError } from 'commander';

import {
  isAnalysisPeriod,
  PERIOD_CONFIG_KEYS,
  type AnalysisPeriod,
} from '../analysis/analysis-period.js';
import {
  addDays,
  compareIsoDates,
  formatIsoDate,
  isIsoDate,
  type IsoDate,
} from '../analysis/iso-date.js';

/** The UTC day of `now` (epoch ms from the command's injected clock; core never reads one). */
export function todayUtc(now: number): IsoDate {
  return formatIsoDate(now);
}

/**
 * A date option (`--date`, `--from`, `--to`): `YYYY-MM-DD`, `today` or `yesterday` (UTC), never
 * after `today`: no telemetry exists for a future day, and analysing one would write zeros.
 * @throws InvalidArgumentError (exit 2) for anything else.
 */
export function parseDate(value: string, today: IsoDate): IsoDate {
  if (value === 'today') return today;
  if (value === 'yesterday') return addDays(today, -1);
  if (!isIsoDate(value)) throw new InvalidArgumentError('expected YYYY-MM-DD, today or yesterday');
  if (compareIsoDates(value, today) > 0) {
    throw new InvalidArgumentError(
      `${value} is after today (${today}, UTC): there is no telemetry for it yet`,
    );
  }
  return value;
}

/** A commander parser for date options, reading "today" from `clock` when an option is parsed. */
export function dateOption(clock: () => number): (value: string) => IsoDate {
  return (value) => parseDate(value, todayUtc(clock()));
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

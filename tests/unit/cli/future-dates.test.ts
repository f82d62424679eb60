import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';

import { parseDate } from '../../../src/cli/parse-options.js';
import { runCli } from '../../helpers/capture.js';

/** Issue 13, case 5 (a): dates after today (UTC) are refused, with exit code 2. */

/** The commands' clock: 2026-03-01 at noon UTC. */
const NOON = Date.parse('2026-03-01T12:00:00Z');
const clock = () => NOON;

describe('parseDate', () => {
  it('accepts today, yesterday and past days, relative to the given today', () => {
    expect(parseDate('today', '2026-03-01')).toBe('2026-03-01');
    expect(parseDate('yesterday', '2026-03-01')).toBe('2026-02-28');
    expect(parseDate('2026-03-01', '2026-03-01')).toBe('2026-03-01');
    expect(parseDate('2020-04-12', '2026-03-01')).toBe('2020-04-12');
  });

  it('refuses a day after today, saying why', () => {
    expect(() => parseDate('2026-03-02', '2026-03-01')).toThrow(InvalidArgumentError);
    expect(() => parseDate('9999-12-31', '2026-03-01')).toThrow(
      '9999-12-31 is after today (2026-03-01, UTC): there is no telemetry for it yet',
    );
    expect(() => parseDate('2026-02-30', '2026-03-01')).toThrow('expected YYYY-MM-DD');
  });
});

describe('commands taking a date refuse the future (exit 2, nothing else runs)', () => {
  const cases = [
    {
      args: ['run', '--date', '2026-03-02', '--experiment', 'aa-validation', '--wait'],
      option: '--date <date>',
      value: '2026-03-02',
    },
    { args: ['run', '--date', '9999-12-31'], option: '--date <date>', value: '9999-12-31' },
    {
      args: ['rerun', '--experiment', 'aa-validation', '--to', '2027-01-01'],
      option: '--to <date>',
      value: '2027-01-01',
    },
    {
      args: ['rerun', '--experiment', 'aa-validation', '--from', '2026-03-02'],
      option: '--from <date>',
      value: '2026-03-02',
    },
    { args: ['status', '--date', '2026-03-02'], option: '--date <date>', value: '2026-03-02' },
  ];
  for (const { args, option, value } of cases) {
    it(args.join(' '), async () => {
      // An unreachable Redis proves nothing was opened: the refusal comes first.
      const result = await runCli(args, { REDIS_URL: 'redis://127.0.0.1:1' }, clock);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(
        `error: option '${option}' argument '${value}' is invalid. ${value} is after today (2026-03-01, UTC): there is no telemetry for it yet\n`,
      );
    });
  }
});

import { describe, expect, it } from 'vitest';

import { recoveryCommand } from '../../../src/cli/recovery-command.js';

describe('recoveryCommand (issue 13, case 8)', () => {
  it('repeats what decides the computation, for the experiments that lost jobs', () => {
    expect(recoveryCommand('2026-03-01', ['tab-groups-srm'], {})).toBe(
      'contrail run --date 2026-03-01 --experiment tab-groups-srm --wait',
    );
    expect(
      recoveryCommand('2026-03-01', ['a', 'b'], {
        experiment: ['a', 'b', 'c'],
        period: ['week', 'day'],
        metric: ['active_hours'],
        force: true,
        recreateEnrollments: true,
        statisticsOnly: true,
        sqlOutputDir: "/tmp/sql out/it's",
        timeout: 600,
        wait: false,
      }),
    ).toBe(
      'contrail run --date 2026-03-01 --experiment a --experiment b --period week --period day ' +
        "--metric active_hours --force --recreate-enrollments --statistics-only --sql-output-dir '/tmp/sql out/it'\\''s' " +
        '--wait --timeout 600',
    );
  });

  it('with no experiment, the whole date', () => {
    expect(recoveryCommand('2026-03-01', [], { force: true })).toBe(
      'contrail run --date 2026-03-01 --force --wait',
    );
  });
});

import { describe, expect, it } from 'vitest';

import { dailyRunDates, slotTimeOf } from '../../../src/producer/daily-run.js';
import { InvalidScheduleError, nextSlot } from '../../../src/producer/daily-run-scheduler.js';

const at = (iso: string) => Date.parse(iso);

describe('slotTimeOf', () => {
  it('reads the slot from the scheduler job id repeat:<scheduler>:<millis>', () => {
    const slot = at('2026-03-02T03:00:00Z');
    const job = { id: `repeat:contrail-daily-run:${slot}`, timestamp: slot + 5_000, opts: {} };
    expect(slotTimeOf(job)).toBe(slot);
  });

  it('falls back to opts.prevMillis, then to the creation time', () => {
    const slot = at('2026-03-02T03:00:00Z');
    expect(slotTimeOf({ id: 'manual-1', timestamp: 7, opts: { prevMillis: slot } })).toBe(slot);
    expect(slotTimeOf({ id: 'manual-1', timestamp: 1234, opts: {} })).toBe(1234);
    expect(slotTimeOf({ timestamp: 99, opts: { prevMillis: 0 } })).toBe(99);
  });
});

describe('dailyRunDates', () => {
  it('analyses the day before the slot UTC day with the default lag', () => {
    expect(dailyRunDates(at('2026-03-02T03:00:00Z'), 1)).toEqual({
      today: '2026-03-02',
      date: '2026-03-01',
    });
  });

  it('uses the slot UTC day, not the local day of the time zone the cron ran in', () => {
    // 00:30 in Berlin (UTC+1 in winter) is still the previous UTC day.
    expect(dailyRunDates(at('2026-03-02T00:30:00+01:00'), 1).date).toBe('2026-02-28');
    expect(dailyRunDates(at('2026-03-01T23:59:59.999Z'), 0).date).toBe('2026-03-01');
  });

  it('crosses month and year boundaries with larger lags', () => {
    expect(dailyRunDates(at('2026-01-01T03:00:00Z'), 2).date).toBe('2025-12-30');
  });
});

describe('nextSlot', () => {
  it('computes the next 03:00 UTC slot after now', () => {
    const now = at('2026-11-26T06:50:00Z');
    expect(nextSlot({ cron: '0 3 * * *', tz: 'UTC' }, now)).toBe(at('2026-11-27T03:00:00Z'));
    expect(nextSlot({ cron: '0 3 * * *', tz: 'UTC' }, at('2026-11-26T02:59:00Z'))).toBe(
      at('2026-11-26T03:00:00Z'),
    );
  });

  it('reads the pattern in the given time zone', () => {
    const now = at('2026-11-26T06:50:00Z');
    // Berlin is UTC+1 in November.
    expect(nextSlot({ cron: '0 3 * * *', tz: 'Europe/Berlin' }, now)).toBe(
      at('2026-11-27T02:00:00Z'),
    );
  });

  it('accepts six-field patterns with seconds', () => {
    const now = at('2026-11-26T06:50:00.400Z');
    expect(nextSlot({ cron: '*/10 * * * * *', tz: 'UTC' }, now)).toBe(at('2026-11-26T06:50:10Z'));
  });

  it('names the field at fault for a bad pattern or time zone', () => {
    expect(() => nextSlot({ cron: 'every day', tz: 'UTC' }, 0)).toThrow(InvalidScheduleError);
    expect(() => nextSlot({ cron: 'every day', tz: 'UTC' }, 0)).toThrow(/--cron "every day"/);
    expect(() => nextSlot({ cron: '61 3 * * *', tz: 'UTC' }, 0)).toThrow(/--cron "61 3/);
    expect(() => nextSlot({ cron: '0 3 * * *', tz: 'Mars/Olympus' }, 0)).toThrow(
      /--tz Mars\/Olympus: not an IANA time zone/,
    );
  });
});

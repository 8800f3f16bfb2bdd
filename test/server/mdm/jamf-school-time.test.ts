import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatJamfTime } from '../../../fakes/jamf-school/index.ts';
import { jamfTimeToIso } from '../../../src/server/mdm/providers/jamf-school/time.ts';

const ZONES = [
  'UTC',
  'Australia/Brisbane',
  'Asia/Kolkata',
  'America/Chicago',
  'Europe/Amsterdam',
  'Pacific/Auckland',
];
const HOUR = 3600_000;

describe('Jamf School times', () => {
  it('reads a time without a zone in the instance’s zone, daylight saving included', () => {
    expect(jamfTimeToIso('2026-11-20 08:15:00', 'UTC')).toBe('2026-11-20T08:15:00.000Z');
    expect(jamfTimeToIso('2026-11-20 08:15:00', 'Australia/Brisbane')).toBe('2026-11-19T22:15:00.000Z');
    // Chicago is six hours behind UTC in November and five in July.
    expect(jamfTimeToIso('2026-11-20 08:15:00', 'America/Chicago')).toBe('2026-11-20T14:15:00.000Z');
    expect(jamfTimeToIso('2026-07-20 08:15:00', 'America/Chicago')).toBe('2026-07-20T13:15:00.000Z');
    expect(jamfTimeToIso('2026-07-20 08:15:00', 'Asia/Kolkata')).toBe('2026-07-20T02:45:00.000Z');
  });

  it('takes the zone a PHP DateTime names over the instance’s, and the instance’s for one it cannot read', () => {
    const php = (timezone: string, type: number) => ({
      date: '2026-11-20 08:15:00.000000',
      timezone_type: type,
      timezone,
    });
    expect(jamfTimeToIso(php('UTC', 3), 'America/Chicago')).toBe('2026-11-20T08:15:00.000Z');
    expect(jamfTimeToIso(php('Europe/Amsterdam', 3), 'UTC')).toBe('2026-11-20T07:15:00.000Z');
    expect(jamfTimeToIso(php('+02:00', 1), 'UTC')).toBe('2026-11-20T06:15:00.000Z');
    expect(jamfTimeToIso(php('-05:30', 1), 'UTC')).toBe('2026-11-20T13:45:00.000Z');
    // An abbreviation (type 2) is ambiguous: the instance's zone is used.
    expect(jamfTimeToIso(php('BST', 2), 'Australia/Brisbane')).toBe('2026-11-19T22:15:00.000Z');
    expect(jamfTimeToIso(php('CST', 2), 'UTC')).toBe('2026-11-20T08:15:00.000Z');
  });

  it('has no time for a device that never checked in or a value that is not a time', () => {
    for (const value of [
      '',
      '0000-00-00 00:00:00',
      '2026-02-30 10:00:00',
      'yesterday',
      null,
      undefined,
      42,
      {},
    ]) {
      expect(jamfTimeToIso(value, 'UTC')).toBeNull();
    }
    expect(jamfTimeToIso({ date: 7, timezone: 'UTC' }, 'UTC')).toBeNull();
  });

  it('gives back the instant Jamf School wrote, in any zone, except in the hour a clock change repeats', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        (zone, ms) => {
          const written = formatJamfTime(ms, zone);
          const repeated =
            formatJamfTime(ms - HOUR, zone) === written || formatJamfTime(ms + HOUR, zone) === written;
          fc.pre(!repeated);
          const second = Math.floor(ms / 1000) * 1000;
          expect(jamfTimeToIso(written, zone)).toBe(new Date(second).toISOString());
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('puts a time a clock change skips or repeats within an hour of what it says', () => {
    // 02:30 does not exist in Chicago on 8 March 2026; 01:30 happens twice on 1 November 2026.
    const skipped = Date.parse(jamfTimeToIso('2026-03-08 02:30:00', 'America/Chicago') as string);
    expect([Date.UTC(2026, 2, 8, 7, 30), Date.UTC(2026, 2, 8, 8, 30)]).toContain(skipped);
    const repeated = Date.parse(jamfTimeToIso('2026-11-01 01:30:00', 'America/Chicago') as string);
    expect([Date.UTC(2026, 10, 1, 6, 30), Date.UTC(2026, 10, 1, 7, 30)]).toContain(repeated);
  });
});

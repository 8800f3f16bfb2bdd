import { describe, expect, it } from 'vitest';
import { autoUpdateState } from '../../src/common/school-year.ts';

describe('auto-update state', () => {
  it('reads expired only once the day has passed, and this school year until June 30', () => {
    const now = new Date('2026-12-08T15:00:00.000Z');
    expect(autoUpdateState('2026-12-07T00:00:00.000Z', now)).toBe('expired');
    expect(autoUpdateState('2020-06-01', now)).toBe('expired');
    // Today still counts as ahead, as the overview's aueAfter=today link does.
    expect(autoUpdateState('2026-12-08', now)).toBe('this_school_year');
    expect(autoUpdateState('2027-06-30', now)).toBe('this_school_year');
    expect(autoUpdateState('2027-07-01', now)).toBeNull();
    expect(autoUpdateState('soon', now)).toBeNull();
    expect(autoUpdateState(null, now)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { DeviceFilter } from '../../src/common/inventory.ts';
import { hasMdmFilters, mdmFilterEntries, readMdmFilter } from '../../src/web/lib/deviceMdm.ts';

describe('device list MDM filters in the address', () => {
  it('reads what the server accepts and writes it back unchanged', () => {
    const query =
      'mdmProvider=google&aueBefore=2027-07-01&aueAfter=2026-07-01&notSeenSince=2026-10-28&mdmStatus=ACTIVE&mdmStatus=disabled&mdmMatch=not_found&userMismatch=true&mdmDuplicates=true&grade=-1&aueBeforeGraduation=true';
    const filter = readMdmFilter(new URLSearchParams(query));
    expect(filter).toEqual({
      mdmProvider: 'google',
      aueBefore: '2027-07-01',
      aueAfter: '2026-07-01',
      notSeenSince: '2026-10-28',
      mdmStatus: ['ACTIVE', 'disabled'],
      mdmMatch: 'not_found',
      userMismatch: 'true',
      mdmDuplicates: 'true',
      grade: -1,
      aueBeforeGraduation: 'true',
    });
    const written = new URLSearchParams(mdmFilterEntries(filter));
    // A provider asked for stays in links (there is no default one); everything goes to the server as it came.
    expect(written.get('mdmProvider')).toBe('google');
    const parsed = DeviceFilter.safeParse({
      ...Object.fromEntries(written),
      mdmStatus: written.getAll('mdmStatus'),
    });
    expect(parsed.success).toBe(true);
    expect(hasMdmFilters(filter)).toBe(true);
  });

  it('drops what a hand-edited link gets wrong instead of sending it', () => {
    const filter = readMdmFilter(
      new URLSearchParams(
        'mdmProvider=intune&aueBefore=2026-02-30&notSeenSince=yesterday&mdmStatus=%3Bdrop&mdmMatch=maybe&userMismatch=yes&grade=13',
      ),
    );
    expect(mdmFilterEntries(filter)).toEqual([]);
    expect(hasMdmFilters(filter)).toBe(false);
    expect(hasMdmFilters({ mdmProvider: 'google' })).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/server/config.ts';
import { jamfSchool } from '../../../src/server/mdm/providers/jamf-school/definition.ts';
import { JamfSchoolSettings } from '../../../src/server/mdm/providers/jamf-school/settings.ts';
import { planRun, scopeEstimates } from '../../../src/server/mdm/sync/planner.ts';
import { silentLog } from '../../setup/app.ts';

const { sync } = jamfSchool;
const deps = { config: loadConfig({ NODE_ENV: 'test', SATCHEL_DATA_DIR: '/nonexistent' }), log: silentLog };
const NO_HISTORY = {
  lastCompletePassAt: null,
  lastSuccessAt: null,
  lastFleetSize: null,
  lastFleetCountAt: null,
  lastFleetCountScope: null,
};

function settings(requestScope: 'tracked_only' | 'fewest_calls') {
  return JamfSchoolSettings.parse({ baseUrl: 'https://district.jamfcloud.com', requestScope });
}

describe('Jamf School planner estimates', () => {
  it('costs a lookup per tracked device, and a listing one call, or one per thousand devices of a known fleet', () => {
    expect(sync.estimates({ trackedCount: 1200, fleetSize: null, changed: null })).toEqual([
      { strategy: 'serial_lookup', apiCalls: 1200, complete: true, targeted: true },
      { strategy: 'full_listing', apiCalls: 1, complete: true, targeted: false },
    ]);
    const known = sync.estimates({ trackedCount: 1200, fleetSize: 2500, changed: null });
    expect(known.find((option) => option.strategy === 'full_listing')?.apiCalls).toBe(3);
    expect(sync.estimates({ trackedCount: 0, fleetSize: 0, changed: null })[1]?.apiCalls).toBe(1);
  });

  it('never counts the fleet: the listing wins under “Fewest API calls”, lookups are the only way otherwise', async () => {
    expect(sync.countDevices).toBeUndefined();
    expect(sync.incremental).toBe(false);
    const planned = (trackedCount: number, scope: 'tracked_only' | 'fewest_calls') =>
      planRun(sync, deps, {
        secret: '{}',
        settings: settings(scope),
        trackedCount,
        fullPass: true,
        history: NO_HISTORY,
      });
    const fewest = await planned(800, 'fewest_calls');
    expect(fewest).toMatchObject({ strategy: 'full_listing', apiCallsUsed: 0 });
    expect(fewest.estimate).toMatchObject({ apiCalls: 1, fleetSize: null, lookupNote: null });
    const tracked = await planned(800, 'tracked_only');
    expect(tracked.strategy).toBe('serial_lookup');
    expect(tracked.estimate).toMatchObject({ apiCalls: 800, lookupNote: sync.lookupNote });
    expect(tracked.estimate.options.every((option) => option.targeted)).toBe(true);
    // One tracked device costs one call either way; the lookup, which reads no other device, wins the tie.
    expect((await planned(1, 'fewest_calls')).strategy).toBe('serial_lookup');
  });

  it('shows the settings form both scopes’ costs', () => {
    expect(scopeEstimates(sync, { trackedCount: 640, fleetSize: null, changedCount: null })).toEqual({
      tracked_only: { fullSync: 640, scheduledSync: 640, strategy: 'serial_lookup' },
      fewest_calls: { fullSync: 1, scheduledSync: 1, strategy: 'full_listing' },
    });
  });
});

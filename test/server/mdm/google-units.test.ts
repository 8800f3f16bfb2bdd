import { describe, expect, it } from 'vitest';
import type { ProviderSettings } from '../../../src/server/mdm/provider.ts';
import { google } from '../../../src/server/mdm/providers/google/definition.ts';
import { changedSinceQuery, parseBatchResponse } from '../../../src/server/mdm/providers/google/fetch.ts';
import { toProviderDevice } from '../../../src/server/mdm/providers/google/mapping.ts';
import { GoogleSettings } from '../../../src/server/mdm/providers/google/settings.ts';
import { allowedEstimates, scopeEstimates } from '../../../src/server/mdm/sync/planner.ts';

/** Google's planner estimates, answer parsing and field mapping, without a database or a server. */
describe('Google, unit by unit', () => {
  const sync = google.sync;

  it('estimates a batch per 1,000 tracked serials, a page per 300 listed devices, and marks which name only tracked devices', () => {
    const options = sync.estimates({
      trackedCount: 2_500,
      fleetSize: 3_001,
      changed: { since: '2026-11-01T00:00:00Z', count: 299 },
    });
    expect(options).toEqual([
      { strategy: 'batch_lookup', apiCalls: 3, complete: true, targeted: true },
      { strategy: 'full_listing', apiCalls: 11, complete: true, targeted: false },
      { strategy: 'incremental_listing', apiCalls: 1, complete: false, targeted: false },
    ]);
    // An empty inventory still costs a listing a page; lookups cost nothing.
    expect(sync.estimates({ trackedCount: 0, fleetSize: 0, changed: null })).toEqual([
      { strategy: 'batch_lookup', apiCalls: 0, complete: true, targeted: true },
      { strategy: 'full_listing', apiCalls: 1, complete: true, targeted: false },
    ]);
  });

  it('offers only lookups under “Only devices in Satchel”, and prices both scopes for the settings form', () => {
    const input = { trackedCount: 50_000, fleetSize: 20_000, changed: null };
    expect(allowedEstimates(sync, 'tracked_only', input).map((option) => option.strategy)).toEqual([
      'batch_lookup',
    ]);
    expect(allowedEstimates(sync, 'fewest_calls', input).map((option) => option.strategy)).toEqual([
      'batch_lookup',
      'full_listing',
    ]);
    expect(scopeEstimates(sync, { trackedCount: 50_000, fleetSize: 20_000, changedCount: 600 })).toEqual({
      tracked_only: { fullSync: 50, scheduledSync: 50, strategy: 'batch_lookup' },
      // Lookups (50) beat listing 20,000 devices (67 pages); between full passes, 600 changes are 2 pages plus
      // the call that counts them.
      fewest_calls: { fullSync: 50, scheduledSync: 3, strategy: 'batch_lookup' },
    });
  });

  it('lists changes from the whole UTC day of the last good sync', () => {
    expect(changedSinceQuery('2026-11-19T23:59:59.000Z')).toBe('sync:2026-11-19..');
  });

  it('splits a multipart batch answer into its parts, bodies left for later', () => {
    const boundary = 'batch_abc';
    const text = [
      `--${boundary}`,
      'Content-Type: application/http',
      '',
      'HTTP/1.1 200 OK',
      'Content-Type: application/json',
      '',
      '{"chromeosdevices":[{"deviceId":"d1","serialNumber":"5CD123ABCD"}]}',
      `--${boundary}`,
      'Content-Type: application/http',
      '',
      'HTTP/1.1 404 Not Found',
      '',
      `--${boundary}--`,
    ].join('\r\n');
    const parts = parseBatchResponse(`multipart/mixed; boundary=${boundary}`, text);
    expect(parts).toEqual([
      { status: 200, json: '{"chromeosdevices":[{"deviceId":"d1","serialNumber":"5CD123ABCD"}]}' },
      { status: 404, json: null },
    ]);
    expect(() => parseBatchResponse('multipart/mixed', text)).toThrow(SyntaxError);
  });

  it('maps a ChromeOS device onto the normalized fields, keeping the recent users a district allows', () => {
    const device = toProviderDevice(
      {
        deviceId: 'abc',
        serialNumber: ' 5cd 123abcd ',
        status: 'ACTIVE',
        lastSync: '2026-11-20T08:00:00.000Z',
        osVersion: '128.0.6613.137',
        chromeOsType: 'chromeOsFlex',
        model: 'HP Chromebook 11 G9 EE',
        orgUnitPath: '/Students/Grade 5',
        recentUsers: [{ email: 'a@d.org' }, { email: 'b@d.org' }, {}],
        lastKnownNetwork: [{ ipAddress: '10.0.0.5', wanIpAddress: '203.0.113.4' }],
        macAddress: 'a0b1c2d3e4f5',
        autoUpdateExpiration: '1780272000000',
        diskVolumeReports: [{ volumeInfo: [{ storageTotal: '100', storageFree: '40' }] }],
        systemRamTotal: '4096',
      },
      1,
    );
    expect(device).toMatchObject({
      serialKey: '5CD123ABCD',
      providerDeviceId: 'abc',
      fields: {
        mdmStatus: 'ACTIVE',
        osName: 'ChromeOS Flex',
        primaryUser: 'a@d.org',
        recentUsers: ['a@d.org'],
        ipAddress: '10.0.0.5',
        macAddresses: ['a0b1c2d3e4f5'],
        autoUpdateExpiration: new Date(1_780_272_000_000).toISOString(),
        storageFreeBytes: 40,
        storageTotalBytes: 100,
      },
      extras: { systemRamTotal: 4096 },
    });
    expect(device?.fields).not.toHaveProperty('compliance');
    expect(toProviderDevice({ deviceId: 'x' })).toBeNull();
  });

  it('fills its settings with defaults, asking only about tracked devices unless told otherwise', () => {
    const settings: ProviderSettings = GoogleSettings.parse({});
    expect(settings).toMatchObject({
      requestScope: 'tracked_only',
      authMethod: 'oauth',
      customerId: 'my_customer',
    });
    expect(GoogleSettings.safeParse({ requestScope: 'everything' }).success).toBe(false);
  });
});

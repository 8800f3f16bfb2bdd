import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeIntune } from '../../../fakes/intune/index.ts';
import { createTestApp, type TestApp } from '../../setup/app.ts';
import { startIntuneForTests } from '../../setup/intune.ts';
import { providerDistricts } from '../../setup/providers/districts.ts';
import type { ProviderFake } from '../../setup/providers/harness.ts';
import { intuneProviderFake } from '../../setup/providers/intune.ts';

/**
 * Graph answers a filter it cannot apply with every device. A run that meets that in a lookup lists the fleet
 * instead where the district allows listings, and stops, saying why, where it does not.
 */
describe('an Intune run whose serial filter Graph ignores', () => {
  let intune: FakeIntune;
  let fake: ProviderFake;
  let testApp: TestApp;
  beforeAll(async () => {
    const started = await startIntuneForTests();
    intune = started.fake;
    fake = intuneProviderFake(started.fake, started.environment);
    testApp = await createTestApp(started.environment);
  });
  afterEach(() => {
    intune.filterSupport = 'honoured';
  });
  afterAll(async () => {
    await testApp?.app.close();
    await testApp?.database.close();
    await fake?.close();
  });
  const districts = providerDistricts('intune', () => ({ fake, testApp }));

  it('lists the fleet instead under “Fewest API calls”, and says so on the run', async () => {
    // A fleet large enough that looking the tracked devices up is planned as the cheaper way.
    const connected = await districts.connect({
      devices: 8,
      overlap: 1,
      junk: 9_000,
      requestScope: 'fewest_calls',
    });
    intune.filterSupport = 'ignored';
    const { run, requests } = await districts.sync(connected);
    expect(run, run.error).toMatchObject({ state: 'succeeded', strategy: 'full_listing' });
    expect(run.estimate).toMatchObject({
      fallback: {
        from: 'batch_lookup',
        to: 'full_listing',
        reason: expect.stringMatching(/ignored the serial-number filter/),
      },
    });
    // One batch of lookups, then the listing from its start.
    expect(requests.filter((request) => request.serials.length > 0)).toHaveLength(
      Math.min(20, connected.tracked.length),
    );
    const records = await districts.records(connected.district.id);
    expect(records.filter((record) => record.match_state === 'matched')).toHaveLength(
      connected.tracked.length,
    );
  });

  it('stops under “Only devices in Satchel”, naming the reason and the setting that would allow a listing', async () => {
    const connected = await districts.connect({
      devices: 30,
      overlap: 1,
      junk: 50,
      requestScope: 'tracked_only',
    });
    intune.filterSupport = 'ignored';
    const { run, requests } = await districts.sync(connected);
    expect(run).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/ignored the serial-number filter.*Fewest API calls/),
    });
    expect(requests.every((request) => request.operation === 'managedDevices.list')).toBe(true);
    expect(new Set(requests.map((request) => request.serials.length))).toEqual(new Set([1]));
  });
});

import { describe, expect, it } from 'vitest';
import type { FakeGoogle } from '../../../fakes/google/index.ts';
import { searchNeedles, searchTextOf } from '../../../src/common/search-text.ts';
import type { TestApp } from '../../setup/app.ts';
import { withGoogleApp } from '../../setup/google.ts';
import { type Fixture, syncHarness } from '../../setup/google-sync.ts';

let env: { fake: FakeGoogle; testApp: TestApp };
withGoogleApp((ready) => {
  env = ready;
});
const harness = syncHarness(() => env);

async function search(fixture: Fixture, typed: string): Promise<string[]> {
  const response = await fixture.session.inject({
    method: 'GET',
    url: `/api/v1/devices?pageSize=500&q=${encodeURIComponent(typed)}`,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().devices.map((device: { id: string }) => device.id);
}

/** A matched record with a user, an asset ID and a MAC address, as the sync stored it. */
async function syncedRecord(fixture: Fixture) {
  const rows = await env.testApp.database.db
    .selectFrom('mdm_device_records')
    .select(['device_id', 'provider_device_id', 'fields', 'extras'])
    .where('district_id', '=', fixture.districtId)
    .where('match_state', '=', 'matched')
    .execute();
  const record = rows.find(
    (row) =>
      typeof row.extras.annotatedAssetId === 'string' &&
      Array.isArray(row.fields.recentUsers) &&
      row.fields.recentUsers.length > 0 &&
      Array.isArray(row.fields.macAddresses) &&
      row.fields.macAddresses.length > 0,
  );
  if (!record) throw new Error('the fleet has no record with a user, asset ID and MAC address');
  return record;
}

describe('device search over MDM data', () => {
  it('finds a device by its MDM user, asset ID, MAC address (any spelling) and provider id, after a real sync', async () => {
    const fixture = await harness.connectedDistrict({ devices: 40, overlap: 0.8, junk: 3 });
    const { run } = await harness.sync(fixture);
    expect(run.state).toBe('succeeded');
    const record = await syncedRecord(fixture);
    const user = (record.fields.recentUsers as string[])[0] as string;
    const assetId = record.extras.annotatedAssetId as string;
    const mac = (record.fields.macAddresses as string[])[0] as string;

    expect(await search(fixture, user.toUpperCase())).toContain(record.device_id);
    expect(await search(fixture, assetId)).toContain(record.device_id);
    expect(await search(fixture, ` ${assetId.toLowerCase()} `)).toContain(record.device_id);
    const digits = mac.replace(/[^0-9a-f]/gi, '');
    expect(digits.length).toBeGreaterThanOrEqual(12);
    const colons = digits.match(/../g)!.join(':').toUpperCase();
    const dashes = digits.match(/../g)!.join('-');
    for (const spelling of [digits, colons, dashes, colons.slice(6)]) {
      expect(await search(fixture, spelling), spelling).toContain(record.device_id);
    }
    expect(await search(fixture, record.provider_device_id as string)).toEqual([record.device_id]);
    // The inventory's own search still works alongside.
    expect(await search(fixture, 'no such text anywhere')).toEqual([]);
  });

  it('keeps to the district: another district’s MDM data is never searched', async () => {
    const first = await harness.connectedDistrict({ devices: 20, overlap: 1, junk: 0 });
    const second = await harness.connectedDistrict({ devices: 20, overlap: 1, junk: 0 });
    await harness.sync(first);
    await harness.sync(second);
    const record = await syncedRecord(first);
    expect(await search(first, record.provider_device_id as string)).toEqual([record.device_id]);
    expect(await search(second, record.provider_device_id as string)).toEqual([]);
  });
});

describe('search text', () => {
  it('lower-cases values, keeps MAC addresses as bare hex, and never joins two values into one match', () => {
    const text = searchTextOf({ text: [' Ana@District.org ', null, 'CB-0042'], macs: ['AA:BB:CC:00:11:22'] });
    expect(text.split('\n')).toEqual(['ana@district.org', 'cb-0042', 'aabbcc001122']);
    expect(searchNeedles('AA-BB-CC')).toEqual(['aa-bb-cc', 'aabbcc']);
    expect(searchNeedles('Ana')).toEqual(['ana']);
    expect(searchNeedles('  ')).toEqual([]);
  });
});

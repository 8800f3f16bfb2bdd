import { describe, expect, it } from 'vitest';
import { PROVIDER_KEYS, type ProviderKey } from '../../../src/common/mdm.ts';
import { withTestApp } from '../../setup/app.ts';
import { createDistrict, type Session, signIn } from '../../setup/factories.ts';

/**
 * A device that more than one MDM knows (an iPad in Jamf Pro and Intune): wherever one value is shown (list
 * columns, filters, sorts, export), it comes from the provider that saw the device check in most recently,
 * labelled with that provider; asking for a provider shows that one's.
 */
const [first, second] = PROVIDER_KEYS as readonly ProviderKey[];
const testApp = withTestApp();

async function district() {
  const created = await createDistrict(testApp().database);
  const session = await signIn(testApp().app, created.admin);
  const add = async (serialNumber: string) =>
    (await session.inject({ method: 'POST', url: '/api/v1/devices', payload: { serialNumber } })).json<{
      id: string;
    }>().id;
  const attach = (
    deviceId: string,
    provider: ProviderKey,
    record: { checkIn?: string; osVersion?: string; matched?: boolean },
  ) =>
    testApp()
      .database.db.insertInto('mdm_device_records')
      .values({
        district_id: created.id,
        device_id: deviceId,
        provider,
        provider_device_id: `${provider}-${deviceId.slice(0, 8)}`,
        fields: JSON.stringify({
          lastCheckInAt: record.checkIn ?? null,
          osVersion: record.osVersion ?? null,
        }),
        extras: '{}',
        match_state: record.matched === false ? 'not_found' : 'matched',
        fetched_at: '2026-11-20T08:00:00.000Z',
      })
      .execute();
  return { session, add, attach };
}

async function listed(session: Session, query: string) {
  const response = await session.inject({ method: 'GET', url: `/api/v1/devices?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{
    devices: {
      serialNumber: string;
      mdm: { provider: string; matchState: string; osVersion: string } | null;
    }[];
    mdmProviders: string[];
  }>();
}

describe.skipIf(second === undefined)('device data from several MDMs', () => {
  it('shows, filters, sorts and exports each device’s most recent record unless a provider is asked for', async () => {
    const { session, add, attach } = await district();
    const both = await add('BOTH-1');
    const older = await add('OLDER-2');
    const lost = await add('LOST-3');
    await add('NONE-4');
    await attach(both, first!, { checkIn: '2026-11-01T10:00:00Z', osVersion: 'first-1' });
    await attach(both, second!, { checkIn: '2026-11-10T10:00:00Z', osVersion: 'second-1' });
    await attach(older, first!, { checkIn: '2026-11-05T10:00:00Z', osVersion: 'first-2' });
    await attach(older, second!, { matched: false });
    await attach(lost, first!, { matched: false });

    const recent = await listed(session, 'sort=serialNumber');
    expect(recent.mdmProviders.sort()).toEqual([first, second].sort());
    const bySerial = new Map(recent.devices.map((device) => [device.serialNumber, device.mdm]));
    expect(bySerial.get('BOTH-1')).toMatchObject({ provider: second, osVersion: 'second-1' });
    expect(bySerial.get('OLDER-2')).toMatchObject({ provider: first, osVersion: 'first-2' });
    expect(bySerial.get('LOST-3')).toMatchObject({ matchState: 'not_found' });
    expect(bySerial.get('NONE-4')).toBeNull();

    const asked = await listed(session, `sort=serialNumber&mdmProvider=${first}`);
    expect(asked.devices[0]?.mdm).toMatchObject({ provider: first, osVersion: 'first-1' });

    const serials = async (query: string) =>
      (await listed(session, query)).devices.map((device) => device.serialNumber);
    expect(await serials('sort=serialNumber&notSeenSince=2026-11-08')).toEqual(['OLDER-2']);
    expect(await serials(`sort=serialNumber&notSeenSince=2026-11-08&mdmProvider=${first}`)).toEqual([
      'BOTH-1',
      'OLDER-2',
    ]);
    expect(await serials('sort=serialNumber&mdmMatch=unmatched')).toEqual(['LOST-3', 'NONE-4']);
    expect(await serials('sort=serialNumber&mdmMatch=none')).toEqual(['NONE-4']);
    expect(await serials(`sort=serialNumber&mdmMatch=not_found&mdmProvider=${second}`)).toEqual(['OLDER-2']);
    expect(await serials('sort=lastCheckInAt&order=desc')).toEqual(['BOTH-1', 'OLDER-2', 'NONE-4', 'LOST-3']);

    const csv = (await session.inject({ method: 'GET', url: '/api/v1/devices/export.csv' })).body;
    const [header, ...rows] = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(header).toContain('MDM: provider');
    const both1 = rows.find((row) => row.startsWith('BOTH-1'));
    expect(both1).toContain('second-1');
    expect(both1).not.toContain('first-1');
  });
});

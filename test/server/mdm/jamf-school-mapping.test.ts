import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeJamfSchool,
  generateFleet,
  PROTOCOL_VERSION,
  startFakeJamfSchool,
} from '../../../fakes/jamf-school/index.ts';
import { ProviderError } from '../../../src/server/errors.ts';
import {
  type JamfSchoolDevice,
  parseDeviceList,
} from '../../../src/server/mdm/providers/jamf-school/answer.ts';
import { toProviderDevice } from '../../../src/server/mdm/providers/jamf-school/mapping.ts';

const ZONE = 'America/Chicago';

/** A list-shaped device with only what a case needs, the rest as Jamf School leaves it for a bare device. */
function listed(overrides: Record<string, unknown> = {}): JamfSchoolDevice {
  return {
    UDID: '00008101-000A1B2C3D4E5F60',
    serialNumber: 'DMPXK3Q9KXYZ',
    class: 'ipad',
    inTrash: false,
    isManaged: true,
    isSupervised: true,
    os: { prefix: 'iOS', version: '18.1.0' },
    model: { name: 'iPad (9th generation)', identifier: 'iPad12,1', type: 'iPad' },
    owner: { id: 0, name: '' },
    enrollType: 'dep',
    lastCheckin: '2026-11-20 08:15:00',
    ...overrides,
  };
}

describe('reading a Jamf School device list', () => {
  it('reads the devices and the count of matches, which can be more than the answer holds', () => {
    const list = parseDeviceList('{"code":200,"count":3,"devices":[{"UDID":"a"},{"UDID":"b"}]}');
    expect(list.count).toBe(3);
    expect(list.devices.map((device) => device.UDID)).toEqual(['a', 'b']);
    expect(parseDeviceList('{"code":200,"count":"2","devices":[{},{}]}').count).toBe(2);
    expect(parseDeviceList('{"code":200,"devices":[{}]}').count).toBe(1);
  });

  it('refuses a broken answer as malformed', () => {
    for (const text of [
      '{"code":200,"count":"2","devices":{"list":[]}}',
      '{"code":200,"count":2,"devices":[1,2]}',
      '{"code":200,"count":-1,"devices":[]}',
      '{"code":200,"count":2,"devi',
      '<!DOCTYPE html><html><body>Maintenance in progress.</body></html>',
    ]) {
      let failure: unknown;
      try {
        parseDeviceList(text);
      } catch (error) {
        failure = error;
      }
      expect(failure, text).toBeInstanceOf(ProviderError);
      expect((failure as ProviderError).reason).toBe('malformed');
    }
  });
});

describe('mapping a Jamf School device', () => {
  it('fills the normalized fields and keeps the extras a screen shows', () => {
    const device = toProviderDevice(
      listed({
        name: 'Ava M. iPad',
        assetTag: 'A-1042',
        owner: { id: 17, name: 'Ava Martin', username: 'amartin', email: 'amartin@district.example.org' },
        groups: ['Grade 5', 'Room 12'],
        batteryLevel: 0.87,
        totalCapacity: 29.79,
        availableCapacity: 12.5,
        locationId: 2,
        depProfile: 'Student iPads',
        networkInformation: {
          IPAddress: '10.20.30.40',
          WiFiMAC: 'a4:83:e7:10:20:30',
          BluetoothMAC: 'a4:83:e7:10:20:31',
          EthernetMACs: 'a4:83:e7:10:20:32, a4:83:e7:10:20:30',
        },
      }),
      ZONE,
    );
    expect(device).toEqual({
      serialKey: 'DMPXK3Q9KXYZ',
      providerDeviceId: '00008101-000A1B2C3D4E5F60',
      fields: {
        mdmStatus: 'managed',
        lastCheckInAt: '2026-11-20T14:15:00.000Z',
        osName: 'iOS',
        osVersion: '18.1.0',
        model: 'iPad (9th generation)',
        orgUnit: null,
        primaryUser: 'amartin@district.example.org',
        recentUsers: [],
        ipAddress: '10.20.30.40',
        macAddresses: ['a4:83:e7:10:20:30', 'a4:83:e7:10:20:32'],
        enrolledAt: null,
        autoUpdateExpiration: null,
        storageFreeBytes: 12_500_000_000,
        storageTotalBytes: 29_790_000_000,
        batteryHealth: null,
        supervised: true,
      },
      extras: {
        name: 'Ava M. iPad',
        assetTag: 'A-1042',
        udid: '00008101-000A1B2C3D4E5F60',
        deviceClass: 'ipad',
        modelIdentifier: 'iPad12,1',
        enrollType: 'dep',
        depProfile: 'Student iPads',
        locationId: 2,
        groups: ['Grade 5', 'Room 12'],
        ownerUsername: 'amartin',
        batteryPercent: 87,
      },
    });
  });

  it('leaves out trashed devices and devices it cannot match', () => {
    expect(toProviderDevice(listed({ inTrash: true }), ZONE)).toBeNull();
    expect(toProviderDevice(listed({ serialNumber: '' }), ZONE)).toBeNull();
    expect(toProviderDevice(listed({ serialNumber: '   ' }), ZONE)).toBeNull();
    expect(toProviderDevice(listed({ serialNumber: null }), ZONE)).toBeNull();
    expect(toProviderDevice(listed({ UDID: '' }), ZONE)).toBeNull();
    expect(toProviderDevice(listed({ serialNumber: ' dmpxk3q9kxyz\t' }), ZONE)?.serialKey).toBe(
      'DMPXK3Q9KXYZ',
    );
  });

  it('says what it can when Jamf School leaves a field out or writes it another way', () => {
    const sparse = toProviderDevice(
      listed({
        os: null,
        class: 'Mac',
        isManaged: 0,
        isSupervised: '0',
        owner: {},
        enrollType: undefined,
        deviceEnrollType: 'manual',
        batteryLevel: 1.7,
        totalCapacity: 'lots',
        lastCheckin: '0000-00-00 00:00:00',
      }),
      ZONE,
    );
    expect(sparse?.fields).toMatchObject({
      mdmStatus: 'unmanaged',
      osName: 'macOS',
      osVersion: null,
      supervised: false,
      primaryUser: null,
      lastCheckInAt: null,
      storageTotalBytes: null,
      macAddresses: [],
      ipAddress: null,
    });
    expect(sparse?.extras).toMatchObject({ deviceClass: 'mac', enrollType: 'manual', batteryPercent: null });
    const pending = toProviderDevice(listed({ enrollType: 'depPending', isManaged: false }), ZONE);
    expect(pending?.fields.mdmStatus).toBe('enrollment_pending');
    const owned = toProviderDevice(listed({ owner: { id: 9, username: 'tlee', email: '' } }), ZONE);
    expect(owned?.fields.primaryUser).toBe('tlee');
  });
});

describe('the list and the single-device answer of one device', () => {
  let fake: FakeJamfSchool;
  const get = async (path: string) => {
    const response = await fetch(`${fake.apiUrl}${path}`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${fake.networkId}:${fake.apiKey}`).toString('base64')}`,
        'x-server-protocol-version': PROTOCOL_VERSION,
      },
    });
    expect(response.status).toBe(200);
    return response.text();
  };
  beforeAll(async () => {
    fake = await startFakeJamfSchool({
      timeZone: ZONE,
      devices: generateFleet({ size: 60, seed: 'shapes', timeZone: ZONE }),
    });
  });
  afterAll(() => fake.close());

  it('map to the same fields and extras, whichever shape Jamf School answers in', async () => {
    const { devices } = parseDeviceList(await get('/devices'));
    expect(devices.length).toBe(60);
    for (const fromList of devices) {
      const single = JSON.parse(await get(`/devices/${fromList.UDID}`)).device as JamfSchoolDevice;
      const a = toProviderDevice(fromList, ZONE);
      const b = toProviderDevice(single, ZONE);
      expect(a).not.toBeNull();
      // The single-device answer has the Wi-Fi address only, not the Ethernet ones of a Mac.
      const wifi = fromList.networkInformation?.WiFiMAC;
      expect(b).toEqual({ ...a, fields: { ...a?.fields, macAddresses: [wifi] } });
    }
  });
});

import {
  type FakeJamfSchoolDevice,
  generateFleet,
  startFakeJamfSchool,
} from '../../../fakes/jamf-school/index.ts';
import { serialKey } from '../../../src/common/inventory.ts';
import { apiRequestsOf, type FakeTenant, type ProviderHarness } from './harness.ts';

/**
 * Each tenant's instance writes its times in a zone without daylight saving, ten hours ahead of UTC, so that
 * the expected check-in times below are worked out independently of Satchel's own time zone arithmetic.
 */
const TIME_ZONE = 'Australia/Brisbane';
const UTC_OFFSET = '+10:00';

let tenants = 0;

/** A "YYYY-MM-DD HH:MM:SS" time of TIME_ZONE as ISO 8601 in UTC. */
function isoOf(wallTime: string): string {
  return new Date(`${wallTime.replace(' ', 'T')}${UTC_OFFSET}`).toISOString();
}

/** The newest live device the instance holds with this serial key (a re-enrolled serial has older records). */
function newest(devices: readonly FakeJamfSchoolDevice[], key: string): FakeJamfSchoolDevice | undefined {
  return devices
    .filter((device) => !device.inTrash && serialKey(device.serialNumber) === key)
    .sort((a, b) => b.lastCheckin.localeCompare(a.lastCheckin))[0];
}

export const jamfSchoolHarness: ProviderHarness = {
  key: 'jamf_school',
  // One request per serial, five to a page.
  multiPageTracked: 40,
  async start() {
    const fake = await startFakeJamfSchool();
    return {
      // The fake listens on loopback, which Satchel refuses for a district-entered URL unless told otherwise.
      environment: { SATCHEL_ALLOW_PRIVATE_PROVIDER_URLS: 'true' },
      async addTenant({ serials, junk, duplicatesOf, seed }): Promise<FakeTenant> {
        const name = `tenant${++tenants}-${seed}`;
        const apiKey = `KEY${tenants}DEVICESREAD${seed}`;
        const devices = generateFleet({
          size: serials.length + junk,
          serials,
          junk: Math.min(junk, 3),
          duplicatesOf,
          seed,
          timeZone: TIME_ZONE,
        });
        const instance = fake.addInstance(name, { apiKeys: [{ apiKey }], devices, timeZone: TIME_ZONE });
        return {
          settings: { baseUrl: instance.baseUrl, timeZone: TIME_ZONE },
          async authorize(session) {
            const response = await session.inject({
              method: 'POST',
              url: '/api/v1/mdm/providers/jamf_school/credentials',
              payload: { networkId: instance.networkId, apiKey },
            });
            if (response.statusCode !== 200) throw new Error(`credentials refused: ${response.body}`);
          },
          revoke: () => void fake.revokeKey(name, apiKey),
          remove: (key) =>
            fake.setDevices(
              name,
              fake.devices(name).filter((device) => serialKey(device.serialNumber) !== key),
            ),
          expectedFields(key) {
            const device = newest(fake.devices(name), key);
            return device
              ? {
                  osVersion: device.os.version,
                  lastCheckInAt: isoOf(device.lastCheckin),
                  model: device.model.name,
                  supervised: device.isSupervised,
                }
              : null;
          },
        };
      },
      mark: () => fake.mark(),
      requestsSince: (mark) => apiRequestsOf(fake.requestsSince(mark)),
      failNext: (n, status, options = {}) =>
        fake.failNext(n, status, options.retryAfter === undefined ? {} : { retryAfter: options.retryAfter }),
      malformedNext: () => fake.malformedNext(1, 'truncated'),
      resetFaults: () => fake.resetFaults(),
      setLatency: (ms) => {
        fake.latencyMs = ms;
      },
      close: () => fake.close(),
    };
  },
};

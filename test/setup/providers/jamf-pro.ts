import {
  DEFAULT_CLIENT,
  type FakeComputer,
  type FakeJamfPro,
  type FakeMobileDevice,
  generateFleet,
  startFakeJamfPro,
} from '../../../fakes/jamf-pro/index.ts';
import { serialKey } from '../../../src/common/inventory.ts';
import { apiRequestsOf, type FakeTenant, type ProviderFake, type ProviderHarness } from './harness.ts';

let tenants = 0;

/** What Satchel stores as the check-in time: Jamf's timestamp in UTC with milliseconds. */
function stored(time: string | null | undefined): string | null {
  return time ? new Date(time).toISOString() : null;
}

interface HeldDevice {
  serial: string | null | undefined;
  lastCheckInAt: string | null;
  osVersion: string | null;
}

function heldDevices(computers: FakeComputer[], mobileDevices: FakeMobileDevice[]): HeldDevice[] {
  return [
    ...computers.map((computer) => ({
      serial: computer.hardware?.serialNumber,
      lastCheckInAt: stored(computer.general?.lastContactTime),
      osVersion: computer.operatingSystem?.version ?? null,
    })),
    ...mobileDevices.map((device) => ({
      serial: device.hardware?.serialNumber,
      lastCheckInAt: stored(device.general?.lastInventoryUpdateDate),
      osVersion: device.general?.osVersion ?? null,
    })),
  ];
}

const hasSerial =
  (key: string) =>
  (device: { hardware?: { serialNumber?: string | null } | null }): boolean =>
    serialKey(device.hardware?.serialNumber ?? '') === key;

/** The suite's view of a fake Jamf Pro: each tenant is an instance of its own, with the default API client. */
export function jamfProviderFake(fake: FakeJamfPro): ProviderFake {
  return {
    // The fake listens on loopback, which Satchel refuses for district-entered URLs unless told otherwise.
    environment: { SATCHEL_ALLOW_PRIVATE_PROVIDER_URLS: 'true' },
    async addTenant({ serials, junk, duplicatesOf, seed }): Promise<FakeTenant> {
      const name = `tenant${++tenants}-${seed}`;
      const instance = fake.addInstance(
        name,
        generateFleet({ size: serials.length + junk, serials, junk, duplicatesOf, seed }),
      );
      return {
        settings: { baseUrl: instance.url },
        async authorize(session) {
          const answer = await session.inject({
            method: 'POST',
            url: '/api/v1/mdm/providers/jamf_pro/credentials',
            payload: { clientId: DEFAULT_CLIENT.clientId, clientSecret: DEFAULT_CLIENT.clientSecret },
          });
          if (answer.statusCode !== 200) throw new Error(`credentials refused: ${answer.body}`);
        },
        revoke: () => void fake.revokeClient(name, DEFAULT_CLIENT.clientId),
        remove(key) {
          fake.setComputers(
            name,
            fake.computers(name).filter((device) => !hasSerial(key)(device)),
          );
          fake.setMobileDevices(
            name,
            fake.mobileDevices(name).filter((device) => !hasSerial(key)(device)),
          );
        },
        expectedFields(key) {
          const newest = heldDevices(fake.computers(name), fake.mobileDevices(name))
            .filter((device) => serialKey(device.serial ?? '') === key)
            .sort((a, b) => (b.lastCheckInAt ?? '').localeCompare(a.lastCheckInAt ?? ''))[0];
          return newest ? { osVersion: newest.osVersion, lastCheckInAt: newest.lastCheckInAt } : null;
        },
      };
    },
    mark: () => fake.mark(),
    requestsSince: (mark) => apiRequestsOf(fake.requestsSince(mark)),
    failNext: (n, status, options = {}) =>
      fake.failNext(n, status, {
        target: 'api',
        ...(options.retryAfter === undefined ? {} : { retryAfter: options.retryAfter }),
      }),
    malformedNext: () => fake.malformedNext(1, 'truncated', { target: 'api' }),
    resetFaults: () => fake.resetFaults(),
    setLatency: (ms) => {
      fake.latencyMs = ms;
    },
    close: () => fake.close(),
  };
}

export const jamfProHarness: ProviderHarness = {
  key: 'jamf_pro',
  // A lookup names some 400 serials (as many as fit a 6 KB request target).
  multiPageTracked: 1_400,
  start: async () => jamfProviderFake(await startFakeJamfPro()),
};

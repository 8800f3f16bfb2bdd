import { randomUUID } from 'node:crypto';
import {
  type FakeIntune,
  type FakeManagedDevice,
  generateFleet,
  TEST_CERTIFICATE_PEM,
  TEST_PRIVATE_KEY_PEM,
} from '../../../fakes/intune/index.ts';
import { serialKey } from '../../../src/common/inventory.ts';
import { DEVICE_READ_PERMISSION } from '../../../src/server/mdm/providers/intune/settings.ts';
import { consentAsAdmin, HOSTED_APP, startIntuneForTests } from '../intune.ts';
import type { FakeTenant, ProviderFake, ProviderHarness, ProviderRequest } from './harness.ts';

let tenants = 0;

function serialKeyOf(device: FakeManagedDevice): string {
  return serialKey(device.serialNumber ?? '');
}

/** The newest record the tenant holds for a serial key (a re-enrolled serial has older duplicates). */
function newest(devices: readonly FakeManagedDevice[], key: string): FakeManagedDevice | undefined {
  return devices
    .filter((device) => serialKeyOf(device) === key)
    .sort((a, b) => b.lastSyncDateTime.localeCompare(a.lastSyncDateTime))[0];
}

/**
 * The fake Intune as the behaviour suite drives it. Each district has its own Entra tenant; every other tenant
 * authorizes through admin consent to Satchel's hosted app, the rest with an app registration of its own and a
 * certificate, so the suite runs both token flows.
 */
export function intuneProviderFake(fake: FakeIntune, environment: Record<string, string>): ProviderFake {
  return {
    environment,
    async addTenant({ serials, junk, duplicatesOf, seed }): Promise<FakeTenant> {
      const number = ++tenants;
      const domain = `tenant${number}-${seed}.example.org`;
      fake.addTenant({ domains: [domain] });
      fake.setFleet(
        domain,
        generateFleet({ size: serials.length + junk, serials, junk, duplicatesOf, domain, seed }),
      );
      const ownApp = number % 2 === 0 ? randomUUID() : null;
      if (ownApp)
        fake.addApp(domain, {
          clientId: ownApp,
          certificatePem: TEST_CERTIFICATE_PEM,
          permissions: [DEVICE_READ_PERMISSION],
          multiTenant: false,
        });
      return {
        settings: { tenantId: domain },
        async authorize(session) {
          if (!ownApp) {
            await consentAsAdmin(session, fake);
            return;
          }
          await session.inject({
            method: 'POST',
            url: '/api/v1/mdm/providers/intune/credentials',
            payload: {
              clientId: ownApp,
              certificatePem: TEST_CERTIFICATE_PEM,
              privateKeyPem: TEST_PRIVATE_KEY_PEM,
            },
          });
        },
        revoke: () => void fake.revokeApp(domain, ownApp ?? HOSTED_APP.clientId),
        remove: (key) =>
          fake.setFleet(
            domain,
            fake.devices(domain).filter((device) => serialKeyOf(device) !== key),
          ),
        expectedFields(key) {
          const device = newest(fake.devices(domain), key);
          return device
            ? {
                osVersion: device.osVersion,
                lastCheckInAt: new Date(device.lastSyncDateTime).toISOString(),
                compliance: device.complianceState,
              }
            : null;
        },
      };
    },
    mark: () => fake.mark(),
    requestsSince: (mark) =>
      fake
        .requestsSince(mark)
        // A batch is judged by the requests inside it, unless the batch itself was refused.
        .filter((entry) => entry.kind === 'api' || (entry.kind === 'batch' && entry.status >= 400))
        .map(
          (entry): ProviderRequest => ({
            listing: entry.listing,
            serials: entry.serials,
            operation: entry.operation,
            status: entry.status,
          }),
        ),
    failNext: (n, status, options = {}) =>
      fake.failNext(n, status, {
        target: 'api',
        ...(options.retryAfter === undefined ? {} : { retryAfter: options.retryAfter }),
      }),
    // The next answer, a lookup's inside a batch or a listing's page, whichever comes first.
    malformedNext: () => {
      fake.malformedNext(1, 'truncated', { target: 'batch-item' });
      fake.malformedNext(1, 'truncated', { target: 'api' });
    },
    resetFaults: () => fake.resetFaults(),
    setLatency: (ms) => {
      fake.latencyMs = ms;
    },
    close: () => fake.close(),
  };
}

export const intuneHarness: ProviderHarness = {
  key: 'intune',
  // Lookups go 20 to a `$batch`.
  multiPageTracked: 100,
  async start() {
    const { fake, environment } = await startIntuneForTests();
    return intuneProviderFake(fake, environment);
  },
};

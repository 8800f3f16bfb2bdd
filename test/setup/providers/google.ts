import { type FakeChromeDevice, generateFleet } from '../../../fakes/google/index.ts';
import { serialKey } from '../../../src/common/inventory.ts';
import { startGoogleForTests } from '../google.ts';
import type { FakeTenant, ProviderHarness, ProviderRequest } from './harness.ts';

const LIST = 'directory.chromeosdevices.list';

let tenants = 0;

/** The newest device the customer holds with this serial key (a re-enrolled serial has older duplicates). */
function newest(devices: readonly FakeChromeDevice[], key: string): FakeChromeDevice | undefined {
  return devices
    .filter((device) => serialKey(device.serialNumber) === key)
    .sort((a, b) => (b.lastSync ?? '').localeCompare(a.lastSync ?? ''))[0];
}

export const googleHarness: ProviderHarness = {
  key: 'google',
  // Batches of 1,000 serials.
  multiPageTracked: 2_100,
  async start() {
    const { fake, environment } = await startGoogleForTests();
    return {
      environment,
      async addTenant({ serials, junk, duplicatesOf, seed }): Promise<FakeTenant> {
        const domain = `tenant${++tenants}-${seed}.example.org`;
        fake.addCustomer({ domain });
        fake.setFleet(
          domain,
          generateFleet({ size: serials.length + junk, serials, junk, duplicatesOf, domain, seed }),
        );
        const admin = `admin@${domain}`;
        return {
          settings: {},
          async authorize(session) {
            const { authorizationUrl } = (
              await session.inject({ method: 'POST', url: '/api/v1/mdm/providers/google/authorize' })
            ).json();
            const redirect = new URL(fake.approve(authorizationUrl, { email: admin }));
            await session.inject({ method: 'GET', url: `${redirect.pathname}${redirect.search}` });
          },
          revoke: () => void fake.revokeAll({ subject: admin }),
          remove: (key) =>
            fake.setFleet(
              domain,
              fake.devices(domain).filter((device) => serialKey(device.serialNumber) !== key),
            ),
          expectedFields(key) {
            const device = newest(fake.devices(domain), key);
            return device
              ? { osVersion: device.osVersion ?? null, lastCheckInAt: device.lastSync ?? null }
              : null;
          },
        };
      },
      mark: () => fake.mark(),
      requestsSince: (mark) =>
        fake
          .requestsSince(mark)
          // The calls inside a batch are logged as the fake answers them, which can be after the mark for a
          // batch sent before it: they belong to their batch's time.
          .filter((entry) => !entry.inner || (entry.batchSeq ?? 0) > mark)
          // A batch is judged by the calls inside it, unless the batch itself was refused.
          .filter(
            (entry) =>
              entry.kind === 'api' || (entry.kind === 'batch' && (entry.inner || entry.status >= 400)),
          )
          .map(
            (entry): ProviderRequest => ({
              listing: entry.operation === LIST && entry.serials.length === 0,
              serials: entry.serials,
              operation: entry.operation ?? entry.path,
              status: entry.status,
            }),
          ),
      failNext: (n, status, options = {}) =>
        fake.failNext(n, status, undefined, {
          ...(options.retryAfter === undefined ? {} : { retryAfter: options.retryAfter }),
        }),
      malformedNext: () => fake.malformedNext(1, 'truncated', { target: 'batch-item' }),
      resetFaults: () => fake.resetFaults(),
      setLatency: (ms) => {
        fake.latencyMs = ms;
      },
      close: () => fake.close(),
    };
  },
};

import { DEFAULT_CLIENT, DEFAULT_DOMAIN, generateFleet, startFakeGoogle } from '../../fakes/google/index.ts';
import type { FakeChromeDevice } from '../../fakes/google/types.ts';
import { type DemoFake, type DemoInventory, deliberateConflict, mostOf } from './types.ts';

/**
 * Google's records of the district's Chromebooks say what the inventory says — the model, and the student the
 * device is checked out to as its user — except for a handful of deliberate conflicts.
 */
function agreeWithInventory(fleet: FakeChromeDevice[], inventory: DemoInventory): FakeChromeDevice[] {
  let known = 0;
  return fleet.map((device) => {
    const facts = inventory.facts[device.serialNumber.trim().toUpperCase()];
    if (!facts) return device;
    known++;
    const agreed = { ...device };
    if (facts.model && !deliberateConflict(known, 60)) agreed.model = facts.model;
    if (facts.user && !deliberateConflict(known, 45, 7)) {
      agreed.annotatedUser = facts.user;
      agreed.recentUsers = [{ type: 'USER_TYPE_MANAGED', email: facts.user }];
    }
    return agreed;
  });
}

/** Google knows most of the Chromebooks, plus devices Satchel must never import. */
export async function startGoogle(publicUrl: string, inventory: DemoInventory): Promise<DemoFake> {
  const known = mostOf(inventory.chromebooks);
  const fake = await startFakeGoogle({
    port: Number(process.env.FAKE_GOOGLE_PORT ?? 4010),
    clients: [
      { ...DEFAULT_CLIENT, redirectUris: [`${publicUrl}/api/v1/mdm/providers/google/oauth/callback`] },
    ],
    latencyMs: 40,
  });
  fake.setFleet(
    DEFAULT_DOMAIN,
    agreeWithInventory(
      generateFleet({
        size: known.length + 400,
        serials: known,
        junk: 300,
        deprovisioned: 60,
        duplicatesOf: known.slice(0, 25),
        seed: 2026,
      }),
      inventory,
    ),
  );
  return {
    environment: {
      GOOGLE_CLIENT_ID: DEFAULT_CLIENT.clientId,
      GOOGLE_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret ?? '',
      GOOGLE_OAUTH_AUTH_URL: fake.authUrl,
      GOOGLE_OAUTH_TOKEN_URL: fake.tokenUrl,
      GOOGLE_OAUTH_REVOKE_URL: fake.revokeUrl,
      GOOGLE_API_ROOT_URL: fake.apiRootUrl,
    },
    instructions: [
      'Google Admin (ChromeOS): Activate › Authorize with Google › Allow',
      `  (the fake Google at ${fake.url}; its account admin@${DEFAULT_DOMAIN} manages ${known.length + 400} ChromeOS devices)`,
    ],
    close: () => fake.close(),
  };
}

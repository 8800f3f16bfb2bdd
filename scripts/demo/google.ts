import { DEFAULT_CLIENT, DEFAULT_DOMAIN, generateFleet, startFakeGoogle } from '../../fakes/google/index.ts';
import { type DemoFake, type DemoInventory, mostOf } from './types.ts';

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
    generateFleet({
      size: known.length + 400,
      serials: known,
      junk: 300,
      deprovisioned: 60,
      duplicatesOf: known.slice(0, 25),
      seed: 2026,
    }),
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

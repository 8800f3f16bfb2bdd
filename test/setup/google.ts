import { afterAll, beforeAll } from 'vitest';
import { DEFAULT_CLIENT, type FakeGoogle, startFakeGoogle } from '../../fakes/google/index.ts';
import { createTestApp, type TestApp } from './app.ts';
import type { Session } from './factories.ts';

export const TEST_PUBLIC_URL = 'https://satchel.example.org';
export const TEST_GOOGLE_CALLBACK = `${TEST_PUBLIC_URL}/api/v1/mdm/providers/google/oauth/callback`;

/** A fake Google whose OAuth client knows Satchel's callback, and the configuration that points Satchel at it. */
export async function startGoogleForTests(
  options: Parameters<typeof startFakeGoogle>[0] = {},
): Promise<{ fake: FakeGoogle; environment: Record<string, string> }> {
  const fake = await startFakeGoogle({
    clients: [{ ...DEFAULT_CLIENT, redirectUris: [TEST_GOOGLE_CALLBACK] }],
    ...options,
  });
  return {
    fake,
    environment: {
      PUBLIC_URL: TEST_PUBLIC_URL,
      GOOGLE_CLIENT_ID: DEFAULT_CLIENT.clientId,
      GOOGLE_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret ?? '',
      GOOGLE_OAUTH_AUTH_URL: fake.authUrl,
      GOOGLE_OAUTH_TOKEN_URL: fake.tokenUrl,
      GOOGLE_OAUTH_REVOKE_URL: fake.revokeUrl,
      GOOGLE_API_ROOT_URL: fake.apiRootUrl,
      // Sync tests send thousands of requests; the shared limiter's pacing has tests of its own.
      GOOGLE_API_QUOTA_PER_MINUTE: '1000000',
    },
  };
}

/**
 * Activates Google and authorizes it as `email` on the fake consent screen, as an admin's browser would. The
 * planner may list the fleet (`fewest_calls`) unless the settings say otherwise: most sync tests are about
 * choosing between listings and lookups; `tracked_only` has tests of its own.
 */
export async function activateAndAuthorizeGoogle(
  session: Session,
  fake: FakeGoogle,
  email: string,
  settings: Record<string, unknown> = { requestScope: 'fewest_calls' },
): Promise<void> {
  await session.inject({
    method: 'POST',
    url: '/api/v1/mdm/providers/google/activate',
    payload: { settings },
  });
  const { authorizationUrl } = (
    await session.inject({ method: 'POST', url: '/api/v1/mdm/providers/google/authorize' })
  ).json();
  const redirect = new URL(fake.approve(authorizationUrl, { email }));
  await session.inject({ method: 'GET', url: `${redirect.pathname}${redirect.search}` });
}

/** For a test file: one fake Google and one app pointed at it, handed over before the tests and closed after. */
export function withGoogleApp(ready: (env: { fake: FakeGoogle; testApp: TestApp }) => void): void {
  let env: { fake: FakeGoogle; testApp: TestApp } | undefined;
  beforeAll(async () => {
    const google = await startGoogleForTests();
    env = { fake: google.fake, testApp: await createTestApp(google.environment) };
    ready(env);
  });
  afterAll(async () => {
    await env?.testApp.app.close();
    await env?.testApp.database.close();
    await env?.fake.close();
  });
}

import { type FakeIntune, startFakeIntune } from '../../fakes/intune/index.ts';
import { DEVICE_READ_PERMISSION } from '../../src/server/mdm/providers/intune/settings.ts';
import type { Session } from './factories.ts';
import { TEST_PUBLIC_URL } from './google.ts';

export const TEST_INTUNE_CALLBACK = `${TEST_PUBLIC_URL}/api/v1/mdm/providers/intune/oauth/callback`;

/** Satchel's own multi-tenant app, registered in a tenant of Satchel's: districts consent to it. */
export const HOSTED_APP = {
  tenant: { id: '9d6f2c1b-7a3e-4f80-b5c4-1e2d3c4b5a69', domains: ['satchel-hosting.example.com'] },
  clientId: '6c1f0e2d-3b4a-4c5d-9e8f-7a6b5c4d3e2f',
  secret: 'Hst8Q~hosted-satchel-app-secret-value-000',
};

/**
 * A fake Entra ID and Graph holding Satchel's hosted app (its redirect URI is Satchel's callback) and no district
 * tenant yet, and the configuration that points Satchel at it.
 */
export async function startIntuneForTests(
  options: Parameters<typeof startFakeIntune>[0] = {},
): Promise<{ fake: FakeIntune; environment: Record<string, string> }> {
  const fake = await startFakeIntune({
    withoutDefaults: true,
    tenants: [HOSTED_APP.tenant],
    apps: [
      {
        tenant: HOSTED_APP.tenant.id,
        clientId: HOSTED_APP.clientId,
        displayName: 'Satchel',
        secret: HOSTED_APP.secret,
        permissions: [DEVICE_READ_PERMISSION],
        multiTenant: true,
        redirectUris: [TEST_INTUNE_CALLBACK],
      },
    ],
    ...options,
  });
  return {
    fake,
    environment: {
      PUBLIC_URL: TEST_PUBLIC_URL,
      MICROSOFT_LOGIN_URL: fake.loginUrl,
      MICROSOFT_GRAPH_URL: fake.graphUrl,
      MICROSOFT_CLIENT_ID: HOSTED_APP.clientId,
      MICROSOFT_CLIENT_SECRET: HOSTED_APP.secret,
      // Sync tests send thousands of requests; the shared limiter's pacing has tests of its own.
      MICROSOFT_GRAPH_REQUESTS_PER_20S: '1000000',
    },
  };
}

/** Activates Intune for `tenantId` with `settings` (the request scope, say). */
export async function activateIntune(
  session: Session,
  tenantId: string,
  settings: Record<string, unknown> = {},
): Promise<void> {
  const response = await session.inject({
    method: 'POST',
    url: '/api/v1/mdm/providers/intune/activate',
    payload: { settings: { tenantId, ...settings } },
  });
  if (response.statusCode !== 200) throw new Error(`activation failed: ${response.body}`);
}

/**
 * Authorize on the tile, Accept on the fake consent page (in the tenant `consentIn`, when given, instead of the
 * one the URL names), and back into Satchel as the browser would go: returns where Satchel sends the browser.
 */
export async function consentAsAdmin(session: Session, fake: FakeIntune, consentIn?: string): Promise<URL> {
  const started = await session.inject({ method: 'POST', url: '/api/v1/mdm/providers/intune/authorize' });
  if (started.statusCode !== 200) throw new Error(`authorize failed: ${started.body}`);
  let consentUrl = String(started.json().authorizationUrl);
  if (consentIn) {
    // An administrator who signs in to another organization: the page is asked for without a tenant.
    const url = new URL(consentUrl);
    url.pathname = '/organizations/adminconsent';
    consentUrl = url.toString();
  }
  const redirect = new URL(fake.approve(consentUrl, consentIn ? { tenant: consentIn } : {}));
  const back = await session.inject({ method: 'GET', url: `${redirect.pathname}${redirect.search}` });
  return new URL(String(back.headers.location));
}

import type { Kysely } from 'kysely';
import { startFakeOidc } from '../../fakes/oidc/index.ts';
import type { DB } from '../../src/server/db/schema.ts';
import { saveSignInPolicy } from '../../src/server/sign-in/queries.ts';
import type { DemoFake } from './types.ts';

export const DEMO_DOMAIN = 'demo.satchel.example.org';
export const DEMO_TENANT = '5e1d3c2b-0a09-4876-8543-21fedcba9876';
const CLIENT = { clientId: 'satchel-demo-sign-in', clientSecret: 'demo-sign-in-secret' };

/** The demo district signs in with Google and Microsoft too, and makes a viewer account at a first sign-in. */
export async function enableDemoSignIn(db: Kysely<DB>, districtId: string): Promise<void> {
  await saveSignInPolicy(db, {
    district_id: districtId,
    google_enabled: true,
    microsoft_enabled: true,
    microsoft_tenant_id: DEMO_TENANT,
    allowed_domains: [DEMO_DOMAIN],
    jit_accounts: true,
    default_role: 'viewer',
    password_sign_in: 'everyone',
  });
}

/** Fake Google and Microsoft sign-in, knowing the demo administrator and a teacher who has no account yet. */
export async function startSignIn(publicUrl: string, adminEmail: string): Promise<DemoFake> {
  const people = [
    { email: adminEmail, name: 'Demo Administrator' },
    { email: `teacher@${DEMO_DOMAIN}`, name: 'Terry Teacher' },
  ];
  const client = (provider: string) => ({
    ...CLIENT,
    redirectUris: [`${publicUrl}/api/v1/sign-in/${provider}/callback`],
  });
  const google = await startFakeOidc({
    kind: 'google',
    port: Number(process.env.FAKE_GOOGLE_OIDC_PORT ?? 4050),
    clients: [client('google')],
    accounts: people.map((person) => ({ ...person, hd: DEMO_DOMAIN })),
  });
  const microsoft = await startFakeOidc({
    kind: 'microsoft',
    port: Number(process.env.FAKE_MICROSOFT_OIDC_PORT ?? 4051),
    clients: [client('microsoft')],
    accounts: people.map((person) => ({ ...person, tid: DEMO_TENANT })),
  });
  return {
    environment: {
      GOOGLE_OIDC_CLIENT_ID: CLIENT.clientId,
      GOOGLE_OIDC_CLIENT_SECRET: CLIENT.clientSecret,
      GOOGLE_OIDC_ISSUER: google.url,
      MICROSOFT_OIDC_CLIENT_ID: CLIENT.clientId,
      MICROSOFT_OIDC_CLIENT_SECRET: CLIENT.clientSecret,
      MICROSOFT_OIDC_AUTHORITY: microsoft.url,
    },
    instructions: [
      `Sign-in: the sign-in page also offers Sign in with Google and with Microsoft (fakes on ${google.url} and ${microsoft.url});`,
      `  type ${adminEmail}, or teacher@${DEMO_DOMAIN} to get a new viewer account (System Settings › Sign-in)`,
    ],
    close: () => Promise.all([google.close(), microsoft.close()]),
  };
}

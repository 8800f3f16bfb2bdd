import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMEOS_READONLY_SCOPE,
  DEFAULT_CLIENT,
  type FakeGoogle,
  generateFleet,
  startFakeGoogle,
} from '../../../fakes/google/index.ts';
import { systemContext } from '../../../src/server/context.ts';
import { JobQueue } from '../../../src/server/jobs/boss.ts';
import { loggerOptions } from '../../../src/server/logger.ts';
import { retryRevocation } from '../../../src/server/mdm/connections/jobs.ts';
import { disconnect } from '../../../src/server/mdm/connections/service.ts';
import { createTestApp, type TestApp } from '../../setup/app.ts';
import { createDistrict, type Session, signIn } from '../../setup/factories.ts';

const DOMAIN = 'district.example.org';
const PUBLIC_URL = 'https://satchel.example.org';
const CALLBACK = `${PUBLIC_URL}/api/v1/mdm/providers/google/oauth/callback`;
const SA_EMAIL = 'satchel-sync@district-project.iam.gserviceaccount.com';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

let fake: FakeGoogle;
let testApp: TestApp;
const logLines: string[] = [];

beforeAll(async () => {
  fake = await startFakeGoogle({
    fleets: { [DOMAIN]: generateFleet({ size: 50, seed: 3 }) },
    customers: [{ domain: DOMAIN }],
    clients: [{ ...DEFAULT_CLIENT, redirectUris: [CALLBACK] }],
    serviceAccounts: [
      {
        clientEmail: SA_EMAIL,
        publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        allowedSubjects: [`admin@${DOMAIN}`],
      },
    ],
  });
  const capture = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  testApp = await createTestApp(
    {
      PUBLIC_URL,
      GOOGLE_CLIENT_ID: DEFAULT_CLIENT.clientId,
      GOOGLE_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret ?? '',
      GOOGLE_OAUTH_AUTH_URL: fake.authUrl,
      GOOGLE_OAUTH_TOKEN_URL: fake.tokenUrl,
      GOOGLE_OAUTH_REVOKE_URL: fake.revokeUrl,
      GOOGLE_API_ROOT_URL: fake.apiRootUrl,
    },
    pino(loggerOptions({ logLevel: 'trace' }), capture),
  );
});

afterAll(async () => {
  await testApp?.app.close();
  await testApp?.database.close();
  await fake?.close();
});

async function activatedAdmin(settings: object = {}): Promise<{ session: Session; districtId: string }> {
  const district = await createDistrict(testApp.database);
  const session = await signIn(testApp.app, district.admin);
  await session.inject({
    method: 'POST',
    url: '/api/v1/mdm/providers/google/activate',
    payload: { settings },
  });
  return { session, districtId: district.id };
}

async function authorizationUrl(session: Session): Promise<string> {
  const response = await session.inject({ method: 'POST', url: '/api/v1/mdm/providers/google/authorize' });
  expect(response.statusCode).toBe(200);
  return response.json().authorizationUrl;
}

/** Follows the provider's redirect back into Satchel, as the admin's browser would. */
async function callback(session: Session, redirect: string) {
  const url = new URL(redirect);
  expect(`${url.origin}${url.pathname}`).toBe(CALLBACK);
  const response = await session.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
  expect(response.statusCode).toBe(302);
  return new URL(String(response.headers.location));
}

const tokenCalls = () => fake.requests.filter((entry) => entry.kind === 'token');

describe('authorizing Google with OAuth', () => {
  it('exchanges the code with the PKCE verifier, stores the refresh token encrypted, and becomes active', async () => {
    const { session, districtId } = await activatedAdmin({ orgUnitPaths: ['/Students'] });
    const mark = fake.mark();
    const back = await callback(
      session,
      fake.approve(await authorizationUrl(session), { email: `admin@${DOMAIN}` }),
    );
    expect(back.pathname).toBe('/settings/mdm');
    expect(Object.fromEntries(back.searchParams)).toEqual({ provider: 'google', authorized: '1' });
    expect(fake.requestsSince(mark).filter((entry) => entry.kind === 'token')).toHaveLength(1);

    const tile = (await session.inject({ method: 'GET', url: '/api/v1/mdm/providers/google' })).json();
    expect(tile).toMatchObject({
      state: 'active',
      authorizedAccount: `admin@${DOMAIN}`,
      hasStoredAuthorization: true,
      statusReason: null,
    });
    // The schedule starts one interval (6 hours by default) after authorization.
    expect(new Date(tile.nextSyncAt).getTime()).toBeGreaterThan(Date.now() + 359 * 60_000);
    expect(tile.activeRun).toBeNull();
    const row = await testApp.database.db
      .selectFrom('mdm_connections')
      .selectAll()
      .where('district_id', '=', districtId)
      .executeTakeFirstOrThrow();
    expect(row.secret).toMatch(/^satchel1\./);
    expect(row.granted_scopes).toContain(CHROMEOS_READONLY_SCOPE);

    const replay = await callback(
      session,
      fake.approve(await authorizationUrl(session), { email: `admin@${DOMAIN}` }),
    );
    expect(replay.searchParams.get('authorized')).toBe('1');
  });

  it('refuses a consent that leaves out the device scope, revoking what it got', async () => {
    const { session } = await activatedAdmin();
    const mark = fake.mark();
    const redirect = fake.approve(await authorizationUrl(session), {
      email: `admin@${DOMAIN}`,
      grantScopes: ['openid', 'email'],
    });
    const back = await callback(session, redirect);
    expect(back.searchParams.get('error')).toBe('scope_missing');
    expect(fake.requestsSince(mark).map((entry) => entry.kind)).toEqual(['token', 'revoke']);
    expect(
      (await session.inject({ method: 'GET', url: '/api/v1/mdm/providers/google' })).json(),
    ).toMatchObject({
      state: 'needs_authorization',
      hasStoredAuthorization: false,
    });
  });

  it('sends Google nothing for a denied, replayed or foreign state', async () => {
    const { session } = await activatedAdmin();
    const before = tokenCalls().length;
    const denied = await callback(session, fake.deny(await authorizationUrl(session)));
    expect(denied.searchParams.get('error')).toBe('access_denied');
    const redirect = fake.approve(await authorizationUrl(session), { email: `admin@${DOMAIN}` });
    const other = await activatedAdmin();
    const foreign = await callback(other.session, redirect);
    expect(foreign.searchParams.get('error')).toBe('state_invalid');
    const replayed = await callback(session, redirect);
    expect(replayed.searchParams.get('error')).toBe('state_invalid');
    expect(tokenCalls().length).toBe(before);
  });

  it('disconnect revokes at Google exactly once and deletes the stored token; the token is dead afterwards', async () => {
    const { session, districtId } = await activatedAdmin();
    await callback(session, fake.approve(await authorizationUrl(session), { email: `admin@${DOMAIN}` }));
    const mark = fake.mark();
    const response = await session.inject({ method: 'POST', url: '/api/v1/mdm/providers/google/disconnect' });
    expect(response.json()).toMatchObject({
      state: 'inactive',
      hasStoredAuthorization: false,
      authorizedAccount: null,
    });
    expect(
      fake
        .requestsSince(mark)
        .filter((entry) => entry.kind === 'revoke')
        .map((entry) => entry.status),
    ).toEqual([200]);
    const row = await testApp.database.db
      .selectFrom('mdm_connections')
      .select(['secret', 'secret_key_id'])
      .where('district_id', '=', districtId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ secret: null, secret_key_id: null });
    const events = (await session.inject({ method: 'GET', url: '/api/v1/audit-events?limit=200' })).json()
      .events;
    expect(
      events.find((event: { action: string }) => event.action === 'mdm.disconnected').details,
    ).toMatchObject({
      revoked: true,
    });
  });

  it('never lets the refresh token or the service-account key out: responses, audit events, logs (canaries)', async () => {
    const { session, districtId } = await activatedAdmin();
    const redirect = fake.approve(await authorizationUrl(session), { email: `admin@${DOMAIN}` });
    const code = new URL(redirect).searchParams.get('code')!;
    const bodies: string[] = [];
    const collect = async (request: Parameters<Session['inject']>[0]) => {
      const response = await session.inject(request);
      bodies.push(response.body, JSON.stringify(response.headers));
      return response;
    };
    await collect({ method: 'GET', url: `${new URL(redirect).pathname}${new URL(redirect).search}` });
    await collect({ method: 'GET', url: '/api/v1/mdm/providers' });
    await collect({ method: 'GET', url: '/api/v1/mdm/providers/google' });
    await collect({
      method: 'PATCH',
      url: '/api/v1/mdm/providers/google/settings',
      payload: { settings: { intervalMinutes: 90 } },
    });
    await collect({ method: 'GET', url: '/api/v1/audit-events?limit=200' });
    const stored = await testApp.database.db
      .selectFrom('mdm_connections')
      .select('secret')
      .where('district_id', '=', districtId)
      .executeTakeFirstOrThrow();
    const refreshToken = fake.issuedRefreshTokens().at(-1);
    expect(refreshToken).toBeDefined();
    expect(stored.secret).not.toContain(refreshToken!);
    const everything = [...bodies, ...logLines].join('\n');
    expect(everything).not.toContain(refreshToken!);
    expect(everything).not.toContain(code);
    expect(everything).not.toContain(DEFAULT_CLIENT.clientSecret ?? 'no secret');
    expect(everything).not.toContain(privateKeyPem.split('\n')[1]!);
  });
});

describe('authorizing Google with a service account', () => {
  it('validates the key, tests the connection at Google, then becomes active', async () => {
    const { session } = await activatedAdmin({ authMethod: 'service_account' });
    const key = {
      type: 'service_account',
      client_email: SA_EMAIL,
      private_key: privateKeyPem,
      project_id: 'district-project',
    };
    const wrongSubject = await session.inject({
      method: 'POST',
      url: '/api/v1/mdm/providers/google/credentials',
      payload: { serviceAccountKey: key, impersonatedAdmin: `someone@${DOMAIN}` },
    });
    expect(wrongSubject.statusCode).toBe(502);
    expect(wrongSubject.json().error.message).toMatch(/connection test failed/);
    expect((await session.inject({ method: 'GET', url: '/api/v1/mdm/providers/google' })).json().state).toBe(
      'needs_authorization',
    );

    const mark = fake.mark();
    const accepted = await session.inject({
      method: 'POST',
      url: '/api/v1/mdm/providers/google/credentials',
      payload: { serviceAccountKey: JSON.stringify(key), impersonatedAdmin: `admin@${DOMAIN}` },
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({
      state: 'active',
      authorizedAccount: `${SA_EMAIL} as admin@${DOMAIN}`,
    });
    expect(accepted.body).not.toContain('PRIVATE KEY');
    const calls = fake.requestsSince(mark);
    expect(calls.map((entry) => entry.kind)).toEqual(['token', 'api']);
    expect(calls[1]).toMatchObject({ status: 200, subject: `admin@${DOMAIN}` });
  });
});

describe('disconnect when Google cannot be reached', () => {
  it('deletes the local authorization at once and retries the revocation from the job queue', async () => {
    const queue = new JobQueue(testApp.database, [retryRevocation], {
      work: true,
      log: testApp.deps.log,
      config: testApp.deps.config,
      keyring: testApp.deps.keyring,
    });
    await queue.start();
    try {
      const { session, districtId } = await activatedAdmin();
      await callback(session, fake.approve(await authorizationUrl(session), { email: `admin@${DOMAIN}` }));
      const refreshToken = fake.issuedRefreshTokens().at(-1)!;
      // The Google client retries a failed revocation 3 times itself; all four attempts fail here.
      fake.failNext(4, 503, 'backendError', { target: 'revoke' });
      const mark = fake.mark();
      const district = await testApp.database.db
        .selectFrom('users')
        .select(['id', 'email'])
        .where('district_id', '=', districtId)
        .executeTakeFirstOrThrow();
      const ctx = { ...systemContext(districtId, testApp.deps.log, district.email), userId: district.id };
      const tile = await disconnect(
        ctx,
        { db: testApp.database.db, keyring: testApp.deps.keyring, config: testApp.deps.config, jobs: queue },
        'google',
      );
      expect(tile).toMatchObject({ state: 'inactive', hasStoredAuthorization: false });
      const deadline = Date.now() + 20_000;
      while (!fake.requestsSince(mark).some((entry) => entry.kind === 'revoke' && entry.status === 200)) {
        if (Date.now() > deadline)
          throw new Error(
            `the revocation was not retried: ${JSON.stringify(await queue.boss.findJobs('mdm.revoke'))}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(
        fake
          .requestsSince(mark)
          .filter((entry) => entry.kind === 'revoke')
          .map((entry) => entry.status),
      ).toEqual([503, 503, 503, 503, 200]);
      const jobs = await queue.boss.findJobs('mdm.revoke');
      expect(JSON.stringify(jobs)).not.toContain(refreshToken);
      const event = await testApp.database.db
        .selectFrom('audit_events')
        .select('details')
        .where('district_id', '=', districtId)
        .where('action', '=', 'mdm.disconnected')
        .executeTakeFirstOrThrow();
      expect(event.details).toMatchObject({ revoked: 'retrying' });
    } finally {
      await queue.stop();
    }
  });
});

describe('coming back from Google signed out', () => {
  it('sends the browser to MDM Settings with an explanation instead of a bare 401', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/api/v1/mdm/providers/google/oauth/callback?state=abc&code=def',
    });
    expect(response.statusCode).toBe(302);
    const location = new URL(String(response.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe('https://satchel.example.org/settings/mdm');
    expect(location.searchParams.get('provider')).toBe('google');
    expect(location.searchParams.get('error')).toBe('session_ended');
    const api = await testApp.app.inject({ method: 'GET', url: '/api/v1/mdm/providers' });
    expect(api.statusCode).toBe(401);
  });
});

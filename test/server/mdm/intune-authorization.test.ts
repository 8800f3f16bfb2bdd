import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  EXPIRED_TEST_CERTIFICATE_PEM,
  EXPIRED_TEST_PRIVATE_KEY_PEM,
  type FakeIntune,
  generateFleet,
  TEST_CERTIFICATE_PEM,
  TEST_PRIVATE_KEY_PEM,
} from '../../../fakes/intune/index.ts';
import { loggerOptions } from '../../../src/server/logger.ts';
import { DEVICE_READ_PERMISSION } from '../../../src/server/mdm/providers/intune/settings.ts';
import { decryptSecret } from '../../../src/server/secrets/envelope.ts';
import { createTestApp, type TestApp } from '../../setup/app.ts';
import { createDistrict, type Session, signIn } from '../../setup/factories.ts';
import {
  activateIntune,
  consentAsAdmin,
  HOSTED_APP,
  startIntuneForTests,
  TEST_INTUNE_CALLBACK,
} from '../../setup/intune.ts';

const DISTRICT = {
  id: '0c4e1d2a-6b7f-4a8e-9c1d-2e3f4a5b6c7d',
  domains: ['lusd.example.org', 'lusd.onmicrosoft.com'],
};
const OTHER = { id: '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b', domains: ['other.example.net'] };
const UNLICENSED = {
  id: '2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901',
  domains: ['unlicensed.example.org'],
  licensed: false,
};

/** App registrations in the district's tenant, each as a district might have set it up (or got it wrong). */
const APPS = {
  good: { clientId: randomUUID(), secret: 'Good8Q~secret-value', certificatePem: TEST_CERTIFICATE_PEM },
  expiredSecret: {
    clientId: randomUUID(),
    secret: 'Old8Q~secret-value',
    secretExpiresAt: '2024-01-01T00:00:00Z',
  },
  withoutPermission: { clientId: randomUUID(), secret: 'NoPerm8Q~secret-value' },
  otherTenant: { clientId: randomUUID(), secret: 'Other8Q~secret-value' },
  unlicensed: { clientId: randomUUID(), secret: 'Unlic8Q~secret-value' },
};

let fake: FakeIntune;
let testApp: TestApp;
const logLines: string[] = [];

beforeAll(async () => {
  const started = await startIntuneForTests();
  fake = started.fake;
  for (const tenant of [DISTRICT, OTHER, UNLICENSED]) {
    fake.addTenant(tenant);
    fake.setFleet(tenant.id, generateFleet({ size: 25, seed: 41 }));
  }
  const read = [DEVICE_READ_PERMISSION];
  fake.addApp(DISTRICT.id, { ...APPS.good, permissions: read });
  fake.addApp(DISTRICT.id, { ...APPS.expiredSecret, permissions: read });
  // The overview would open to this one; the device lookup does not.
  fake.addApp(DISTRICT.id, {
    ...APPS.withoutPermission,
    permissions: ['DeviceManagementServiceConfig.Read.All'],
  });
  fake.addApp(OTHER.id, { ...APPS.otherTenant, permissions: read, multiTenant: false });
  fake.addApp(UNLICENSED.id, { ...APPS.unlicensed, permissions: read });
  const capture = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  testApp = await createTestApp(started.environment, pino(loggerOptions({ logLevel: 'trace' }), capture));
});
afterEach(() => fake.resetFaults());
afterAll(async () => {
  await testApp?.app.close();
  await testApp?.database.close();
  await fake?.close();
});

async function activatedAdmin(tenantId: string): Promise<{ session: Session; districtId: string }> {
  const district = await createDistrict(testApp.database);
  const session = await signIn(testApp.app, district.admin);
  await activateIntune(session, tenantId);
  return { session, districtId: district.id };
}

const submit = (session: Session, payload: object) =>
  session.inject({ method: 'POST', url: '/api/v1/mdm/providers/intune/credentials', payload });

const tile = async (session: Session) =>
  (await session.inject({ method: 'GET', url: '/api/v1/mdm/providers/intune' })).json();

/** The connection's stored secret, decrypted, as the sync engine reads it. */
async function storedSecret(districtId: string): Promise<Record<string, unknown>> {
  const row = await testApp.database.db
    .selectFrom('mdm_connections')
    .select(['id', 'secret', 'access_cache'])
    .where('district_id', '=', districtId)
    .where('provider', '=', 'intune')
    .executeTakeFirstOrThrow();
  expect(row.access_cache).toMatch(/^satchel1\./);
  const place = { table: 'mdm_connections', rowId: row.id, districtId, field: 'secret' };
  return JSON.parse(decryptSecret(testApp.deps.keyring, row.secret as string, place));
}

const kinds = (mark: number) => fake.requestsSince(mark).map((entry) => `${entry.kind} ${entry.status}`);

describe('authorizing Intune with an app registration', () => {
  it('accepts a client secret after one token and one device lookup that reads nothing, storing the tenant’s ID', async () => {
    const { session, districtId } = await activatedAdmin('LUSD.example.org');
    const mark = fake.mark();
    const accepted = await submit(session, {
      clientId: APPS.good.clientId.toUpperCase(),
      clientSecret: APPS.good.secret,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      state: 'active',
      authorizedAccount: `App ${APPS.good.clientId} in lusd.example.org`,
      settings: { tenantId: 'lusd.example.org', authMethod: 'client_credentials' },
    });
    expect(kinds(mark)).toEqual(['discovery 200', 'token 200', 'api 200']);
    const [, token, test] = fake.requestsSince(mark);
    expect(token).toMatchObject({ tenantId: DISTRICT.id, clientAuth: 'secret' });
    expect(test).toMatchObject({
      operation: 'managedDevices.list',
      listing: false,
      serials: ['SATCHEL-CONNECTION-TEST'],
      resultCount: 0,
    });
    expect(await storedSecret(districtId)).toEqual({
      kind: 'client_secret',
      tenantId: DISTRICT.id,
      tenantEntered: 'lusd.example.org',
      clientId: APPS.good.clientId,
      clientSecret: APPS.good.secret,
    });
  });

  it('accepts a certificate and its private key, signing a client assertion instead of sending a secret', async () => {
    const { session, districtId } = await activatedAdmin(DISTRICT.id);
    const mark = fake.mark();
    const accepted = await submit(session, {
      clientId: APPS.good.clientId,
      certificatePem: TEST_CERTIFICATE_PEM,
      privateKeyPem: TEST_PRIVATE_KEY_PEM,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.body).not.toContain('PRIVATE KEY');
    // A tenant named by its ID needs no lookup.
    expect(kinds(mark)).toEqual(['token 200', 'api 200']);
    expect(fake.requestsSince(mark)[0]).toMatchObject({ clientAuth: 'assertion' });
    expect(await storedSecret(districtId)).toMatchObject({ kind: 'certificate', tenantId: DISTRICT.id });
  });

  it.each([
    [
      'a wrong secret',
      DISTRICT.domains[0],
      { clientId: APPS.good.clientId, clientSecret: 'wrong' },
      /AADSTS7000215.*Value, not its Secret ID/,
    ],
    [
      'an expired secret',
      DISTRICT.domains[0],
      { clientId: APPS.expiredSecret.clientId, clientSecret: APPS.expiredSecret.secret },
      /has expired \(AADSTS7000222\).*create a new client secret/,
    ],
    [
      'a client the tenant does not know',
      DISTRICT.domains[0],
      { clientId: APPS.otherTenant.clientId, clientSecret: APPS.otherTenant.secret },
      /has no app with the client ID .* \(AADSTS700016\)/,
    ],
    [
      'a tenant ID Entra does not know',
      '11111111-2222-4333-8444-555555555555',
      { clientId: APPS.good.clientId, clientSecret: APPS.good.secret },
      /knows no tenant 11111111-.* \(AADSTS90002\)/,
    ],
    [
      'an app without the device permission',
      DISTRICT.domains[0],
      { clientId: APPS.withoutPermission.clientId, clientSecret: APPS.withoutPermission.secret },
      /\(403 Forbidden\).*DeviceManagementManagedDevices\.Read\.All/,
    ],
    [
      'a tenant without an Intune licence',
      UNLICENSED.domains[0],
      { clientId: APPS.unlicensed.clientId, clientSecret: APPS.unlicensed.secret },
      /Intune is not available .*Intune licence/,
    ],
    [
      'a certificate the app does not hold',
      OTHER.domains[0],
      {
        clientId: APPS.otherTenant.clientId,
        certificatePem: TEST_CERTIFICATE_PEM,
        privateKeyPem: TEST_PRIVATE_KEY_PEM,
      },
      /did not accept the certificate .*\(AADSTS700027\)/,
    ],
  ])(
    'refuses %s, saying what to fix, and stays unauthorized',
    async (_case, tenantId, credentials, message) => {
      const { session } = await activatedAdmin(tenantId as string);
      const refused = await submit(session, credentials);
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().error).toMatchObject({
        code: 'invalid',
        message: expect.stringMatching(message),
      });
      expect(await tile(session)).toMatchObject({
        state: 'needs_authorization',
        hasStoredAuthorization: false,
      });
    },
  );

  it('refuses an unknown tenant domain before sending any credential', async () => {
    const { session } = await activatedAdmin('nowhere.example.org');
    const mark = fake.mark();
    const refused = await submit(session, { clientId: APPS.good.clientId, clientSecret: APPS.good.secret });
    expect(refused.json().error.message).toMatch(/knows no tenant nowhere\.example\.org \(AADSTS90002\)/);
    expect(kinds(mark)).toEqual(['discovery 400']);
  });

  it('refuses an expired certificate, or a key of another certificate, without asking Microsoft', async () => {
    const { session } = await activatedAdmin(DISTRICT.id);
    const mark = fake.mark();
    const expired = await submit(session, {
      clientId: APPS.good.clientId,
      certificatePem: EXPIRED_TEST_CERTIFICATE_PEM,
      privateKeyPem: EXPIRED_TEST_PRIVATE_KEY_PEM,
    });
    expect(expired.json().error.message).toMatch(/certificate expired on 2021/);
    const mismatched = await submit(session, {
      clientId: APPS.good.clientId,
      certificatePem: TEST_CERTIFICATE_PEM,
      privateKeyPem: EXPIRED_TEST_PRIVATE_KEY_PEM,
    });
    expect(mismatched.json().error.message).toMatch(/does not belong to the certificate/);
    expect(fake.requestsSince(mark)).toEqual([]);
  });

  it('answers a body of the wrong shape by field', async () => {
    const { session } = await activatedAdmin(DISTRICT.id);
    const refused = await submit(session, { clientId: 'satchel', certificatePem: TEST_CERTIFICATE_PEM });
    expect(refused.statusCode).toBe(400);
    expect(
      refused
        .json()
        .error.details.map((issue: { path: string }) => issue.path)
        .sort(),
    ).toEqual(['credentials.clientId', 'credentials.privateKeyPem']);
  });

  it('says Microsoft could not be reached when Entra keeps failing, rather than blaming the credentials', async () => {
    const { session } = await activatedAdmin(DISTRICT.id);
    fake.failNext(2, 503, { target: 'token' });
    const failed = await submit(session, { clientId: APPS.good.clientId, clientSecret: APPS.good.secret });
    expect(failed.statusCode).toBe(502);
    expect(failed.json().error.message).toMatch(/Microsoft Entra ID is unavailable/);
  });
});

describe('authorizing Intune through admin consent to Satchel’s app', () => {
  it('sends the administrator to the consent page of the district’s tenant and stores only the tenant and the mode', async () => {
    const { session, districtId } = await activatedAdmin('lusd.example.org');
    const started = await session.inject({ method: 'POST', url: '/api/v1/mdm/providers/intune/authorize' });
    const url = new URL(started.json().authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${fake.loginUrl}/lusd.example.org/adminconsent`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: HOSTED_APP.clientId,
      state: expect.any(String),
      redirect_uri: TEST_INTUNE_CALLBACK,
    });

    const mark = fake.mark();
    const back = await consentAsAdmin(session, fake);
    expect(Object.fromEntries(back.searchParams)).toEqual({ provider: 'intune', authorized: '1' });
    expect(kinds(mark)).toEqual(['discovery 200', 'token 200', 'api 200']);
    expect(fake.requestsSince(mark)[1]).toMatchObject({
      tenantId: DISTRICT.id,
      clientId: HOSTED_APP.clientId,
    });
    expect(await tile(session)).toMatchObject({
      state: 'active',
      authorizedAccount: 'Satchel’s Microsoft app in lusd.example.org',
      settings: { authMethod: 'admin_consent' },
    });
    const stored = await storedSecret(districtId);
    expect(stored).toEqual({
      kind: 'admin_consent',
      tenantId: DISTRICT.id,
      tenantEntered: 'lusd.example.org',
    });
  });

  it('refuses a consent given in another tenant, sending that tenant nothing', async () => {
    const { session } = await activatedAdmin('lusd.example.org');
    const mark = fake.mark();
    const back = await consentAsAdmin(session, fake, OTHER.id);
    expect(back.searchParams.get('error')).toBe('wrong_tenant');
    expect(kinds(mark).filter((kind) => kind.startsWith('token'))).toEqual([]);
    expect(await tile(session)).toMatchObject({
      state: 'needs_authorization',
      hasStoredAuthorization: false,
    });
  });

  it('says nothing changed when the administrator cancels', async () => {
    const { session } = await activatedAdmin('lusd.example.org');
    const started = await session.inject({ method: 'POST', url: '/api/v1/mdm/providers/intune/authorize' });
    const redirect = new URL(fake.deny(started.json().authorizationUrl));
    const back = await session.inject({ method: 'GET', url: `${redirect.pathname}${redirect.search}` });
    expect(new URL(String(back.headers.location)).searchParams.get('error')).toBe('access_denied');
  });

  it('refuses a callback that does not confirm the consent', async () => {
    const { session } = await activatedAdmin('lusd.example.org');
    const started = await session.inject({ method: 'POST', url: '/api/v1/mdm/providers/intune/authorize' });
    const redirect = new URL(fake.approve(started.json().authorizationUrl));
    redirect.searchParams.delete('admin_consent');
    const back = await session.inject({ method: 'GET', url: `${redirect.pathname}${redirect.search}` });
    expect(new URL(String(back.headers.location)).searchParams.get('error')).toBe('consent_unconfirmed');
  });

  it('tests device access after the consent: a tenant without an Intune licence is refused as such', async () => {
    const { session } = await activatedAdmin('unlicensed.example.org');
    const back = await consentAsAdmin(session, fake);
    expect(back.searchParams.get('error')).toBe('not_licensed');
  });

  it('tests device access after the consent: a permission taken away meanwhile is named', async () => {
    const { session } = await activatedAdmin(OTHER.domains[0] as string);
    const started = await session.inject({ method: 'POST', url: '/api/v1/mdm/providers/intune/authorize' });
    const redirect = new URL(fake.approve(started.json().authorizationUrl));
    fake.removePermission(OTHER.id, HOSTED_APP.clientId, DEVICE_READ_PERMISSION);
    const back = await session.inject({ method: 'GET', url: `${redirect.pathname}${redirect.search}` });
    // Entra can take a while to apply a new consent, which the message says as well.
    expect(new URL(String(back.headers.location)).searchParams.get('error')).toBe('consent_pending');
  });

  it('is unavailable, saying why, where Satchel has no Microsoft app configured', async () => {
    const bare = await createTestApp({
      MICROSOFT_LOGIN_URL: fake.loginUrl,
      MICROSOFT_GRAPH_URL: fake.graphUrl,
    });
    try {
      const district = await createDistrict(bare.database);
      const session = await signIn(bare.app, district.admin);
      await activateIntune(session, 'lusd.example.org');
      const offered = (await session.inject({ method: 'GET', url: '/api/v1/mdm/providers/intune' })).json();
      expect(offered.authMethods).toEqual([
        {
          key: 'admin_consent',
          kind: 'browser',
          unavailableReason: expect.stringMatching(/MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET/),
        },
        { key: 'client_credentials', kind: 'credentials', unavailableReason: null },
      ]);
      const refused = await session.inject({ method: 'POST', url: '/api/v1/mdm/providers/intune/authorize' });
      expect(refused.statusCode).toBe(400);
    } finally {
      await bare.app.close();
      await bare.database.close();
    }
  });
});

it('never lets a client secret, the hosted app’s secret or a private key out: responses, audit events, logs', async () => {
  const bodies: string[] = [];
  const { session } = await activatedAdmin('lusd.example.org');
  const collect = async (request: Parameters<Session['inject']>[0]) => {
    const response = await session.inject(request);
    bodies.push(response.body, JSON.stringify(response.headers));
  };
  await collect({
    method: 'POST',
    url: '/api/v1/mdm/providers/intune/credentials',
    payload: {
      clientId: APPS.good.clientId,
      certificatePem: TEST_CERTIFICATE_PEM,
      privateKeyPem: TEST_PRIVATE_KEY_PEM,
    },
  });
  await collect({
    method: 'POST',
    url: '/api/v1/mdm/providers/intune/credentials',
    payload: { clientId: APPS.good.clientId, clientSecret: APPS.good.secret },
  });
  await consentAsAdmin(session, fake);
  await collect({ method: 'GET', url: '/api/v1/mdm/providers' });
  await collect({ method: 'GET', url: '/api/v1/audit-events?limit=200' });
  const everything = [...bodies, ...logLines].join('\n');
  expect(everything).not.toContain(APPS.good.secret);
  expect(everything).not.toContain(HOSTED_APP.secret);
  expect(everything).not.toContain(TEST_PRIVATE_KEY_PEM.split('\n')[1] as string);
});

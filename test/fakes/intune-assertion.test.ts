import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientAssertionOptions,
  createClientAssertion,
  EXPIRED_TEST_CERTIFICATE_PEM,
  EXPIRED_TEST_PRIVATE_KEY_PEM,
  type FakeIntune,
  GRAPH_DEFAULT_SCOPE,
  JWT_BEARER_ASSERTION_TYPE,
  startFakeIntune,
  TEST_CERTIFICATE_PEM,
  TEST_PRIVATE_KEY_PEM,
} from '../../fakes/intune/index.ts';
import { claimsOf, postToken } from './intune-helpers.ts';

const EXPIRED_CERT_APP = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';

describe('fake Intune: certificate client assertions', () => {
  let fake: FakeIntune;
  let tokenUrl: string;

  beforeAll(async () => {
    fake = await startFakeIntune({
      apps: [
        {
          tenant: 'district.example.org',
          clientId: EXPIRED_CERT_APP,
          certificatePem: EXPIRED_TEST_CERTIFICATE_PEM,
          permissions: ['DeviceManagementManagedDevices.Read.All'],
        },
      ],
    });
    tokenUrl = `${fake.loginUrl}/${fake.defaultTenant.id}/oauth2/v2.0/token`;
  });
  afterAll(async () => {
    await fake.close();
  });

  const assertion = (overrides: Partial<ClientAssertionOptions> = {}) =>
    createClientAssertion({
      clientId: fake.defaultApp.clientId,
      audience: tokenUrl,
      privateKeyPem: TEST_PRIVATE_KEY_PEM,
      certificatePem: TEST_CERTIFICATE_PEM,
      now: fake.now(),
      ...overrides,
    });
  const exchange = (
    clientAssertion: string,
    tenant = fake.defaultTenant.id,
    clientId = fake.defaultApp.clientId,
  ) =>
    postToken(fake, tenant, {
      grant_type: 'client_credentials',
      client_id: clientId,
      scope: GRAPH_DEFAULT_SCOPE,
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: clientAssertion,
    });

  it.each([
    ['x5t#S256', 'RS256'],
    ['x5t', 'RS256'],
    ['x5t#S256', 'PS256'],
  ] as const)(
    'accepts an assertion naming the certificate by %s, signed %s',
    async (thumbprint, algorithm) => {
      const token = await exchange(assertion({ thumbprint, algorithm }));
      expect(token.status).toBe(200);
      expect(claimsOf(token.json.access_token as string)).toMatchObject({
        appid: fake.defaultApp.clientId,
        appidacr: '2',
        tid: fake.defaultTenant.id,
      });
    },
  );

  it('accepts the token URL under a domain name, and Microsoft’s own token URL, as audience', async () => {
    const byDomain = await exchange(
      assertion({ audience: `${fake.loginUrl}/district.example.org/oauth2/v2.0/token` }),
    );
    expect(byDomain.status).toBe(200);
    const microsoft = `https://login.microsoftonline.com/${fake.defaultTenant.id}/oauth2/v2.0/token`;
    expect((await exchange(assertion({ audience: microsoft }))).status).toBe(200);
  });

  it('refuses an assertion meant for another tenant’s token URL', async () => {
    const refused = await exchange(
      assertion({ audience: `${fake.loginUrl}/other.example.net/oauth2/v2.0/token` }),
    );
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ error: 'invalid_client', error_codes: [50027] });
  });

  it('refuses iss other than the client (AADSTS700021) and sub other than iss (AADSTS50048)', async () => {
    const issuer = await exchange(assertion({ claims: { iss: 'someone-else', sub: 'someone-else' } }));
    expect(issuer.json).toMatchObject({ error: 'invalid_client', error_codes: [700021] });
    const subject = await exchange(assertion({ claims: { sub: 'someone-else' } }));
    expect(subject.json).toMatchObject({ error: 'invalid_client', error_codes: [50048] });
  });

  it('refuses an expired assertion or one not valid yet (AADSTS700024), five minutes of skew allowed', async () => {
    const now = fake.now();
    const expired = await exchange(assertion({ now: now - 20 * 60_000, lifetimeSeconds: 600 }));
    expect(expired.status).toBe(401);
    expect(expired.json).toMatchObject({ error: 'invalid_client', error_codes: [700024] });
    expect(expired.json.error_description).toMatch(
      /Current time: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z/,
    );
    const early = await exchange(assertion({ claims: { nbf: Math.floor(now / 1000) + 3600 } }));
    expect(early.json).toMatchObject({ error_codes: [700024] });
    const skewed = await exchange(assertion({ now: now + 2 * 60_000 }));
    expect(skewed.status).toBe(200);
  });

  it('goes by the fake clock: an assertion made now has run out after advanceTime', async () => {
    const made = assertion({ lifetimeSeconds: 60 });
    fake.advanceTime(10 * 60_000);
    try {
      expect((await exchange(made)).json).toMatchObject({ error_codes: [700024] });
    } finally {
      fake.advanceTime(-10 * 60_000);
    }
  });

  it('accepts each jti once', async () => {
    const once = assertion({ jti: 'replayed-jti' });
    expect((await exchange(once)).status).toBe(200);
    const again = await exchange(once);
    expect(again.status).toBe(401);
    expect(again.json).toMatchObject({ error: 'invalid_client', error_codes: [50027] });
    expect(again.json.error_description).toContain('replayed-jti');
  });

  it('refuses a certificate the app does not hold (AADSTS700027, key not found)', async () => {
    const refused = await exchange(
      assertion({
        certificatePem: EXPIRED_TEST_CERTIFICATE_PEM,
        privateKeyPem: EXPIRED_TEST_PRIVATE_KEY_PEM,
      }),
    );
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
    expect(refused.json.error_description).toContain('The key was not found');
  });

  it('refuses a signature the registered certificate does not verify (AADSTS700027)', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    const refused = await exchange(assertion({ privateKeyPem: stranger }));
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
    expect(refused.json.error_description).toContain('did not match the expected signature value');
  });

  it('refuses a registered certificate that has expired', async () => {
    const refused = await exchange(
      assertion({
        clientId: EXPIRED_CERT_APP,
        certificatePem: EXPIRED_TEST_CERTIFICATE_PEM,
        privateKeyPem: EXPIRED_TEST_PRIVATE_KEY_PEM,
      }),
      fake.defaultTenant.id,
      EXPIRED_CERT_APP,
    );
    expect(refused.json).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
    expect(refused.json.error_description).toContain('The key used is expired');
  });

  it('refuses an assertion without a thumbprint, with another algorithm, or that is not a JWT', async () => {
    const noThumbprint = assertion({ header: { 'x5t#S256': undefined } });
    expect((await exchange(noThumbprint)).json).toMatchObject({ error_codes: [50027] });
    expect((await exchange(assertion({ header: { alg: 'HS256' } }))).json).toMatchObject({
      error_codes: [50027],
    });
    expect((await exchange('not-a-jwt')).json).toMatchObject({
      error: 'invalid_client',
      error_codes: [50027],
    });
  });

  it('requires the jwt-bearer assertion type', async () => {
    const refused = await postToken(fake, fake.defaultTenant.id, {
      grant_type: 'client_credentials',
      client_id: fake.defaultApp.clientId,
      scope: GRAPH_DEFAULT_SCOPE,
      client_assertion_type: 'urn:example:other',
      client_assertion: assertion(),
    });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ error: 'invalid_request', error_codes: [90100] });
  });

  it('logs how the client authenticated', async () => {
    const mark = fake.mark();
    await exchange(assertion());
    expect(fake.requestsSince(mark)[0]).toMatchObject({
      kind: 'token',
      clientAuth: 'assertion',
      status: 200,
    });
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { admin } from '@googleapis/admin';
import { JWT } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMEOS_READONLY_SCOPE,
  CHROMEOS_SCOPE,
  type FakeGoogle,
  GOOGLE_TOKEN_URL,
  generateFleet,
  startFakeGoogle,
} from '../../fakes/google/index.ts';
import { failure } from './google-helpers.ts';

const DOMAIN = 'district.example.org';
const SA_EMAIL = 'satchel-sync@satchel-test.iam.gserviceaccount.com';

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

describe('fake Google: service account with domain-wide delegation (JWT bearer)', () => {
  let fake: FakeGoogle;
  const keys = keyPair();

  /** A JWT client whose default transporter sends Google's token URL to the fake instead. */
  function jwtClient(options: { key?: string; subject?: string; scopes?: string[] } = {}) {
    const jwt = new JWT({
      email: SA_EMAIL,
      key: options.key ?? keys.privateKeyPem,
      scopes: options.scopes ?? [CHROMEOS_READONLY_SCOPE],
      subject: options.subject ?? `admin@${DOMAIN}`,
    });
    jwt.transporter.interceptors.request.add({
      resolved: async (config) => {
        // gaxios holds `url` as a URL object by now (its error redactor relies on that), so keep one.
        if (config.url?.toString() === GOOGLE_TOKEN_URL) config.url = new URL(fake.tokenUrl);
        return config;
      },
    });
    return jwt;
  }

  beforeAll(async () => {
    fake = await startFakeGoogle({
      fleets: { [DOMAIN]: generateFleet({ size: 30, seed: 'sa' }) },
      serviceAccounts: [
        {
          clientEmail: SA_EMAIL,
          publicKeyPem: keys.publicKeyPem,
          clientId: '104857600000000000001',
          allowedScopes: [CHROMEOS_READONLY_SCOPE],
        },
      ],
    });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('exchanges a signed assertion for a token and lists devices as the impersonated admin', async () => {
    const jwt = jwtClient();
    const api = admin({ version: 'directory_v1', auth: jwt, rootUrl: fake.apiRootUrl });
    const mark = fake.mark();
    const res = await api.chromeosdevices.list({ customerId: 'my_customer', maxResults: 10 });
    expect(res.data.chromeosdevices).toHaveLength(10);
    const [tokenCall, listCall] = fake.requestsSince(mark);
    expect(tokenCall).toMatchObject({
      operation: 'token.urn:ietf:params:oauth:grant-type:jwt-bearer',
      status: 200,
      subject: `admin@${DOMAIN}`,
      body: {
        assertion: {
          iss: SA_EMAIL,
          sub: `admin@${DOMAIN}`,
          aud: GOOGLE_TOKEN_URL,
          scope: CHROMEOS_READONLY_SCOPE,
        },
      },
    });
    expect(listCall).toMatchObject({
      status: 200,
      subject: `admin@${DOMAIN}`,
      clientId: '104857600000000000001',
    });
  });

  it('rejects a forged signature with invalid_grant', async () => {
    const other = keyPair();
    const error = await failure(jwtClient({ key: other.privateKeyPem }).authorize());
    expect(error).toMatchObject({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
    });
  });

  it('rejects scopes outside the delegation with 401 unauthorized_client', async () => {
    const error = await failure(jwtClient({ scopes: [CHROMEOS_SCOPE] }).authorize());
    expect(error).toMatchObject({ status: 401, data: { error: 'unauthorized_client' } });
  });

  it('rejects an unknown subject', async () => {
    const error = await failure(jwtClient({ subject: 'someone@unknown.example.com' }).authorize());
    expect(error).toMatchObject({ status: 400, data: { error: 'invalid_grant' } });
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CLIENT,
  type FakeJamfPro,
  generateFleet,
  startFakeJamfPro,
  TOKEN_PATHS,
} from '../../fakes/jamf-pro/index.ts';
import { accessToken, COMPUTERS, get, jamfError, MOBILE_DEVICES, requestToken } from './jamf-pro-helpers.ts';

const READER = { clientId: 'reader-client', clientSecret: 'reader-secret' };

describe('fake Jamf Pro: API clients and access tokens', () => {
  let fake: FakeJamfPro;
  const fleet = generateFleet({ size: 40, seed: 'auth' });

  beforeAll(async () => {
    fake = await startFakeJamfPro({ computers: fleet.computers, mobileDevices: fleet.mobileDevices });
  });
  afterEach(() => {
    fake.resetFaults();
    fake.tokenPaths = [...TOKEN_PATHS];
  });
  afterAll(async () => {
    await fake.close();
  });

  it.each(TOKEN_PATHS)('issues a bearer token at %s for the client-credentials form', async (path) => {
    const response = await requestToken(fake.url, DEFAULT_CLIENT, path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      scope: expect.stringMatching(/^api-role:\d+$/),
      token_type: 'Bearer',
      expires_in: 1799,
    });
    expect(body).not.toHaveProperty('refresh_token');
    const claims = JSON.parse(Buffer.from(String(body.access_token).split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({
      sub: DEFAULT_CLIENT.clientId,
      'subject-type': 'REGISTERED_CLIENT_ID',
      'authentication-type': 'CLIENT_CREDENTIALS',
      scope: [body.scope],
    });
    expect(claims.exp - claims.iat).toBe(1800);
    const entry = fake.requests.at(-1)!;
    expect(entry).toMatchObject({ kind: 'token', operation: 'token', status: 200, path });
    expect(entry.clientId).toBe(DEFAULT_CLIENT.clientId);
  });

  it('answers 404 on the token path an instance version lacks, so a client can fall back', async () => {
    fake.tokenPaths = ['/api/v1/oauth/token'];
    const legacy = await requestToken(fake.url, DEFAULT_CLIENT, '/api/oauth/token');
    expect(legacy.status).toBe(404);
    expect(await legacy.json()).toEqual(jamfError(404, 'NOT_FOUND'));
    const current = await requestToken(fake.url, DEFAULT_CLIENT, '/api/v1/oauth/token');
    expect(current.status).toBe(200);

    fake.tokenPaths = ['/api/oauth/token'];
    expect((await requestToken(fake.url, DEFAULT_CLIENT, '/api/v1/oauth/token')).status).toBe(404);
    expect((await requestToken(fake.url, DEFAULT_CLIENT, '/api/oauth/token')).status).toBe(200);
  });

  it('refuses bad credentials, grant types and bodies with OAuth errors', async () => {
    const wrongSecret = await requestToken(fake.url, { ...DEFAULT_CLIENT, clientSecret: 'nope' });
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toEqual({ error: 'invalid_client' });
    const unknown = await requestToken(fake.url, { clientId: 'who', clientSecret: 'x' });
    expect(unknown.status).toBe(401);

    const password = await requestToken(fake.url, DEFAULT_CLIENT, '/api/oauth/token', {
      grant_type: 'password',
    });
    expect(password.status).toBe(400);
    expect(await password.json()).toEqual({ error: 'unsupported_grant_type' });

    const json = await fetch(`${fake.url}/api/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', ...DEFAULT_CLIENT }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: string }).error).toBe('invalid_request');

    const scoped = await requestToken(fake.url, DEFAULT_CLIENT, '/api/oauth/token', {
      scope: 'api-role:999',
    });
    expect(scoped.status).toBe(400);
    expect(await scoped.json()).toEqual({ error: 'invalid_scope' });

    const get = await fetch(`${fake.url}/api/oauth/token`);
    expect(get.status).toBe(405);
  });

  it('answers 401 INVALID_TOKEN for a missing, unknown or expired bearer token', async () => {
    const missing = await fetch(`${fake.url}${COMPUTERS}`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      httpStatus: 401,
      errors: [{ code: 'INVALID_TOKEN', description: 'Unauthorized', id: '0', field: null }],
    });
    expect((await get(fake.url, COMPUTERS, 'not-a-token')).status).toBe(401);

    fake.addClient('default', { ...READER, privileges: ['Read Computers'], tokenLifetimeSeconds: 60 });
    const response = await requestToken(fake.url, READER);
    expect(((await response.json()) as { expires_in: number }).expires_in).toBe(59);
    const token = await accessToken(fake.url, READER);
    expect((await get(fake.url, COMPUTERS, token)).status).toBe(200);
    fake.advanceTime(59_000);
    expect((await get(fake.url, COMPUTERS, token)).status).toBe(200);
    fake.advanceTime(1_000);
    const expired = await get(fake.url, COMPUTERS, token);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual(jamfError(401, 'INVALID_TOKEN'));

    const fresh = await accessToken(fake.url, READER);
    fake.expireTokens();
    expect((await get(fake.url, COMPUTERS, fresh)).status).toBe(401);
  });

  it('needs Read Computers and Read Mobile Devices, checked on every call', async () => {
    fake.addClient('default', { clientId: 'macs-only', clientSecret: 's', privileges: ['Read Computers'] });
    const token = await accessToken(fake.url, { clientId: 'macs-only', clientSecret: 's' });
    expect((await get(fake.url, COMPUTERS, token)).status).toBe(200);
    const ipads = await get(fake.url, MOBILE_DEVICES, token);
    expect(ipads.status).toBe(403);
    expect(ipads.body).toEqual(jamfError(403, 'INVALID_PRIVILEGE'));

    fake.removePrivilege('default', 'macs-only', 'Read Computers');
    const after = await get(fake.url, COMPUTERS, token);
    expect(after.status).toBe(403);
    expect(fake.requests.at(-1)).toMatchObject({
      status: 403,
      error: 'INVALID_PRIVILEGE',
      clientId: 'macs-only',
    });
  });

  it('revoking a client stops its secret and the tokens it holds', async () => {
    fake.addClient('default', {
      clientId: 'soon-gone',
      clientSecret: 's',
      privileges: ['Read Mobile Devices'],
    });
    const token = await accessToken(fake.url, { clientId: 'soon-gone', clientSecret: 's' });
    expect((await get(fake.url, MOBILE_DEVICES, token)).status).toBe(200);
    expect(fake.revokeClient('default', 'soon-gone')).toBe(true);
    expect((await get(fake.url, MOBILE_DEVICES, token)).status).toBe(401);
    expect((await requestToken(fake.url, { clientId: 'soon-gone', clientSecret: 's' })).status).toBe(401);
  });

  it('can let the tokens of a revoked client run to their expiry instead', async () => {
    const client = { clientId: 'disabled-later', clientSecret: 's', privileges: ['Read Computers'] };
    fake.addClient('default', { ...client, tokenLifetimeSeconds: 120 });
    const token = await accessToken(fake.url, client);
    expect(fake.revokeClient('default', client.clientId, { keepTokens: true })).toBe(true);
    expect(fake.clients().map((c) => c.clientId)).not.toContain(client.clientId);
    expect((await requestToken(fake.url, client)).status).toBe(401);
    expect((await get(fake.url, COMPUTERS, token)).status).toBe(200);
    fake.advanceTime(120_000);
    expect((await get(fake.url, COMPUTERS, token)).status).toBe(401);
  });
});

describe('fake Jamf Pro: several instances on one server', () => {
  let fake: FakeJamfPro;

  beforeAll(async () => {
    fake = await startFakeJamfPro({
      ...generateFleet({ size: 10, seed: 'root' }),
      instances: {
        north: { ...generateFleet({ size: 7, seed: 'north' }), tokenPaths: ['/api/v1/oauth/token'] },
      },
    });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('serves each instance under its own base URL, with a path, and keeps their tokens apart', async () => {
    expect(fake.instanceUrl()).toBe(fake.url);
    const north = fake.instanceUrl('north');
    expect(north).toBe(`${fake.url}/instances/north`);
    const south = fake.addInstance('south', { ...generateFleet({ size: 3, seed: 'south' }) }).url;

    expect((await requestToken(north, DEFAULT_CLIENT, '/api/oauth/token')).status).toBe(404);
    const northToken = (
      (await (await requestToken(north, DEFAULT_CLIENT, '/api/v1/oauth/token')).json()) as {
        access_token: string;
      }
    ).access_token;
    const northPage = await get(north, COMPUTERS, northToken, { 'page-size': 100 });
    expect(northPage.status).toBe(200);
    expect(northPage.body.totalCount).toBe(fake.computers('north').length);
    expect(fake.requests.at(-1)).toMatchObject({ instance: 'north', path: COMPUTERS });

    const southToken = await accessToken(south);
    expect((await get(south, MOBILE_DEVICES, southToken)).body.totalCount).toBe(
      fake.mobileDevices('south').length,
    );
    // A token is only good at the instance that issued it.
    expect((await get(fake.url, COMPUTERS, northToken)).status).toBe(401);
    expect((await get(south, COMPUTERS, northToken)).status).toBe(401);

    const unknown = await fetch(`${fake.url}/instances/nowhere/api/v2/computers-inventory`);
    expect(unknown.status).toBe(404);
  });
});

import { CodeChallengeMethod } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMEOS_READONLY_SCOPE,
  CHROMEOS_SCOPE,
  type FakeGoogle,
  generateFleet,
  startFakeGoogle,
} from '../../fakes/google/index.ts';
import { authorize, directory, failure, oauthClient } from './google-helpers.ts';

const DOMAIN = 'district.example.org';

describe('fake Google OAuth (official google-auth-library client)', () => {
  let fake: FakeGoogle;

  beforeAll(async () => {
    fake = await startFakeGoogle({
      fleets: { [DOMAIN]: generateFleet({ size: 20, seed: 'oauth' }) },
      customers: [{ domain: DOMAIN, nonAdmins: [`teacher@${DOMAIN}`] }],
    });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('runs the authorization-code flow with PKCE S256 and an offline refresh token', async () => {
    const { tokens, redirect, url } = await authorize(fake, { state: 'csrf-42' });
    const auth = new URL(url);
    expect(`${auth.origin}${auth.pathname}`).toBe(fake.authUrl);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(`${redirect.origin}${redirect.pathname}`).toBe(fake.defaultClient.redirectUris[0]);
    expect(redirect.searchParams.get('state')).toBe('csrf-42');
    expect(redirect.searchParams.get('scope')).toBe(CHROMEOS_READONLY_SCOPE);
    expect(redirect.searchParams.get('code')).toMatch(/^4\/0A/);
    expect(tokens.access_token).toMatch(/^ya29\./);
    expect(tokens.refresh_token).toMatch(/^1\/\/0/);
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.scope).toBe(CHROMEOS_READONLY_SCOPE);
    // expires_in 3599 becomes expiry_date in the library
    expect(tokens.expiry_date! - Date.now()).toBeGreaterThan(3_590_000);
    const exchange = fake.requests.find(
      (r) => r.operation === 'token.authorization_code' && r.status === 200,
    );
    expect(exchange?.body).toMatchObject({
      grant_type: 'authorization_code',
      has_code_verifier: true,
      has_client_secret: true,
    });
    expect(JSON.stringify(exchange)).not.toContain(fake.defaultClient.clientSecret);
  });

  it('serves a script-free consent page whose Allow and Deny buttons redirect back', async () => {
    const client = oauthClient(fake);
    const { codeChallenge } = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({
      access_type: 'offline',
      scope: [CHROMEOS_READONLY_SCOPE],
      state: 's1',
      code_challenge: codeChallenge,
      code_challenge_method: CodeChallengeMethod.S256,
    });
    const consent = async (action: 'allow' | 'deny') => {
      const pageResponse = await fetch(url);
      expect(pageResponse.status).toBe(200);
      expect(pageResponse.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await pageResponse.text();
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain(CHROMEOS_READONLY_SCOPE);
      expect(html).toContain(`value="admin@${DOMAIN}"`);
      expect(html).toMatch(/>Allow</);
      expect(html).toMatch(/>Deny</);
      const rid = /name="rid" value="([^"]+)"/.exec(html)?.[1];
      const form = new URLSearchParams({
        rid: rid!,
        email: `it@${DOMAIN}`,
        scope: CHROMEOS_READONLY_SCOPE,
        action,
      });
      const answer = await fetch(`${fake.url}/o/oauth2/v2/auth/consent`, {
        method: 'POST',
        body: form,
        redirect: 'manual',
      });
      expect(answer.status).toBe(302);
      return new URL(answer.headers.get('location')!);
    };
    const allowed = await consent('allow');
    expect(allowed.searchParams.get('code')).toBeTruthy();
    expect(allowed.searchParams.get('state')).toBe('s1');
    expect(allowed.searchParams.get('hd')).toBe(DOMAIN);
    const denied = await consent('deny');
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe('s1');
    expect(denied.searchParams.has('code')).toBe(false);
  });

  it('gives access_denied when the user denies (programmatic)', async () => {
    const client = oauthClient(fake);
    const url = client.generateAuthUrl({ scope: [CHROMEOS_READONLY_SCOPE], state: 'd' });
    const redirect = new URL(fake.deny(url));
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    expect(redirect.searchParams.get('state')).toBe('d');
  });

  it('refuses an unregistered redirect_uri with an error page, never a redirect', async () => {
    const client = oauthClient(fake, 'https://evil.example.com/callback');
    const url = client.generateAuthUrl({ scope: [CHROMEOS_READONLY_SCOPE] });
    expect(() => fake.approve(url)).toThrow(/redirect_uri_mismatch/);
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('redirect_uri_mismatch');
  });

  it('rejects a wrong or missing code_verifier, a reused code and a different redirect_uri', async () => {
    const client = oauthClient(fake);
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({
      access_type: 'offline',
      scope: [CHROMEOS_READONLY_SCOPE],
      code_challenge: codeChallenge,
      code_challenge_method: CodeChallengeMethod.S256,
    });
    const code = new URL(fake.approve(url)).searchParams.get('code')!;
    const wrong = await client.generateCodeVerifierAsync();
    expect(await failure(client.getToken({ code, codeVerifier: wrong.codeVerifier }))).toMatchObject({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Invalid code verifier.' },
    });
    expect(await failure(client.getToken({ code }))).toMatchObject({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Missing code verifier.' },
    });
    // Google answers redirect_uri_mismatch (not invalid_grant) when the exchange names another URI.
    const other = oauthClient(fake, fake.defaultClient.redirectUris[1]);
    expect(await failure(other.getToken({ code, codeVerifier }))).toMatchObject({
      status: 400,
      data: { error: 'redirect_uri_mismatch' },
    });
    const { tokens } = await client.getToken({ code, codeVerifier });
    expect(tokens.access_token).toBeTruthy();
    expect(await failure(client.getToken({ code, codeVerifier }))).toMatchObject({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Code was already redeemed.' },
    });
  });

  it('expires codes after ten minutes', async () => {
    const client = oauthClient(fake);
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({
      scope: [CHROMEOS_READONLY_SCOPE],
      code_challenge: codeChallenge,
      code_challenge_method: CodeChallengeMethod.S256,
    });
    const code = new URL(fake.approve(url)).searchParams.get('code')!;
    fake.advanceTime(10 * 60_000 + 1000);
    try {
      expect(await failure(client.getToken({ code, codeVerifier }))).toMatchObject({
        status: 400,
        data: { error: 'invalid_grant' },
      });
    } finally {
      fake.advanceTime(-(10 * 60_000 + 1000));
    }
  });

  it('authenticates the client: wrong secret is 401 invalid_client, HTTP Basic works', async () => {
    const { code, codeVerifier } = await (async () => {
      const client = oauthClient(fake);
      const v = await client.generateCodeVerifierAsync();
      const url = client.generateAuthUrl({
        scope: [CHROMEOS_READONLY_SCOPE],
        code_challenge: v.codeChallenge,
        code_challenge_method: CodeChallengeMethod.S256,
      });
      return { code: new URL(fake.approve(url)).searchParams.get('code')!, codeVerifier: v.codeVerifier };
    })();
    const form = {
      grant_type: 'authorization_code',
      code,
      code_verifier: codeVerifier,
      redirect_uri: fake.defaultClient.redirectUris[0]!,
      client_id: fake.defaultClient.clientId,
    };
    const bad = await fetch(fake.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ ...form, client_secret: 'nope' }),
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'invalid_client', error_description: 'Unauthorized' });
    const basic = Buffer.from(`${fake.defaultClient.clientId}:${fake.defaultClient.clientSecret}`).toString(
      'base64',
    );
    const good = await fetch(fake.tokenUrl, {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}` },
      body: new URLSearchParams(form),
    });
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
  });

  it('refreshes, and a revoked refresh token answers invalid_grant "Token has been expired or revoked."', async () => {
    const { client, tokens } = await authorize(fake);
    const first = tokens.access_token!;
    const refreshed = await client.refreshAccessToken();
    expect(refreshed.credentials.access_token).not.toBe(first);
    expect(refreshed.credentials.refresh_token).toBe(tokens.refresh_token);
    await client.revokeToken(tokens.refresh_token!);
    const refreshFailure = await failure(client.refreshAccessToken());
    expect(refreshFailure).toMatchObject({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
    });
    // the grant's access tokens die with it
    const raw = await fetch(`${fake.url}/admin/directory/v1/customer/my_customer/devices/chromeos`, {
      headers: { Authorization: `Bearer ${refreshed.credentials.access_token}` },
    });
    expect(raw.status).toBe(401);
    const again = await fetch(`${fake.revokeUrl}?token=${encodeURIComponent(tokens.refresh_token!)}`, {
      method: 'POST',
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_token' });
    // the log names the call without leaking the token
    expect(fake.requests.at(-1)).toMatchObject({ kind: 'revoke', status: 400, error: 'invalid_token' });
    expect(JSON.stringify(fake.requests)).not.toContain(tokens.refresh_token!);
  });

  it('revoking the access token also kills the refresh token; revokeAll simulates the user removing access', async () => {
    const a = await authorize(fake);
    await a.client.revokeCredentials();
    const fresh = oauthClient(fake);
    fresh.setCredentials({ refresh_token: a.tokens.refresh_token! });
    expect((await failure(fresh.refreshAccessToken())).data).toMatchObject({ error: 'invalid_grant' });
    const b = await authorize(fake, { email: `other@${DOMAIN}` });
    expect(fake.revokeAll()).toBeGreaterThan(0);
    expect(await failure(b.client.refreshAccessToken())).toMatchObject({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
    });
  });

  it('issues a refresh token only on the first offline consent unless prompt=consent', async () => {
    const email = `again@${DOMAIN}`;
    const first = await authorize(fake, { email, prompt: 'select_account' });
    expect(first.tokens.refresh_token).toBeTruthy();
    const second = await authorize(fake, { email, prompt: 'select_account' });
    expect(second.tokens.refresh_token).toBeUndefined();
    const third = await authorize(fake, { email, prompt: 'consent' });
    expect(third.tokens.refresh_token).toBeTruthy();
    const online = await authorize(fake, { email: `online@${DOMAIN}`, accessType: 'online' });
    expect(online.tokens.refresh_token).toBeUndefined();
  });

  it('can grant less than asked: the API then answers 403 insufficientPermissions', async () => {
    const { tokens, client } = await authorize(fake, {
      scopes: [CHROMEOS_READONLY_SCOPE, 'https://www.googleapis.com/auth/userinfo.email'],
      grantScopes: ['https://www.googleapis.com/auth/userinfo.email'],
    });
    expect(tokens.scope).toBe('https://www.googleapis.com/auth/userinfo.email');
    const api = directory(fake, client);
    const denied = await failure(api.chromeosdevices.list({ customerId: 'my_customer' }, { retry: false }));
    expect(denied.status).toBe(403);
    expect(denied.data).toMatchObject({
      error: {
        code: 403,
        errors: [{ reason: 'insufficientPermissions', domain: 'global' }],
        status: 'PERMISSION_DENIED',
      },
    });
    fake.grantedScopes = [CHROMEOS_SCOPE];
    try {
      const narrowed = await authorize(fake, { scopes: [CHROMEOS_SCOPE, CHROMEOS_READONLY_SCOPE] });
      expect(narrowed.tokens.scope).toBe(CHROMEOS_SCOPE);
    } finally {
      fake.grantedScopes = null;
    }
  });

  it('answers 401 authError for an expired token (and the library refreshes once)', async () => {
    const { client, tokens } = await authorize(fake);
    fake.expireAccessTokens();
    const raw = await fetch(`${fake.url}/admin/directory/v1/customer/my_customer/devices/chromeos`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    expect(raw.status).toBe(401);
    expect(raw.headers.get('www-authenticate')).toContain('invalid_token');
    expect(await raw.json()).toMatchObject({
      error: {
        code: 401,
        errors: [{ reason: 'authError', message: 'Invalid Credentials', location: 'Authorization' }],
        status: 'UNAUTHENTICATED',
      },
    });
    // The library, given an expiry_date in the past, refreshes before calling.
    client.setCredentials({ ...tokens, expiry_date: Date.now() - 1000 });
    const mark = fake.mark();
    const res = await directory(fake, client).chromeosdevices.list({
      customerId: 'my_customer',
      maxResults: 5,
    });
    expect(res.data.chromeosdevices).toHaveLength(5);
    expect(fake.requestsSince(mark).map((r) => r.operation)).toEqual([
      'token.refresh_token',
      'directory.chromeosdevices.list',
    ]);
  });

  it('returns 403 forbidden for a user who is not an admin, and for another customer', async () => {
    const teacher = await authorize(fake, { email: `teacher@${DOMAIN}` });
    const denied = await failure(
      directory(fake, teacher.client).chromeosdevices.list({ customerId: 'my_customer' }, { retry: false }),
    );
    expect(denied).toMatchObject({ status: 403, data: { error: { errors: [{ reason: 'forbidden' }] } } });
    const admin = await authorize(fake);
    const other = await failure(
      directory(fake, admin.client).chromeosdevices.list({ customerId: 'C01234567' }, { retry: false }),
    );
    expect(other.status).toBe(403);
    const own = await directory(fake, admin.client).chromeosdevices.list({
      customerId: fake.customer(DOMAIN).customerId,
      maxResults: 1,
    });
    expect(own.data.chromeosdevices).toHaveLength(1);
  });

  it('can fail the token endpoint on request', async () => {
    fake.failNext(1, 503, undefined, { target: 'token' });
    const form = () =>
      new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: '1//0nope',
        client_id: fake.defaultClient.clientId,
        client_secret: fake.defaultClient.clientSecret!,
      });
    const failed = await fetch(fake.tokenUrl, { method: 'POST', body: form() });
    expect(failed.status).toBe(503);
    const normal = await fetch(fake.tokenUrl, { method: 'POST', body: form() });
    expect(normal.status).toBe(400);
    expect(fake.requests.slice(-2).map((r) => [r.injected, r.error])).toEqual([
      ['fail', 'internal_failure'],
      [undefined, 'invalid_grant'],
    ]);
  });

  it('serves tokeninfo for a live token', async () => {
    const { tokens } = await authorize(fake);
    const info = await oauthClient(fake).getTokenInfo(tokens.access_token!);
    expect(info.scopes).toEqual([CHROMEOS_READONLY_SCOPE]);
    expect(info.email).toBe(`admin@${DOMAIN}`);
  });
});

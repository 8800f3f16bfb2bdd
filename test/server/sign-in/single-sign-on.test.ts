import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeOidc } from '../../../fakes/oidc/index.ts';
import { createTestApp, type TestApp } from '../../setup/app.ts';
import {
  addUser,
  createApiToken,
  createDistrict,
  type Session,
  signIn,
  type TestDistrict,
} from '../../setup/factories.ts';
import { signInEnvironment, signInWithProvider, startSignInFakes } from '../../setup/oidc.ts';

const TENANT = '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const OTHER_TENANT = '0a0b0c0d-1111-4222-8333-444455556666';
const PUBLIC_URL = 'http://localhost:3000';

let fakes: { google: FakeOidc; microsoft: FakeOidc };
let testApp: TestApp;
let district: TestDistrict;
let admin: Session;

beforeAll(async () => {
  fakes = await startSignInFakes(PUBLIC_URL);
  testApp = await createTestApp(signInEnvironment(fakes));
  district = await createDistrict(testApp.database, 'Cedar Unified');
  admin = await signIn(testApp.app, district.admin);
  await configure({});
});

afterAll(async () => {
  await testApp?.app.close();
  await testApp?.database.close();
  await fakes?.google.close();
  await fakes?.microsoft.close();
});

function configure(changes: Record<string, unknown>) {
  return admin.inject({
    method: 'PUT',
    url: '/api/v1/district/sign-in',
    payload: {
      googleEnabled: true,
      microsoftEnabled: true,
      microsoftTenantId: TENANT,
      allowedDomains: ['cedar.example'],
      jitAccounts: false,
      defaultRole: 'viewer',
      passwordSignIn: 'everyone',
      ...changes,
    },
  });
}

async function member(role: 'technician' | 'viewer', email: string) {
  const user = await addUser(testApp.database, district, role);
  await testApp.database.db.updateTable('users').set({ email }).where('id', '=', user.id).execute();
  return { ...user, email };
}

const via = (provider: 'google' | 'microsoft', email: string) =>
  signInWithProvider(testApp.app, PUBLIC_URL, provider, email);

describe('single sign-on', () => {
  it('signs an existing account in with Google when hd is one of the district domains', async () => {
    const user = await member('technician', 'gina@cedar.example');
    fakes.google.addAccount({ email: user.email, name: 'Gina', hd: 'cedar.example' });
    const result = await via('google', user.email);
    expect(result.location).toBe(`${PUBLIC_URL}/devices`);
    const me = await testApp.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: result.sessionCookie ?? '' },
    });
    expect(me.json()).toMatchObject({ user: { email: user.email, role: 'technician' } });
  });

  it('signs an existing account in with Microsoft when tid is the district tenant', async () => {
    const user = await member('viewer', 'milo@cedar.example');
    fakes.microsoft.addAccount({ email: user.email, name: 'Milo', tid: TENANT });
    const result = await via('microsoft', user.email);
    expect(result.location).toBe(`${PUBLIC_URL}/devices`);
    expect(result.sessionCookie).toBeDefined();
  });

  it('refuses a Google account of another domain and a Microsoft account of another tenant', async () => {
    await member('viewer', 'wanda@cedar.example');
    fakes.google.addAccount({ email: 'wanda@cedar.example', name: 'Wanda', hd: 'elsewhere.example' });
    expect(await via('google', 'wanda@cedar.example')).toEqual({
      location: `${PUBLIC_URL}/sign-in?sso_error=wrong_domain`,
      sessionCookie: undefined,
    });
    fakes.microsoft.addAccount({ email: 'wanda@cedar.example', name: 'Wanda', tid: OTHER_TENANT });
    expect((await via('microsoft', 'wanda@cedar.example')).location).toBe(
      `${PUBLIC_URL}/sign-in?sso_error=wrong_tenant`,
    );
  });

  it('refuses a deactivated user every way, and their sessions and tokens stop at once', async () => {
    const user = await member('technician', 'dora@cedar.example');
    fakes.google.addAccount({ email: user.email, name: 'Dora', hd: 'cedar.example' });
    const session = await signIn(testApp.app, user);
    const token = await createApiToken(session);
    const sso = await via('google', user.email);
    await admin.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, payload: { disabled: true } });
    expect((await via('google', user.email)).location).toBe(`${PUBLIC_URL}/sign-in?sso_error=disabled`);
    await expect(signIn(testApp.app, user)).rejects.toThrow(/401/);
    expect((await session.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    const ssoSession = await testApp.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: sso.sessionCookie ?? '' },
    });
    expect(ssoSession.statusCode).toBe(401);
    const byToken = await testApp.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(byToken.statusCode).toBe(401);
  });

  it('makes an account with the default role only when just-in-time accounts are on', async () => {
    fakes.google.addAccount({ email: 'newbie@cedar.example', name: 'New Bie', hd: 'cedar.example' });
    expect((await via('google', 'newbie@cedar.example')).location).toBe(
      `${PUBLIC_URL}/sign-in?sso_error=no_account`,
    );
    await configure({ jitAccounts: true, defaultRole: 'technician' });
    const result = await via('google', 'newbie@cedar.example');
    expect(result.location).toBe(`${PUBLIC_URL}/devices`);
    const me = await testApp.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: result.sessionCookie ?? '' },
    });
    expect(me.json()).toMatchObject({
      user: { email: 'newbie@cedar.example', name: 'New Bie', role: 'technician' },
    });
    await configure({});
  });

  it.each([
    ['wrong_audience', 'token_audience'],
    ['expired', 'token_expired'],
    ['bad_signature', 'token_signature'],
    ['replayed_nonce', 'token_nonce'],
  ] as const)('refuses an ID token with %s', async (fault, reason) => {
    const user = await member('viewer', `fault-${fault}@cedar.example`);
    fakes.google.addAccount({ email: user.email, name: 'Faulty', hd: 'cedar.example' });
    fakes.google.failNextToken(fault);
    expect(await via('google', user.email)).toEqual({
      location: `${PUBLIC_URL}/sign-in?sso_error=${reason}`,
      sessionCookie: undefined,
    });
  });

  it('switches passwords off for everyone but the first administrator', async () => {
    const user = await member('technician', 'pat@cedar.example');
    await configure({ passwordSignIn: 'first_admin' });
    const refused = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: user.email, password: 'a long enough passphrase' },
      remoteAddress: '198.51.100.7',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/Google or Microsoft/);
    await signIn(testApp.app, district.admin);
    await configure({});
  });

  it('an invitation goes straight to single sign-on when passwords are off', async () => {
    await configure({ passwordSignIn: 'first_admin' });
    const invited = await admin.inject({
      method: 'POST',
      url: '/api/v1/users/invitations',
      payload: { email: 'ivy@cedar.example', name: 'Ivy', role: 'viewer' },
    });
    const token = new URL(invited.json().link).hash.slice(1);
    const details = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/invitation/details',
      payload: { token },
    });
    expect(details.json()).toMatchObject({
      signInProviders: ['google', 'microsoft'],
      passwordAllowed: false,
    });
    const accept = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/invitation/accept',
      payload: { token, password: 'a long enough passphrase' },
    });
    expect(accept.statusCode).toBe(403);
    fakes.google.addAccount({ email: 'ivy@cedar.example', name: 'Ivy', hd: 'cedar.example' });
    expect((await via('google', 'ivy@cedar.example')).location).toBe(`${PUBLIC_URL}/devices`);
    await configure({});
  });

  it('offers the buttons by email domain, and audits each settings change with its diff', async () => {
    const methods = await testApp.app.inject({
      method: 'GET',
      url: '/api/v1/sign-in/methods?email=x@cedar.example',
    });
    expect(methods.json()).toEqual({ providers: ['google', 'microsoft'] });
    const invalid = await configure({ googleEnabled: true, allowedDomains: [] });
    expect(invalid.statusCode).toBe(400);
    expect((await configure({ microsoftEnabled: false })).statusCode).toBe(200);
    const audit = await admin.inject({ method: 'GET', url: '/api/v1/audit-events?limit=5' });
    const change = audit
      .json()
      .events.find((event: { action: string }) => event.action === 'district.sign_in_changed');
    expect(change.actor.label).toBe(district.admin.email);
    expect(change.details.changes).toEqual({ microsoft_enabled: { from: true, to: false } });
    await configure({});
  });
});

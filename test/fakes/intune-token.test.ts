import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIntune, GRAPH_DEFAULT_SCOPE, startFakeIntune } from '../../fakes/intune/index.ts';
import { accessToken, claimsOf, graph, managedDevicesPath, postToken, secretForm } from './intune-helpers.ts';

const OTHER_TENANT = {
  id: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9',
  domains: ['other.example.net'],
  name: 'Other District',
};
const ROTATING_APP = {
  clientId: '7d0c1b2a-3948-4f5e-8d7c-6b5a49382716',
  secrets: [
    { value: 'old-secret', expiresAt: '2020-01-01T00:00:00Z' },
    { value: 'new-secret', expiresAt: '2199-01-01T00:00:00Z' },
  ],
  permissions: ['DeviceManagementManagedDevices.ReadWrite.All'],
  multiTenant: false,
};

describe('fake Intune: client-credentials token endpoint', () => {
  let fake: FakeIntune;

  beforeAll(async () => {
    fake = await startFakeIntune({
      tenants: [OTHER_TENANT],
      apps: [{ ...ROTATING_APP, tenant: OTHER_TENANT.id }],
    });
  });
  afterEach(() => fake.resetFaults());
  afterAll(async () => {
    await fake.close();
  });

  it('issues a Graph app token: no refresh token, bound to tenant and client, carrying the roles', async () => {
    const token = await postToken(fake, fake.defaultTenant.id, secretForm(fake));
    expect(token.status).toBe(200);
    expect(token.headers.get('cache-control')).toContain('no-store');
    expect(Object.keys(token.json).sort()).toEqual([
      'access_token',
      'expires_in',
      'ext_expires_in',
      'token_type',
    ]);
    expect(token.json).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    const claims = claimsOf(token.json.access_token as string);
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      tid: fake.defaultTenant.id,
      appid: fake.defaultApp.clientId,
      appidacr: '1',
      idtyp: 'app',
      roles: ['DeviceManagementManagedDevices.Read.All'],
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(3599);
  });

  it('finds the tenant by GUID or by any verified domain, whatever the case', async () => {
    for (const key of [
      fake.defaultTenant.id,
      'district.example.org',
      'DISTRICT.Example.org',
      'districtexample.onmicrosoft.com',
    ]) {
      const token = await postToken(fake, key, secretForm(fake));
      expect(token.status, key).toBe(200);
      expect(claimsOf(token.json.access_token as string).tid).toBe(fake.defaultTenant.id);
    }
  });

  it('answers an unknown tenant with AADSTS90002 in Entra’s error body', async () => {
    const refused = await postToken(fake, 'nowhere.example.com', secretForm(fake), {
      'client-request-id': 'corr-123',
    });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({
      error: 'invalid_request',
      error_codes: [90002],
      correlation_id: 'corr-123',
      error_uri: 'https://login.microsoftonline.com/error?code=90002',
    });
    expect(Object.keys(refused.json).sort()).toEqual([
      'correlation_id',
      'error',
      'error_codes',
      'error_description',
      'error_uri',
      'timestamp',
      'trace_id',
    ]);
    expect(refused.json.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
    expect(refused.json.trace_id).toMatch(/^[0-9a-f-]{36}$/);
    const description = refused.json.error_description as string;
    expect(description).toMatch(/^AADSTS90002: Tenant 'nowhere.example.com' not found/);
    expect(description).toContain(
      `\r\nTrace ID: ${refused.json.trace_id}\r\nCorrelation ID: corr-123\r\nTimestamp: ${refused.json.timestamp}`,
    );
  });

  it('can answer an unknown tenant with invalid_tenant, as Entra’s newer endpoints do', async () => {
    const modern = await startFakeIntune({ unknownTenantError: 'invalid_tenant' });
    try {
      const refused = await postToken(modern, 'nowhere.example.com', secretForm(modern));
      expect(refused.json).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
    } finally {
      await modern.close();
    }
  });

  it.each([
    ['not a tenant', 400, 'invalid_request', 900023],
    ['common', 400, 'invalid_request', 9001023],
    ['organizations', 400, 'invalid_request', 50059],
    ['00000000-1111-4222-8333-444444444444', 400, 'invalid_request', 90002],
  ])('refuses the tenant path %s', async (tenant, status, error, code) => {
    const refused = await postToken(fake, encodeURIComponent(tenant), secretForm(fake));
    expect(refused.status).toBe(status);
    expect(refused.json).toMatchObject({ error, error_codes: [code] });
  });

  it('only accepts POST', async () => {
    const response = await fetch(fake.tokenUrl());
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request', error_codes: [900561] });
  });

  it.each([
    ['grant_type', { grant_type: '' }, 'invalid_request', 900144],
    ['client_id', { client_id: '' }, 'invalid_request', 900144],
    ['scope', { scope: '' }, 'invalid_request', 900144],
  ])('names the missing parameter %s', async (name, overrides, error, code) => {
    const refused = await postToken(fake, fake.defaultTenant.id, secretForm(fake, overrides));
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ error, error_codes: [code] });
    expect(refused.json.error_description).toContain(`'${name}'`);
  });

  it('refuses other grant types', async () => {
    const refused = await postToken(
      fake,
      fake.defaultTenant.id,
      secretForm(fake, { grant_type: 'password' }),
    );
    expect(refused.json).toMatchObject({ error: 'unsupported_grant_type', error_codes: [70003] });
  });

  it.each([
    ['https://graph.microsoft.com/DeviceManagementManagedDevices.Read.All', 'invalid_scope', 1002012],
    ['openid', 'invalid_scope', 70011],
    [`${GRAPH_DEFAULT_SCOPE} offline_access`, 'invalid_scope', 70011],
    ['https://management.azure.com/.default', 'invalid_resource', 500011],
    ['http://127.0.0.1:1/graph/.default', 'invalid_resource', 500011],
  ])('accepts only Graph’s .default scope, not %s', async (scope, error, code) => {
    const refused = await postToken(fake, fake.defaultTenant.id, secretForm(fake, { scope }));
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ error, error_codes: [code] });
  });

  it('answers an unknown client with unauthorized_client AADSTS700016', async () => {
    const refused = await postToken(
      fake,
      fake.defaultTenant.id,
      secretForm(fake, { client_id: 'ffffffff-0000-4000-8000-000000000000' }),
    );
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    expect(refused.json.error_description).toContain("in the directory 'District Example'");
  });

  it('does not know a multi-tenant app in a tenant that has not consented to it', async () => {
    const refused = await postToken(fake, OTHER_TENANT.domains[0]!, secretForm(fake));
    expect(refused.json).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
  });

  it('refuses a wrong secret with 401 invalid_client AADSTS7000215', async () => {
    const refused = await postToken(fake, fake.defaultTenant.id, secretForm(fake, { client_secret: 'nope' }));
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
  });

  it('tells an expired secret (AADSTS7000222) from a wrong one, and accepts the live one beside it', async () => {
    const form = { client_id: ROTATING_APP.clientId };
    const expired = await postToken(
      fake,
      OTHER_TENANT.id,
      secretForm(fake, { ...form, client_secret: 'old-secret' }),
    );
    expect(expired.status).toBe(401);
    expect(expired.json).toMatchObject({ error: 'invalid_client', error_codes: [7000222] });
    const live = await postToken(
      fake,
      OTHER_TENANT.id,
      secretForm(fake, { ...form, client_secret: 'new-secret' }),
    );
    expect(live.status).toBe(200);
    expect(claimsOf(live.json.access_token as string).roles).toEqual([
      'DeviceManagementManagedDevices.ReadWrite.All',
    ]);
  });

  it('asks for a credential when neither secret nor assertion is sent', async () => {
    const { client_secret: _omitted, ...form } = secretForm(fake);
    const refused = await postToken(fake, fake.defaultTenant.id, form);
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ error: 'invalid_client', error_codes: [7000218] });
  });

  it('refuses a revoked app’s next token request and every token it already holds', async () => {
    const tenant = fake.addTenant({ domains: ['revoked.example.org'] });
    fake.approve(fake.consentUrl({ tenant: tenant.id }));
    const token = await accessToken(fake, tenant.id);
    expect((await graph(fake, token, managedDevicesPath())).status).toBe(200);
    expect(fake.revokeApp(tenant.id, fake.defaultApp.clientId)).toBe(true);
    const refused = await postToken(fake, tenant.id, secretForm(fake));
    expect(refused.json).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    const call = await graph(fake, token, managedDevicesPath());
    expect(call.status).toBe(401);
    expect(call.json).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
  });

  it('fails the next token requests on demand, with Retry-After when asked', async () => {
    fake.failNext(1, 503, { target: 'token', retryAfter: 5 });
    const failed = await postToken(fake, fake.defaultTenant.id, secretForm(fake));
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('5');
    expect(failed.json).toMatchObject({ error: 'temporarily_unavailable', error_codes: [90033] });
    expect((await postToken(fake, fake.defaultTenant.id, secretForm(fake))).status).toBe(200);
  });

  it('logs token requests without secrets', async () => {
    const mark = fake.mark();
    await postToken(fake, 'district.example.org', secretForm(fake));
    const [entry] = fake.requestsSince(mark);
    expect(entry).toMatchObject({
      kind: 'token',
      operation: 'token',
      method: 'POST',
      path: '/district.example.org/oauth2/v2.0/token',
      status: 200,
      tenantId: fake.defaultTenant.id,
      clientId: fake.defaultApp.clientId,
      clientAuth: 'secret',
      listing: false,
      inner: false,
    });
    expect(JSON.stringify(entry)).not.toContain(fake.defaultApp.secret);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIntune, startFakeIntune } from '../../fakes/intune/index.ts';

describe('fake Intune: OpenID Connect discovery', () => {
  let fake: FakeIntune;

  beforeAll(async () => {
    fake = await startFakeIntune();
  });
  afterAll(async () => {
    await fake.close();
  });

  async function discover(tenant: string) {
    const response = await fetch(`${fake.loginUrl}/${tenant}/v2.0/.well-known/openid-configuration`);
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  it('names the tenant by its ID whichever verified domain, in whatever case, asked', async () => {
    for (const key of ['District.Example.ORG', 'districtexample.onmicrosoft.com', fake.defaultTenant.id]) {
      const { status, json } = await discover(key);
      expect(status).toBe(200);
      expect(json.issuer).toBe(`${fake.loginUrl}/${fake.defaultTenant.id}/v2.0`);
      expect(json.token_endpoint).toBe(`${fake.loginUrl}/${fake.defaultTenant.id}/oauth2/v2.0/token`);
    }
    const logged = fake.requests.at(-1);
    expect(logged).toMatchObject({
      kind: 'discovery',
      operation: 'openid-configuration',
      status: 200,
      tenantId: fake.defaultTenant.id,
    });
  });

  it('answers an unknown tenant with invalid_tenant (AADSTS90002) and a malformed name with AADSTS900023', async () => {
    const unknown = await discover('nowhere.example.net');
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
    const malformed = await discover('not_a_domain');
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ error_codes: [900023] });
  });

  it('gives the multi-tenant names the {tenantid} placeholder, not a tenant', async () => {
    const { status, json } = await discover('organizations');
    expect(status).toBe(200);
    expect(json.issuer).toBe(`${fake.loginUrl}/{tenantid}/v2.0`);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIntune, startFakeIntune } from '../../fakes/intune/index.ts';
import { accessToken, graph, managedDevicesPath, postToken, secretForm } from './intune-helpers.ts';

const SCHOOL_TENANT = {
  id: '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b',
  domains: ['school.example.edu'],
  name: 'School',
};
const SINGLE_TENANT_APP = {
  clientId: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
  secret: 'single',
  permissions: ['DeviceManagementManagedDevices.Read.All'],
  multiTenant: false,
  redirectUris: ['https://app.example.com/callback'],
};

describe('fake Intune: admin consent', () => {
  let fake: FakeIntune;

  beforeAll(async () => {
    fake = await startFakeIntune({
      tenants: [SCHOOL_TENANT],
      apps: [{ ...SINGLE_TENANT_APP, tenant: 'district.example.org' }],
    });
  });
  afterAll(async () => {
    await fake.close();
  });

  const open = (url: string) => fetch(url, { redirect: 'manual' });

  it('shows a script-free consent page with Accept and Cancel', async () => {
    const response = await open(fake.consentUrl({ tenant: SCHOOL_TENANT.id, state: 'abc' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('DeviceManagementManagedDevices.Read.All');
    expect(html).toMatch(/<button type="submit" name="decision" value="accept">Accept<\/button>/);
    expect(html).toMatch(/<button type="submit" name="decision" value="cancel">Cancel<\/button>/);
  });

  it('grants the app in the tenant when Accept is pressed, redirecting with tenant, state and admin_consent', async () => {
    const page = await (await open(fake.consentUrl({ tenant: 'school.example.edu', state: 'st-1' }))).text();
    const rid = /name="rid" value="([^"]+)"/.exec(page)![1]!;
    const action = /<form method="post" action="([^"]+)"/.exec(page)![1]!;
    const before = await postToken(fake, SCHOOL_TENANT.id, secretForm(fake));
    expect(before.json).toMatchObject({ error: 'unauthorized_client' });

    const decided = await fetch(`${fake.loginUrl}${action}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ rid, decision: 'accept' }),
    });
    expect(decided.status).toBe(302);
    const location = new URL(decided.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(fake.defaultApp.redirectUris[0]);
    expect([...location.searchParams]).toEqual([
      ['tenant', SCHOOL_TENANT.id],
      ['state', 'st-1'],
      ['admin_consent', 'True'],
    ]);
    expect(fake.tenant(SCHOOL_TENANT.id).apps).toContainEqual({
      clientId: fake.defaultApp.clientId,
      permissions: ['DeviceManagementManagedDevices.Read.All'],
    });
    const token = await accessToken(fake, SCHOOL_TENANT.id);
    expect((await graph(fake, token, managedDevicesPath())).status).toBe(200);
  });

  it('redirects a cancel with access_denied (AADSTS65004), the state, admin_consent=True and no tenant', async () => {
    const redirect = new URL(fake.deny(fake.consentUrl({ tenant: SCHOOL_TENANT.id, state: 'st-2' })));
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    expect(redirect.searchParams.get('error_description')).toMatch(/^AADSTS65004: User declined to consent/);
    expect(redirect.searchParams.get('state')).toBe('st-2');
    expect(redirect.searchParams.get('admin_consent')).toBe('True');
    expect(redirect.searchParams.has('tenant')).toBe(false);
  });

  it('lets the admin pick the tenant on the organizations endpoint', async () => {
    const tenant = fake.addTenant({ domains: ['picked.example.org'] });
    const page = await (await open(fake.consentUrl({ state: 'x' }))).text();
    expect(page).toMatch(/<input name="tenant"/);
    const redirect = new URL(fake.approve(fake.consentUrl({ state: 'x' }), { tenant: 'picked.example.org' }));
    expect(redirect.searchParams.get('tenant')).toBe(tenant.id);
    expect((await postToken(fake, tenant.id, secretForm(fake))).status).toBe(200);
  });

  it('answers a bad request with an HTML error page, never a redirect', async () => {
    const cases: [string, number, string][] = [
      [fake.consentUrl({ redirectUri: 'https://evil.example.com/cb' }), 400, 'AADSTS50011'],
      [fake.consentUrl({ clientId: 'ffffffff-0000-4000-8000-000000000000' }), 400, 'AADSTS700016'],
      [fake.consentUrl({ tenant: 'nowhere.example.com' }), 400, 'AADSTS90002'],
      [
        `${fake.loginUrl}/organizations/adminconsent?client_id=${fake.defaultApp.clientId}`,
        400,
        'AADSTS900971',
      ],
    ];
    for (const [url, status, code] of cases) {
      const response = await open(url);
      expect(response.status, url).toBe(status);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain(code);
    }
    expect(() => fake.approve(fake.consentUrl({ redirectUri: 'https://evil.example.com/cb' }))).toThrow(
      /AADSTS50011/,
    );
  });

  it('keeps a single-tenant app to its home tenant', async () => {
    const url = fake.consentUrl({
      tenant: SCHOOL_TENANT.id,
      clientId: SINGLE_TENANT_APP.clientId,
      redirectUri: SINGLE_TENANT_APP.redirectUris[0]!,
    });
    expect(() => fake.approve(url)).toThrow(/AADSTS700016/);
  });

  it('refuses a consent form whose request has expired or was answered', async () => {
    const response = await fetch(`${fake.loginUrl}/organizations/adminconsent`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ rid: 'unknown', decision: 'accept' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('also serves the v2.0 admin consent path, and logs consent requests', async () => {
    const mark = fake.mark();
    const url = fake.consentUrl({ tenant: SCHOOL_TENANT.id }).replace('/adminconsent', '/v2.0/adminconsent');
    expect((await open(url)).status).toBe(200);
    expect(fake.requestsSince(mark)[0]).toMatchObject({
      kind: 'consent',
      operation: 'consent.page',
      status: 200,
      clientId: fake.defaultApp.clientId,
      tenantId: SCHOOL_TENANT.id,
    });
  });
});

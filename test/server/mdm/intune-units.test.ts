import { createHash, X509Certificate } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  EXPIRED_TEST_CERTIFICATE_PEM,
  EXPIRED_TEST_PRIVATE_KEY_PEM,
  generateFleet,
  TEST_CERTIFICATE_PEM,
  TEST_PRIVATE_KEY_PEM,
} from '../../../fakes/intune/index.ts';
import { checkCertificate, clientAssertion } from '../../../src/server/mdm/providers/intune/assertion.ts';
import { intune } from '../../../src/server/mdm/providers/intune/definition.ts';
import { classifyEntraFailure, EntraRefusal } from '../../../src/server/mdm/providers/intune/entra.ts';
import { classifyGraphFailure, GraphRefusal } from '../../../src/server/mdm/providers/intune/graph.ts';
import { DEVICE_PROPERTIES, toProviderDevice } from '../../../src/server/mdm/providers/intune/mapping.ts';
import { IntuneCredentials, IntuneSettings } from '../../../src/server/mdm/providers/intune/settings.ts';
import { estimates } from '../../../src/server/mdm/providers/intune/sync.ts';
import { planRun, scopeEstimates } from '../../../src/server/mdm/sync/planner.ts';
import { silentLog } from '../../setup/app.ts';

const TENANT_ID = '5a9d7a61-2f44-4c3e-9d1b-0b6f2d3c4e5f';
const CLIENT_ID = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

describe('Intune planner estimates', () => {
  it('costs a lookup one Graph request per serial and a listing one per 1,000 devices', () => {
    expect(estimates({ trackedCount: 2_345, fleetSize: null, changed: null })).toEqual([
      { strategy: 'batch_lookup', apiCalls: 2_345, complete: true, targeted: true },
    ]);
    expect(estimates({ trackedCount: 2_345, fleetSize: 150_001, changed: null })).toEqual([
      { strategy: 'batch_lookup', apiCalls: 2_345, complete: true, targeted: true },
      { strategy: 'full_listing', apiCalls: 151, complete: true, targeted: false },
    ]);
    expect(estimates({ trackedCount: 0, fleetSize: 0, changed: null })[1]?.apiCalls).toBe(1);
  });

  it('lists under “Fewest API calls” once the fleet is counted, and never under “Only devices in Satchel”', async () => {
    const counted: string[] = [];
    const sync = {
      ...intune.sync,
      countDevices: async () => {
        counted.push('count');
        return 40_000;
      },
    };
    const history = {
      lastCompletePassAt: null,
      lastSuccessAt: null,
      lastFleetSize: null,
      lastFleetCountAt: null,
      lastFleetCountScope: null,
    };
    const deps = { config: {} as never, log: silentLog };
    const input = { secret: '', trackedCount: 500, fullPass: true, history };
    const wide = await planRun(sync, deps, {
      ...input,
      settings: IntuneSettings.parse({ tenantId: 'district.org', requestScope: 'fewest_calls' }),
    });
    expect(wide).toMatchObject({ strategy: 'full_listing', apiCallsUsed: 1, estimate: { apiCalls: 41 } });
    const narrow = await planRun(sync, deps, {
      ...input,
      settings: IntuneSettings.parse({ tenantId: 'district.org' }),
    });
    expect(narrow).toMatchObject({ strategy: 'batch_lookup', apiCallsUsed: 0, estimate: { apiCalls: 500 } });
    expect(narrow.estimate.lookupNote).toMatch(/serial/);
    expect(counted).toEqual(['count']);
    expect(scopeEstimates(sync, { trackedCount: 500, fleetSize: 40_000, changedCount: null })).toMatchObject({
      tracked_only: { fullSync: 500, strategy: 'batch_lookup' },
      fewest_calls: { fullSync: 40, strategy: 'full_listing' },
    });
  });
});

describe('Intune settings and credentials', () => {
  it('takes a tenant ID or a verified domain, in lower case, and nothing else', () => {
    expect(IntuneSettings.parse({ tenantId: ` ${TENANT_ID.toUpperCase()} ` }).tenantId).toBe(TENANT_ID);
    expect(IntuneSettings.parse({ tenantId: 'District.ORG' })).toMatchObject({
      tenantId: 'district.org',
      authMethod: 'client_credentials',
      requestScope: 'tracked_only',
    });
    expect(IntuneSettings.parse({ tenantId: 'lusd.onmicrosoft.com' }).tenantId).toBe('lusd.onmicrosoft.com');
    for (const tenantId of [
      'organizations',
      'common',
      'https://district.org',
      'district',
      '../x.org',
      '',
      'a b.org',
    ])
      expect(IntuneSettings.safeParse({ tenantId }).success, tenantId).toBe(false);
    expect(IntuneSettings.safeParse({}).success).toBe(false);
  });

  it('takes a client secret or a certificate with its key, and says on which field what is missing', () => {
    const issues = (body: object) =>
      IntuneCredentials.safeParse(body).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(IntuneCredentials.safeParse({ clientId: CLIENT_ID, clientSecret: 's3cret' }).success).toBe(true);
    expect(
      IntuneCredentials.safeParse({
        clientId: CLIENT_ID,
        certificatePem: TEST_CERTIFICATE_PEM,
        privateKeyPem: TEST_PRIVATE_KEY_PEM,
      }).success,
    ).toBe(true);
    expect(issues({ clientId: CLIENT_ID })).toEqual([
      ['clientSecret', expect.stringMatching(/client secret, or the certificate/)],
    ]);
    expect(issues({ clientId: CLIENT_ID, clientSecret: 's', certificatePem: 'x' })).toEqual([
      ['clientSecret', expect.stringMatching(/not both/)],
    ]);
    expect(issues({ clientId: CLIENT_ID, certificatePem: TEST_CERTIFICATE_PEM })).toEqual([
      ['privateKeyPem', expect.stringMatching(/private key/)],
    ]);
    expect(issues({ clientId: CLIENT_ID, privateKeyPem: TEST_PRIVATE_KEY_PEM })).toEqual([
      ['certificatePem', expect.stringMatching(/certificate/)],
    ]);
    expect(issues({ clientId: 'my-app', clientSecret: 's' })?.[0]?.[0]).toBe('clientId');
    expect(issues({ clientId: CLIENT_ID, clientSecret: 's', tenantId: 'x' })?.[0]?.[0]).toBe('');
  });
});

describe('Intune client assertions', () => {
  const tokenUrl = `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/token`;

  it('signs RS256 with the certificate’s SHA-1 thumbprint, the token URL as audience and a fresh jti', async () => {
    const request = {
      clientId: CLIENT_ID,
      tokenUrl,
      certificatePem: TEST_CERTIFICATE_PEM,
      privateKeyPem: TEST_PRIVATE_KEY_PEM,
    };
    const assertion = await clientAssertion(request);
    const der = new X509Certificate(TEST_CERTIFICATE_PEM).raw;
    expect(decodeProtectedHeader(assertion)).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      x5t: createHash('sha1').update(der).digest('base64url'),
    });
    const { payload } = await jwtVerify(assertion, await importX509(TEST_CERTIFICATE_PEM, 'RS256'), {
      audience: tokenUrl,
      issuer: CLIENT_ID,
      subject: CLIENT_ID,
    });
    const now = Date.now() / 1000;
    expect(payload.nbf).toBeLessThanOrEqual(now);
    expect(payload.exp).toBeGreaterThan(now);
    expect((payload.exp as number) - (payload.nbf as number)).toBeLessThanOrEqual(600);
    expect(decodeJwt(await clientAssertion(request)).jti).not.toBe(payload.jti);
  });

  it('refuses before sending anything a certificate that expired, a key of another certificate, or text that is not PEM', () => {
    expect(() => checkCertificate(TEST_CERTIFICATE_PEM, TEST_PRIVATE_KEY_PEM)).not.toThrow();
    expect(() => checkCertificate(EXPIRED_TEST_CERTIFICATE_PEM, EXPIRED_TEST_PRIVATE_KEY_PEM)).toThrow(
      /expired on 2021/,
    );
    expect(() => checkCertificate(TEST_CERTIFICATE_PEM, EXPIRED_TEST_PRIVATE_KEY_PEM)).toThrow(
      /does not belong/,
    );
    expect(() => checkCertificate('not a certificate', TEST_PRIVATE_KEY_PEM)).toThrow(
      /not a PEM certificate/,
    );
    expect(() => checkCertificate(TEST_CERTIFICATE_PEM, 'not a key')).toThrow(/not a PEM private key/);
  });
});

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return { status, headers, text: JSON.stringify(body) };
}

describe('Intune failure classification', () => {
  const requester = { tenant: 'district.org', clientId: CLIENT_ID, hostedApp: false };
  const entra = (
    status: number,
    code: number,
    error = 'invalid_client',
    headers: Record<string, string> = {},
  ) =>
    classifyEntraFailure(
      new EntraRefusal(
        answer(status, { error, error_description: `AADSTS${code}: words`, error_codes: [code] }, headers),
        requester,
      ),
    );

  it('names what to fix for each refusal of the token endpoint, by its AADSTS number', () => {
    expect(entra(401, 7000215)).toEqual({
      kind: 'auth_revoked',
      message: expect.stringMatching(/Value, not its Secret ID/),
    });
    expect(entra(401, 7000222).message).toMatch(/client secret .* has expired/);
    expect(entra(400, 700016, 'unauthorized_client').message).toMatch(/has no app with the client ID/);
    expect(entra(400, 90002, 'invalid_request').message).toMatch(/knows no tenant district\.org/);
    expect(entra(400, 90002, 'invalid_tenant').message).toMatch(/knows no tenant district\.org/);
    expect(entra(401, 700027).message).toMatch(/did not accept the certificate/);
    expect(entra(401, 700024).message).toMatch(/clock/);
    expect(entra(401, 50027).message).toMatch(/client assertion/);
    expect(
      classifyEntraFailure(
        new EntraRefusal(answer(400, { error: 'unauthorized_client', error_codes: [700016] }), {
          ...requester,
          hostedApp: true,
        }),
      ).message,
    ).toMatch(/Satchel’s Microsoft app is not consented/);
  });

  it('retries Entra’s throttling and outages, after Retry-After when it says', () => {
    expect(entra(429, 90055, 'temporarily_unavailable', { 'Retry-After': '7' })).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 7000,
    });
    expect(entra(503, 90033, 'temporarily_unavailable')).toMatchObject({ kind: 'transient' });
    expect(
      classifyEntraFailure(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    ).toMatchObject({ kind: 'transient' });
  });

  it('branches on Graph’s status and code, never on its message', () => {
    const graph = (status: number, code: string, headers: Record<string, string> = {}) =>
      classifyGraphFailure(
        GraphRefusal.of(
          answer(status, { error: { code, message: 'anything at all', innerError: {} } }, headers),
        ),
      );
    expect(graph(429, 'TooManyRequests', { 'retry-after': '3' })).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 3000,
    });
    expect(graph(429, 'activityLimitReached')).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: undefined,
    });
    expect(graph(503, 'ServiceUnavailable', { 'Retry-After': '2' })).toMatchObject({
      kind: 'transient',
      retryAfterMs: 2000,
    });
    expect(graph(401, 'InvalidAuthenticationToken')).toMatchObject({ kind: 'auth_revoked' });
    expect(graph(403, 'Forbidden').message).toMatch(/DeviceManagementManagedDevices\.Read\.All/);
    expect(graph(400, 'BadRequest')).toMatchObject({
      kind: 'fatal',
      message: expect.stringMatching(/Intune licence/),
    });
    expect(classifyGraphFailure(new SyntaxError('Unexpected end'))).toMatchObject({ kind: 'malformed' });
    expect(classifyGraphFailure({ type: 'max-size' })).toMatchObject({ kind: 'malformed' });
  });
});

describe('Intune device mapping', () => {
  const [windows, ipad] = [
    generateFleet({ size: 1, seed: 4, serials: ['PF3ABC12'] })[0],
    generateFleet({ size: 1, seed: 5, serials: ['DMPXK2ABCDEF'] })[0],
  ];

  it('asks only for v1.0 properties, and never for beta-only managementState', () => {
    expect(DEVICE_PROPERTIES).not.toContain('managementState');
    for (const property of DEVICE_PROPERTIES) expect(windows).toHaveProperty(property);
  });

  it('fills the normalized fields from the managed device', () => {
    const device = {
      ...windows,
      lastSyncDateTime: '2026-11-20T13:58:02.1234567Z',
      serialNumber: ' pf3abc12 ',
    };
    const mapped = toProviderDevice(device);
    expect(mapped).toMatchObject({
      serialKey: 'PF3ABC12',
      providerDeviceId: windows?.id,
      fields: {
        lastCheckInAt: '2026-11-20T13:58:02.123Z',
        osName: windows?.operatingSystem,
        osVersion: windows?.osVersion,
        compliance: windows?.complianceState,
        model: windows?.model,
        primaryUser: windows?.userPrincipalName,
        enrolledAt: new Date(windows?.enrolledDateTime as string).toISOString(),
        ipAddress: null,
        supervised: null,
      },
      extras: {
        deviceName: windows?.deviceName,
        manufacturer: windows?.manufacturer,
        ownership: windows?.managedDeviceOwnerType,
        encrypted: windows?.isEncrypted,
        azureADDeviceId: windows?.azureADDeviceId,
      },
    });
    expect(mapped?.fields.macAddresses).toEqual(
      [windows?.wiFiMacAddress, windows?.ethernetMacAddress].filter(Boolean),
    );
    expect(Object.keys(mapped?.extras ?? {})).not.toContain('userDisplayName');
  });

  it('reads Intune’s empty values as unknown: no date, no user, no storage', () => {
    const mapped = toProviderDevice({
      id: 'd1',
      serialNumber: 'X1',
      lastSyncDateTime: '0001-01-01T00:00:00Z',
      enrolledDateTime: '0001-01-01T00:00:00Z',
      userPrincipalName: '',
      emailAddress: 'pat@district.org',
      totalStorageSpaceInBytes: 0,
      freeStorageSpaceInBytes: 0,
      operatingSystem: 'iPadOS',
      isSupervised: true,
    });
    expect(mapped?.fields).toMatchObject({
      lastCheckInAt: null,
      enrolledAt: null,
      primaryUser: 'pat@district.org',
      storageTotalBytes: null,
      storageFreeBytes: null,
      supervised: true,
    });
    expect(toProviderDevice({ ...ipad, operatingSystem: 'iOS' })?.fields.supervised).toBe(ipad?.isSupervised);
  });

  it('skips a record without a serial, and calls a device that is not an object malformed', () => {
    expect(toProviderDevice({ id: 'd2', serialNumber: '' })).toBeNull();
    expect(toProviderDevice({ serialNumber: 'X2' })).toBeNull();
    expect(() => toProviderDevice('device')).toThrow(SyntaxError);
  });

  it('links to the device in the Intune admin center, in the district’s tenant', () => {
    expect(
      intune.consoleUrl?.(
        { providerDeviceId: 'abc-123', extras: {} },
        IntuneSettings.parse({ tenantId: 'district.org' }),
      ),
    ).toBe(
      'https://intune.microsoft.com/district.org/#view/Microsoft_Intune_Devices/DeviceSettingsMenuBlade/~/overview/mdmDeviceId/abc-123',
    );
  });
});

import type { Authorization, ProviderDeps, ProviderSettings } from '../../provider.ts';
import { checkCertificate } from './assertion.ts';
import { authorizationOf, refusalsAsInvalid, testDeviceAccess } from './connection-test.ts';
import type { StoredSecret } from './secret.ts';
import { IntuneCredentials, IntuneSettings } from './settings.ts';
import { tenantIdOf } from './tenant.ts';

/**
 * An app registration of the district's, with its client secret or its certificate: the certificate is checked
 * here first, the tenant's ID is looked up (an unknown tenant is refused before any credential is sent), and a
 * token and one device lookup test the rest.
 */
export async function acceptCredentials(
  deps: ProviderDeps,
  raw: Record<string, unknown>,
  rawSettings: ProviderSettings,
): Promise<Authorization> {
  const credentials = IntuneCredentials.parse(raw);
  const settings = IntuneSettings.parse(rawSettings);
  const clientId = credentials.clientId.toLowerCase();
  if (credentials.certificatePem && credentials.privateKeyPem)
    checkCertificate(credentials.certificatePem, credentials.privateKeyPem);
  const tenant = {
    tenantId: await refusalsAsInvalid(tenantIdOf(deps, settings.tenantId, AbortSignal.timeout(30_000))),
    tenantEntered: settings.tenantId,
  };
  const stored: StoredSecret =
    credentials.clientSecret !== undefined
      ? { kind: 'client_secret', ...tenant, clientId, clientSecret: credentials.clientSecret }
      : {
          kind: 'certificate',
          ...tenant,
          clientId,
          certificatePem: credentials.certificatePem as string,
          privateKeyPem: credentials.privateKeyPem as string,
        };
  const secret = JSON.stringify(stored);
  const accessCache = await testDeviceAccess(deps, secret, stored);
  return authorizationOf(secret, `App ${clientId} in ${settings.tenantId}`, accessCache);
}

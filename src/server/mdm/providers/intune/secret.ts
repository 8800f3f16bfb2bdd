import { z } from 'zod';
import { ProviderError } from '../../../errors.ts';
import type { IntuneSettings } from './settings.ts';

/**
 * What a connection stores (encrypted) once authorized. Every kind names the tenant by its ID, as resolved when
 * it was authorized, and the tenant as the settings named it then: a later change of the settings' tenant asks
 * for a new authorization instead of sending the old credentials to another tenant. Admin consent stores no
 * credential at all: the hosted app's secret stays in Satchel's configuration.
 */
const Tenant = { tenantId: z.string(), tenantEntered: z.string() };

export const StoredSecret = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('client_secret'), ...Tenant, clientId: z.string(), clientSecret: z.string() }),
  z.object({
    kind: z.literal('certificate'),
    ...Tenant,
    clientId: z.string(),
    certificatePem: z.string(),
    privateKeyPem: z.string(),
  }),
  z.object({ kind: z.literal('admin_consent'), ...Tenant }),
]);
export type StoredSecret = z.infer<typeof StoredSecret>;

export function parseStoredSecret(secret: string): StoredSecret {
  return StoredSecret.parse(JSON.parse(secret));
}

/** The stored authorization, refused when the settings now name another tenant than the one it was made for. */
export function storedFor(secret: string, settings: Pick<IntuneSettings, 'tenantId'>): StoredSecret {
  const stored = parseStoredSecret(secret);
  if (settings.tenantId !== stored.tenantId && settings.tenantId !== stored.tenantEntered)
    throw new ProviderError(
      'auth_revoked',
      `The settings name the tenant ${settings.tenantId}, but Intune was authorized for ${stored.tenantEntered}: authorize again for the new tenant`,
    );
  return stored;
}

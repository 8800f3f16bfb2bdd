import { ProviderError } from '../../../errors.ts';
import { requestText } from '../../http/request.ts';
import { withRetries } from '../../http/retry.ts';
import type { ProviderDeps } from '../../provider.ts';
import { isObject, MAX_RESPONSE_BYTES } from './answers.ts';
import { intuneConfig } from './config.ts';
import { classifyEntraFailure, EntraRefusal } from './entra.ts';
import { isGuid } from './settings.ts';

const GUID_SEGMENT = /\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\//i;

/** The tenant's token endpoint, by the tenant's ID or domain. */
export function tokenUrl(deps: Pick<ProviderDeps, 'config'>, tenant: string): string {
  return `${intuneConfig(deps.config).loginUrl}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
}

/**
 * The tenant's ID (a GUID, lower case) for the tenant the settings name, which may be one of its domains:
 * Entra answers admin consent with the ID, and Satchel stores the ID. A domain is looked up in the tenant's
 * public OpenID Connect metadata, whose endpoints name the tenant by ID; an unknown tenant is refused as
 * Entra refuses it (AADSTS90002), before any credential is sent.
 */
export async function tenantIdOf(deps: ProviderDeps, tenant: string, signal: AbortSignal): Promise<string> {
  if (isGuid(tenant)) return tenant.toLowerCase();
  const url = `${intuneConfig(deps.config).loginUrl}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`;
  const { value: metadata } = await withRetries(
    async () => {
      const response = await requestText('GET', url, { accept: 'application/json' }, null, {
        signal,
        maxBytes: MAX_RESPONSE_BYTES,
      });
      if (response.status !== 200) throw new EntraRefusal(response, { tenant });
      return JSON.parse(response.text) as unknown;
    },
    classifyEntraFailure,
    { signal, log: deps.log, maxRetries: 2 },
  );
  const endpoint = isObject(metadata) ? metadata.token_endpoint : undefined;
  const id = typeof endpoint === 'string' ? GUID_SEGMENT.exec(endpoint)?.[1] : undefined;
  if (!id)
    throw new ProviderError('malformed', `Microsoft Entra ID’s metadata for ${tenant} names no tenant ID`);
  return id.toLowerCase();
}

import { z } from 'zod';
import { ProviderError } from '../../../errors.ts';
import type { ProviderSettings } from '../../provider.ts';
import { JamfProSettings } from './settings.ts';

/** A Jamf Pro API client (Settings › API roles and clients) and the Jamf Pro it was entered for. */
export interface ApiClient {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

const StoredClient = z.object({
  kind: z.literal('api_client'),
  baseUrl: z.string(),
  clientId: z.string(),
  clientSecret: z.string(),
});

/** What the connection stores, encrypted: the client with the URL it was tested against. */
export function storedSecretOf(client: ApiClient): string {
  return JSON.stringify({ kind: 'api_client', ...client });
}

/**
 * The Jamf Pro a URL names, for telling instances apart (the limiter's unit) and comparing URLs: origin and
 * path, with the host in lower case and no trailing slash.
 */
export function instanceOf(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return baseUrl;
  }
}

/**
 * The stored client, for the connection's current settings. A client secret is only ever sent to the Jamf Pro
 * it was entered for: once the URL is changed, the connection needs the client again (the new URL's own).
 */
export function clientFor(secret: string, settings: ProviderSettings): ApiClient {
  const stored = StoredClient.parse(JSON.parse(secret));
  const { baseUrl } = JamfProSettings.parse(settings);
  if (instanceOf(stored.baseUrl) !== instanceOf(baseUrl)) {
    throw new ProviderError(
      'auth_revoked',
      'The Jamf Pro URL changed after the API client was entered: enter the client ID and secret again for the new URL',
    );
  }
  return { baseUrl, clientId: stored.clientId, clientSecret: stored.clientSecret };
}

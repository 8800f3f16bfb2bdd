import { createHash } from 'node:crypto';
import { admin, type admin_directory_v1 } from '@googleapis/admin';
import { JWT, type OAuth2Client } from 'google-auth-library';
import type { ProviderDeps } from '../../provider.ts';
import { CHROMEOS_READONLY_SCOPE, oauthClient, parseStoredSecret } from './auth.ts';
import { googleConfig } from './config.ts';

/** The token URL the service-account client (gtoken) hard-codes; it has no option to change it. */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** Sends the service-account token request to the configured token endpoint (a fake in tests and demos). */
function redirectTokenRequests(client: JWT, { config }: ProviderDeps): JWT {
  client.transporter.interceptors.request.add({
    resolved: async (request) => {
      const { tokenUrl } = googleConfig(config);
      if (request.url.toString() === GOOGLE_TOKEN_URL && tokenUrl !== GOOGLE_TOKEN_URL) {
        request.url = new URL(tokenUrl);
      }
      return request;
    },
  });
  return client;
}

const clients = new Map<string, OAuth2Client>();
const MAX_CACHED_CLIENTS = 500;

/**
 * An authenticated client from the stored secret: a refresh token, or a service-account key and subject.
 * Clients are reused, so an access token serves many calls and concurrent calls share one refresh.
 */
export function authClientFor(deps: ProviderDeps, secret: string): OAuth2Client {
  const key = createHash('sha256')
    .update(googleConfig(deps.config).tokenUrl)
    .update('\0')
    .update(secret)
    .digest('hex');
  const cached = clients.get(key);
  if (cached) return cached;
  const client = newAuthClient(deps, secret);
  if (clients.size >= MAX_CACHED_CLIENTS) clients.delete(clients.keys().next().value as string);
  clients.set(key, client);
  return client;
}

function newAuthClient(deps: ProviderDeps, secret: string): OAuth2Client {
  const stored = parseStoredSecret(secret);
  if (stored.kind === 'oauth') {
    const client = oauthClient(deps);
    client.setCredentials({ refresh_token: stored.refreshToken });
    return client;
  }
  const client = new JWT({
    email: stored.clientEmail,
    key: stored.privateKey,
    subject: stored.subject,
    scopes: [CHROMEOS_READONLY_SCOPE],
    forceRefreshOnFailure: true,
  });
  return redirectTokenRequests(client, deps);
}

const directories = new WeakMap<OAuth2Client, Map<string, admin_directory_v1.Admin>>();

/** The Directory API client of an authenticated client, built once: it is a large tree of methods. */
export function directoryFor(deps: ProviderDeps, auth: OAuth2Client): admin_directory_v1.Admin {
  const rootUrl = googleConfig(deps.config).apiRootUrl;
  let byRoot = directories.get(auth);
  if (!byRoot) {
    byRoot = new Map();
    directories.set(auth, byRoot);
  }
  let directory = byRoot.get(rootUrl);
  if (!directory) {
    directory = admin({ version: 'directory_v1', auth, rootUrl });
    byRoot.set(rootUrl, directory);
  }
  return directory;
}

const refreshing = new WeakMap<OAuth2Client, Promise<unknown>>();

/**
 * OA-4: after a 401, one refresh per client however many calls saw it. A call whose token was already
 * replaced by another call's refresh just retries with the new one.
 */
export async function refreshAfterRejection(
  client: OAuth2Client,
  rejectedToken: string | null | undefined,
): Promise<void> {
  if (client.credentials.access_token && client.credentials.access_token !== rejectedToken) return;
  let pending = refreshing.get(client);
  if (!pending) {
    client.setCredentials({ ...client.credentials, access_token: null, expiry_date: null });
    pending = client.getAccessToken().finally(() => refreshing.delete(client));
    refreshing.set(client, pending);
  }
  await pending;
}

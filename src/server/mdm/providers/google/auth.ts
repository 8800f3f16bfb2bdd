import { createPrivateKey } from 'node:crypto';
import { type Credentials, OAuth2Client } from 'google-auth-library';
import { z } from 'zod';
import type { Config } from '../../../config.ts';
import { Invalid, ProviderError } from '../../../errors.ts';
import type { Authorization, ProviderDeps } from '../../provider.ts';
import { googleConfig } from './config.ts';

export const CHROMEOS_READONLY_SCOPE =
  'https://www.googleapis.com/auth/admin.directory.device.chromeos.readonly';
/** `openid email` only to learn which account authorized; the device scope is the one that matters. */
export const OAUTH_SCOPES = [CHROMEOS_READONLY_SCOPE, 'openid', 'email'] as const;

export function oauthClient({ config }: ProviderDeps, redirectUri?: string): OAuth2Client {
  const google = googleConfig(config);
  return new OAuth2Client({
    clientId: google.clientId,
    clientSecret: google.clientSecret,
    // A 401 on a token that has not expired yet (revoked, rotated) gets one refresh before it counts.
    forceRefreshOnFailure: true,
    ...(redirectUri ? { redirectUri } : {}),
    endpoints: {
      oauth2AuthBaseUrl: google.authUrl,
      oauth2TokenUrl: google.tokenUrl,
      oauth2RevokeUrl: google.revokeUrl,
    },
  });
}

export function oauthUnavailableReason(config: Config): string | null {
  const { clientId, clientSecret } = googleConfig(config);
  return clientId && clientSecret
    ? null
    : 'No Google OAuth client is configured: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (see the setup guide), or use a service account';
}

export function authorizationUrl(
  deps: ProviderDeps,
  request: { state: string; codeChallenge: string; redirectUri: string },
): string {
  return oauthClient(deps, request.redirectUri).generateAuthUrl({
    access_type: 'offline',
    prompt: 'consent',
    scope: [...OAUTH_SCOPES],
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256' as never,
    include_granted_scopes: false,
  });
}

/** The email claim of an ID token that came straight from Google's token endpoint over TLS. */
function emailOf(idToken: string | null | undefined): string | null {
  const payload = idToken?.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { email?: unknown };
    return typeof claims.email === 'string' ? claims.email : null;
  } catch {
    return null;
  }
}

/** An access token and when it expires (ms since the epoch), as kept between runs and processes. */
export const CachedToken = z.object({ accessToken: z.string().min(1), expiresAt: z.number() });

/** The access token these credentials hold, in the form kept between runs, or null without one. */
export function cachedTokenOf(credentials: Credentials): string | null {
  const { access_token: accessToken, expiry_date: expiresAt } = credentials;
  return accessToken && expiresAt ? JSON.stringify({ accessToken, expiresAt }) : null;
}

/** The browser came back from Google's consent screen with a code: exchanged for a refresh token. */
export async function exchangeCode(
  deps: ProviderDeps,
  request: { query: Readonly<Record<string, string | undefined>>; codeVerifier: string; redirectUri: string },
): Promise<Authorization> {
  const code = request.query.code;
  if (!code) throw new Invalid('Google did not complete the authorization (no code); start it again');
  const client = oauthClient(deps, request.redirectUri);
  let tokens: Credentials;
  try {
    ({ tokens } = await client.getToken({
      code,
      codeVerifier: request.codeVerifier,
      redirect_uri: request.redirectUri,
    }));
  } catch (error) {
    const reason =
      (error as { response?: { data?: { error?: string } } }).response?.data?.error ?? 'request_failed';
    throw new ProviderError(
      'auth_revoked',
      `Google refused the authorization code (${reason}); start the authorization again`,
    );
  }
  const grantedScopes = (tokens.scope ?? '').split(/\s+/).filter(Boolean);
  // Users can untick scopes on the consent screen; a connection without the device scope would half-work.
  if (!grantedScopes.includes(CHROMEOS_READONLY_SCOPE)) {
    if (tokens.access_token) await client.revokeToken(tokens.access_token).catch(() => undefined);
    throw new Invalid('Google did not grant read access to ChromeOS devices; authorize again and allow it', {
      reason: 'scope_missing',
    });
  }
  if (!tokens.refresh_token) {
    throw new ProviderError(
      'malformed',
      'Google returned no refresh token; remove Satchel’s access in the Google account and authorize again',
    );
  }
  return {
    secret: JSON.stringify({ kind: 'oauth', refreshToken: tokens.refresh_token }),
    account: emailOf(tokens.id_token),
    grantedScopes,
    accessCache: cachedTokenOf(tokens),
  };
}

const StoredSecret = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('oauth'), refreshToken: z.string() }),
  z.object({
    kind: z.literal('service_account'),
    clientEmail: z.string(),
    privateKey: z.string(),
    subject: z.string(),
  }),
]);
export type StoredSecret = z.infer<typeof StoredSecret>;

export function parseStoredSecret(secret: string): StoredSecret {
  return StoredSecret.parse(JSON.parse(secret));
}

export async function revoke(deps: ProviderDeps, secret: string): Promise<void> {
  const stored = parseStoredSecret(secret);
  // Service-account keys cannot be revoked by Satchel; the admin deletes the key in Google Cloud.
  if (stored.kind !== 'oauth') return;
  await oauthClient(deps).revokeToken(stored.refreshToken);
}

const ServiceAccountKey = z.object({
  type: z.literal('service_account', {
    error: 'This is not a service-account key (its "type" must be "service_account")',
  }),
  client_email: z.email({ error: 'The key has no valid client_email' }),
  private_key: z.string({ error: 'The key has no private_key' }).min(1),
});

export function acceptServiceAccountKey(key: unknown, impersonatedAdmin: string): Authorization {
  let json: unknown = key;
  if (typeof key === 'string') {
    try {
      json = JSON.parse(key);
    } catch {
      throw new Invalid('The key file is not JSON; upload the JSON key downloaded from Google Cloud');
    }
  }
  const parsed = ServiceAccountKey.safeParse(json);
  if (!parsed.success)
    throw new Invalid(parsed.error.issues[0]?.message ?? 'The key file is not a service-account key');
  try {
    createPrivateKey(parsed.data.private_key);
  } catch {
    throw new Invalid('The key’s private_key is not a valid PEM private key');
  }
  return {
    secret: JSON.stringify({
      kind: 'service_account',
      clientEmail: parsed.data.client_email,
      privateKey: parsed.data.private_key,
      subject: impersonatedAdmin,
    }),
    account: `${parsed.data.client_email} as ${impersonatedAdmin}`,
    grantedScopes: [CHROMEOS_READONLY_SCOPE],
  };
}

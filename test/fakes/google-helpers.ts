import { admin } from '@googleapis/admin';
import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import { CHROMEOS_READONLY_SCOPE, type FakeGoogle } from '../../fakes/google/index.ts';

/** An OAuth2Client for the fake's default web client, pointed at the fake through `endpoints` only. */
export function oauthClient(
  fake: FakeGoogle,
  redirectUri = fake.defaultClient.redirectUris[0],
): OAuth2Client {
  return new OAuth2Client({
    clientId: fake.defaultClient.clientId,
    clientSecret: fake.defaultClient.clientSecret,
    redirectUri,
    endpoints: {
      oauth2AuthBaseUrl: fake.authUrl,
      oauth2TokenUrl: fake.tokenUrl,
      oauth2RevokeUrl: fake.revokeUrl,
      tokenInfoUrl: fake.tokenInfoUrl,
    },
  });
}

export interface AuthorizeOptions {
  scopes?: string[];
  email?: string;
  accessType?: 'online' | 'offline';
  prompt?: string;
  grantScopes?: string[];
  state?: string;
}

/** Runs the whole web flow with PKCE S256 and returns a client holding the tokens. */
export async function authorize(fake: FakeGoogle, options: AuthorizeOptions = {}) {
  const client = oauthClient(fake);
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
  const state = options.state ?? 'state-123';
  const url = client.generateAuthUrl({
    access_type: options.accessType ?? 'offline',
    prompt: options.prompt ?? 'consent',
    scope: options.scopes ?? [CHROMEOS_READONLY_SCOPE],
    state,
    code_challenge: codeChallenge,
    code_challenge_method: CodeChallengeMethod.S256,
  });
  const redirect = new URL(
    fake.approve(url, {
      ...(options.email ? { email: options.email } : {}),
      ...(options.grantScopes ? { grantScopes: options.grantScopes } : {}),
    }),
  );
  const code = redirect.searchParams.get('code');
  if (!code) throw new Error(`no code in ${redirect}`);
  const { tokens } = await client.getToken({ code, codeVerifier });
  client.setCredentials(tokens);
  return { client, tokens, redirect, url, codeVerifier, code };
}

export function directory(fake: FakeGoogle, auth: OAuth2Client) {
  return admin({ version: 'directory_v1', auth, rootUrl: fake.apiRootUrl });
}

/** Error details of a rejected gaxios call. */
export async function failure(
  promise: Promise<unknown>,
): Promise<{ status: number; data: unknown; headers: Headers }> {
  try {
    await promise;
  } catch (error) {
    const response = (error as { response?: { status: number; data: unknown; headers: Headers } }).response;
    if (response) return { status: response.status, data: response.data, headers: response.headers };
    throw error;
  }
  throw new Error('expected the call to fail');
}

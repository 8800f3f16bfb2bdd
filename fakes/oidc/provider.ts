import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type Configuration } from 'oidc-provider';
import type { SigningKey } from './tokens.ts';

export interface FakeOidcAccount {
  email: string;
  name: string;
  /** Google Workspace: the account's domain. */
  hd?: string;
  /** Entra ID: the account's tenant id. */
  tid?: string;
}

export interface FakeOidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/**
 * A real, conformant OpenID provider (oidc-provider) for one issuer: discovery, JWKS, authorization code with
 * PKCE, and ID tokens carrying `hd` or `tid`. Sign-in is not interactive: the interaction page signs in the
 * account the request's `login_hint` names (or the one chosen with `signInAs`).
 */
export function createProvider(options: {
  issuer: string;
  key: SigningKey;
  clients: FakeOidcClient[];
  accounts: Map<string, FakeOidcAccount>;
  interactionPath: (uid: string) => string;
}): Provider {
  const configuration: Configuration = {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    jwks: { keys: [options.key.jwk] },
    claims: { openid: ['sub', 'hd', 'tid'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => options.interactionPath(interaction.uid) },
    cookies: { keys: ['fake-oidc-cookie-key'] },
    async findAccount(_ctx, sub) {
      const account = options.accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: account.email,
          email_verified: true,
          name: account.name,
          ...(account.hd ? { hd: account.hd } : {}),
          ...(account.tid ? { tid: account.tid } : {}),
        }),
      };
    },
  };
  const provider = new Provider(options.issuer, configuration);
  provider.proxy = false;
  return provider;
}

/** Finishes a login and consent interaction at once for the chosen account. */
export async function completeInteraction(
  provider: Provider,
  request: IncomingMessage,
  response: ServerResponse,
  chooseAccount: (loginHint: string | undefined) => string | undefined,
): Promise<void> {
  const details = await provider.interactionDetails(request, response);
  const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : undefined;
  const accountId = chooseAccount(hint);
  if (!accountId) {
    await provider.interactionFinished(
      request,
      response,
      { error: 'access_denied', error_description: 'No such account at this fake provider' },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
  grant.addOIDCScope(String(details.params.scope));
  const grantId = await grant.save();
  await provider.interactionFinished(
    request,
    response,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ProviderError } from '../../../errors.ts';
import { requestText } from '../../http/request.ts';
import { withRetries } from '../../http/retry.ts';
import type { ProviderDeps } from '../../provider.ts';
import { isObject, MAX_RESPONSE_BYTES } from './answers.ts';
import { clientAssertion, JWT_BEARER } from './assertion.ts';
import { intuneConfig } from './config.ts';
import { classifyEntraFailure, EntraRefusal, type TokenRequester } from './entra.ts';
import type { StoredSecret } from './secret.ts';
import { tokenUrl } from './tenant.ts';

/** Graph's own resource, whatever address Graph is reached at (a fake's in tests): Entra knows only this one. */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** An access token and when it expires (ms since the epoch), as kept between runs and processes. */
export const AccessToken = z.object({ accessToken: z.string().min(1), expiresAt: z.number() });
export type AccessToken = z.infer<typeof AccessToken>;

/** A token this close to its end is replaced rather than sent: a page's request must not outlive it. */
const EXPIRY_MARGIN_MS = 5 * 60_000;
const MAX_HELD_TOKENS = 500;

/** The app that asks for the tokens: the district's app registration, or Satchel's hosted app. */
function requesterOf(deps: Pick<ProviderDeps, 'config'>, stored: StoredSecret): TokenRequester {
  if (stored.kind !== 'admin_consent')
    return { tenant: stored.tenantEntered, clientId: stored.clientId, hostedApp: false };
  const { clientId } = intuneConfig(deps.config);
  if (!clientId)
    throw new ProviderError(
      'auth_revoked',
      'Intune was authorized through Satchel’s Microsoft app, which is no longer configured (MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET): configure it again, or authorize with an app registration’s credentials',
    );
  return { tenant: stored.tenantEntered, clientId, hostedApp: true };
}

/** How the app proves itself: its secret, a client assertion signed with its certificate, or the hosted app's secret. */
async function clientProof(
  deps: Pick<ProviderDeps, 'config'>,
  stored: StoredSecret,
  url: string,
): Promise<Record<string, string>> {
  switch (stored.kind) {
    case 'client_secret':
      return { client_secret: stored.clientSecret };
    case 'certificate':
      return {
        client_assertion_type: JWT_BEARER,
        client_assertion: await clientAssertion({ ...stored, tokenUrl: url }),
      };
    case 'admin_consent':
      return { client_secret: intuneConfig(deps.config).clientSecret ?? '' };
  }
}

/** One client-credentials token request for Graph in the stored tenant; throws `EntraRefusal` when refused. */
async function requestAccessToken(
  deps: Pick<ProviderDeps, 'config'>,
  stored: StoredSecret,
  signal: AbortSignal,
): Promise<AccessToken> {
  const requester = requesterOf(deps, stored);
  const url = tokenUrl(deps, stored.tenantId);
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: requester.clientId,
    scope: GRAPH_SCOPE,
    ...(await clientProof(deps, stored, url)),
  });
  const asked = Date.now();
  const response = await requestText(
    'POST',
    url,
    { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    form.toString(),
    { signal, maxBytes: MAX_RESPONSE_BYTES },
  );
  if (response.status !== 200) throw new EntraRefusal(response, requester);
  const body = JSON.parse(response.text) as unknown;
  const lifetime = isObject(body) ? Number(body.expires_in) : Number.NaN;
  if (!isObject(body) || typeof body.access_token !== 'string' || !Number.isFinite(lifetime))
    throw new ProviderError('malformed', 'Microsoft Entra ID returned a token answer of an unexpected shape');
  return { accessToken: body.access_token, expiresAt: asked + lifetime * 1000 };
}

/** Tokens this process holds, by connection secret (and the endpoints and hosted app it was asked of). */
const held = new Map<string, AccessToken>();
const asking = new Map<string, Promise<AccessToken>>();

function keyOf(deps: Pick<ProviderDeps, 'config'>, secret: string): string {
  const { loginUrl, clientId } = intuneConfig(deps.config);
  return createHash('sha256')
    .update(`${loginUrl}\0${clientId ?? ''}\0${secret}`)
    .digest('hex');
}

function usable(token: AccessToken | undefined): token is AccessToken {
  return token !== undefined && token.expiresAt - EXPIRY_MARGIN_MS > Date.now();
}

/** Keeps a token another process obtained, unless this process holds one that lasts longer. */
export function keepToken(deps: Pick<ProviderDeps, 'config'>, secret: string, token: AccessToken): void {
  const key = keyOf(deps, secret);
  if ((held.get(key)?.expiresAt ?? 0) >= token.expiresAt) return;
  if (held.size >= MAX_HELD_TOKENS) held.delete(held.keys().next().value as string);
  held.set(key, token);
}

/**
 * A token for Graph: the one this process holds while it is good, else a new one (one request however many
 * callers ask at once). `rejected` is a token Graph just refused although unexpired (a consent or secret
 * removed): it is not handed out again. A refused request throws the `ProviderError` that says what to fix.
 */
export async function accessTokenFor(
  deps: ProviderDeps,
  secret: string,
  stored: StoredSecret,
  options: { signal: AbortSignal; rejected?: string; maxRetries?: number },
): Promise<AccessToken> {
  const key = keyOf(deps, secret);
  const current = held.get(key);
  if (usable(current) && current.accessToken !== options.rejected) return current;
  let pending = asking.get(key);
  if (!pending) {
    pending = withRetries(() => requestAccessToken(deps, stored, options.signal), classifyEntraFailure, {
      signal: options.signal,
      log: deps.log,
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    })
      .then(({ value }) => {
        held.delete(key);
        keepToken(deps, secret, value);
        return value;
      })
      .finally(() => asking.delete(key));
    asking.set(key, pending);
  }
  return pending;
}

import * as client from 'openid-client';
import type { SignInProvider } from '../../common/sign-in.ts';
import type { Config } from '../config.ts';
import { Invalid } from '../errors.ts';

const discovered = new Map<string, Promise<client.Configuration>>();

/** Google has one issuer; each Entra ID tenant is its own (`{authority}/{tenant}/v2.0`). */
export function issuerFor(config: Config, provider: SignInProvider, tenantId: string | null): string {
  const providers = config.signInProviders;
  if (provider === 'google') return providers.google.issuer;
  return `${providers.microsoft.authority}/${tenantId}/v2.0`;
}

/**
 * The issuer's discovered configuration for Satchel's client, cached per issuer. ID tokens are verified
 * against the issuer's JWKS (signature), and by openid-client for issuer, audience, expiry and nonce.
 */
export function oidcClient(
  config: Config,
  provider: SignInProvider,
  tenantId: string | null,
): Promise<client.Configuration> {
  const { clientId, clientSecret } = config.signInProviders[provider];
  if (!clientId || !clientSecret) throw new Invalid(`${provider} sign-in is not configured on this server`);
  const issuer = issuerFor(config, provider, tenantId);
  const key = `${issuer} ${clientId}`;
  let configuration = discovered.get(key);
  if (!configuration) {
    const insecure = issuer.startsWith('http://');
    configuration = client.discovery(new URL(issuer), clientId, clientSecret, undefined, {
      execute: [client.enableNonRepudiationChecks, ...(insecure ? [client.allowInsecureRequests] : [])],
    });
    configuration.catch(() => discovered.delete(key));
    discovered.set(key, configuration);
  }
  return configuration;
}

import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { AuthMethod, ProviderKey } from '../../common/mdm.ts';
import type { Config } from '../config.ts';

/**
 * The plug-in contract every MDM provider implements (types only). A provider never touches the database:
 * it receives settings and its decrypted secret, and returns what the connection stores.
 */
export interface ProviderDeps {
  config: Config;
  log: FastifyBaseLogger;
}

/** What a successful authorization leaves behind; `secret` is stored encrypted and never leaves the server. */
export interface Authorization {
  secret: string;
  account: string | null;
  grantedScopes: string[];
}

export interface OAuthCapability {
  scopes: readonly string[];
  /** Why OAuth cannot be used right now (e.g. no client configured), or null. */
  unavailableReason(deps: ProviderDeps): string | null;
  authorizationUrl(
    deps: ProviderDeps,
    request: { state: string; codeChallenge: string; redirectUri: string },
  ): string;
  exchangeCode(
    deps: ProviderDeps,
    request: { code: string; codeVerifier: string; redirectUri: string },
  ): Promise<Authorization>;
  /** Tells the provider the stored authorization is no longer wanted. */
  revoke(deps: ProviderDeps, secret: string): Promise<void>;
}

export interface ServiceAccountCapability {
  /** Validates an uploaded key and returns what to store; throws `Invalid` with a clear reason. */
  acceptKey(key: unknown, impersonatedAdmin: string): Authorization;
  /** One cheap call proving the stored authorization works, before the connection becomes active. */
  testConnection(deps: ProviderDeps, secret: string, settings: Record<string, unknown>): Promise<void>;
}

export interface ProviderDefinition {
  key: ProviderKey;
  name: string;
  description: string;
  /** Path of the setup guide in the repository's docs. */
  guide: string;
  authMethods: readonly AuthMethod[];
  /** The provider's settings with defaults filled in; throws a ZodError for bad values. */
  settings: z.ZodType<Record<string, unknown> & { authMethod: AuthMethod }>;
  oauth?: OAuthCapability;
  serviceAccount?: ServiceAccountCapability;
}

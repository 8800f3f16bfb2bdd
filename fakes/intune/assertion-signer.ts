/**
 * Builds a signed `client_assertion` the way MSAL does, for tests and demos that need one without pulling
 * in a JWT library. Every part can be overridden so a test can break exactly one thing.
 */
import { constants, createHash, randomUUID, sign, X509Certificate } from 'node:crypto';

export interface ClientAssertionOptions {
  clientId: string;
  /** The token URL, e.g. `${fake.loginUrl}/${tenant}/oauth2/v2.0/token`. */
  audience: string;
  privateKeyPem: string;
  certificatePem: string;
  /** Which thumbprint header names the certificate (default `x5t#S256`, as the current docs say). */
  thumbprint?: 'x5t' | 'x5t#S256';
  algorithm?: 'RS256' | 'PS256';
  /** ms since the epoch (default: Date.now()). */
  now?: number;
  lifetimeSeconds?: number;
  jti?: string;
  /** Merged over the standard claims. */
  claims?: Record<string, unknown>;
  /** Merged over the standard header. */
  header?: Record<string, unknown>;
}

export function createClientAssertion(options: ClientAssertionOptions): string {
  const algorithm = options.algorithm ?? 'RS256';
  const der = new X509Certificate(options.certificatePem).raw;
  const thumbprint = options.thumbprint ?? 'x5t#S256';
  const digest = createHash(thumbprint === 'x5t' ? 'sha1' : 'sha256')
    .update(der)
    .digest('base64url');
  const header = { alg: algorithm, typ: 'JWT', [thumbprint]: digest, ...options.header };
  const issuedAt = Math.floor((options.now ?? Date.now()) / 1000);
  const claims = {
    aud: options.audience,
    iss: options.clientId,
    sub: options.clientId,
    jti: options.jti ?? randomUUID(),
    nbf: issuedAt,
    iat: issuedAt,
    exp: issuedAt + (options.lifetimeSeconds ?? 600),
    ...options.claims,
  };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signedPart = `${encode(header)}.${encode(claims)}`;
  const key =
    algorithm === 'PS256'
      ? {
          key: options.privateKeyPem,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        }
      : options.privateKeyPem;
  return `${signedPart}.${sign('sha256', Buffer.from(signedPart), key).toString('base64url')}`;
}

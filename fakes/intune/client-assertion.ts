/**
 * Certificate credentials: the `client_assertion` JWT a confidential client signs instead of sending a
 * secret (entra-docs `certificate-credentials.md`). Checked as Entra does: RS256 or PS256, the certificate
 * named by `x5t` (SHA-1) or `x5t#S256` in the header must be registered on the app and unexpired, the
 * signature must verify, `iss` = `sub` = client ID, `aud` = this tenant's token URL, `nbf`/`exp` around now
 * (5 minutes' leeway), and a `jti` may be used once.
 */
import { constants, verify } from 'node:crypto';
import type { AppRegistration, RegisteredCertificate } from './directory.ts';
import { type EntraError, entraErrors } from './entra-errors.ts';

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const CLOCK_SKEW_MS = 5 * 60_000;

interface DecodedAssertion {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signedPart: string;
  signature: Buffer;
}

/** Remembers used `jti` values until their assertion expires. */
export class UsedAssertions {
  private readonly seen = new Map<string, number>();

  has(clientId: string, jti: string): boolean {
    return this.seen.has(`${clientId}|${jti}`);
  }

  remember(clientId: string, jti: string, until: number, now: number): void {
    if (this.seen.size > 10_000) for (const [key, end] of this.seen) if (end < now) this.seen.delete(key);
    this.seen.set(`${clientId}|${jti}`, until);
  }
}

export interface AssertionCheck {
  app: AppRegistration;
  /** Token URLs this tenant answers to (by ID and by each domain). */
  audiences: string[];
  now: number;
  used: UsedAssertions;
}

/** Undefined when the assertion is good (and its `jti` is then spent). */
export function checkClientAssertion(assertion: string, check: AssertionCheck): EntraError | undefined {
  const decoded = decode(assertion);
  if (!decoded) return entraErrors.malformedAssertion('Token format is not valid.');
  const { header, claims } = decoded;
  const algorithm = header.alg;
  if (algorithm !== 'RS256' && algorithm !== 'PS256')
    return entraErrors.malformedAssertion(`The signing algorithm '${String(algorithm)}' is not supported.`);
  const thumbprint = header['x5t#S256'] ?? header.x5t;
  if (typeof thumbprint !== 'string')
    return entraErrors.malformedAssertion('No certificate thumbprint specified in token header.');
  const certificate = findCertificate(check.app, header);
  if (!certificate)
    return entraErrors.certificateNotRegistered(thumbprintHex(thumbprint), check.app.clientId);
  const keyFailure = checkKey(decoded, algorithm, certificate, check.now);
  if (keyFailure) return keyFailure;
  const claimFailure = checkClaims(claims, check);
  if (claimFailure) return claimFailure;
  check.used.remember(check.app.clientId, String(claims.jti), Number(claims.exp) * 1000, check.now);
  return undefined;
}

function decode(assertion: string): DecodedAssertion | undefined {
  const parts = assertion.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(claims)) return undefined;
    return {
      header,
      claims,
      signedPart: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2]!, 'base64url'),
    };
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `x5t#S256` wins when both are present. */
function findCertificate(
  app: AppRegistration,
  header: Record<string, unknown>,
): RegisteredCertificate | undefined {
  const sha256 = header['x5t#S256'];
  if (typeof sha256 === 'string') return app.certificates.find((c) => c.x5tS256 === sha256);
  return app.certificates.find((c) => c.x5t === header.x5t);
}

function thumbprintHex(thumbprint: string): string {
  return Buffer.from(thumbprint, 'base64url').toString('hex').toUpperCase();
}

function checkKey(
  decoded: DecodedAssertion,
  algorithm: 'RS256' | 'PS256',
  certificate: RegisteredCertificate,
  now: number,
): EntraError | undefined {
  const validity = `Start=${new Date(certificate.validFrom).toISOString()}, End=${new Date(certificate.validTo).toISOString()}`;
  const key =
    algorithm === 'PS256'
      ? {
          key: certificate.certificate.publicKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        }
      : certificate.certificate.publicKey;
  if (!verify('sha256', Buffer.from(decoded.signedPart), key, decoded.signature))
    return entraErrors.badSignature(certificate.sha1Hex, validity);
  if (now < certificate.validFrom || now > certificate.validTo)
    return entraErrors.expiredCertificate(certificate.sha1Hex, validity);
  return undefined;
}

function checkClaims(claims: Record<string, unknown>, check: AssertionCheck): EntraError | undefined {
  if (typeof claims.iss !== 'string' || claims.iss.toLowerCase() !== check.app.clientId)
    return entraErrors.assertionIssuer();
  if (claims.sub !== claims.iss) return entraErrors.assertionSubject();
  const audiences = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).map((a) =>
    String(a).toLowerCase(),
  );
  if (!audiences.some((audience) => check.audiences.includes(audience)))
    return entraErrors.assertionAudience(audiences.join(', '));
  if (typeof claims.exp !== 'number')
    return entraErrors.malformedAssertion("The client assertion has no 'exp' claim.");
  const notBefore = typeof claims.nbf === 'number' ? claims.nbf * 1000 : 0;
  const expiry = claims.exp * 1000;
  if (check.now > expiry + CLOCK_SKEW_MS || check.now < notBefore - CLOCK_SKEW_MS)
    return entraErrors.assertionTime(preciseTime(check.now), preciseTime(notBefore), preciseTime(expiry));
  if (typeof claims.jti !== 'string' || claims.jti === '')
    return entraErrors.malformedAssertion("The client assertion has no 'jti' claim.");
  if (check.used.has(check.app.clientId, claims.jti)) return entraErrors.assertionReplayed(claims.jti);
  return undefined;
}

/** Entra prints times with seven fractional digits: `2024-10-02T22:05:03.6755165Z`. */
function preciseTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '0000Z');
}

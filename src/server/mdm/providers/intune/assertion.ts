import { createHash, createPrivateKey, type KeyObject, randomUUID, X509Certificate } from 'node:crypto';
import { SignJWT } from 'jose';
import { Invalid } from '../../../errors.ts';

/** How long an assertion may be used: long enough for one token request, short as Microsoft asks. */
const ASSERTION_LIFETIME_SECONDS = 5 * 60;

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * A certificate credential checked before anything is sent: the certificate and key are PEM, the key is an
 * RSA private key that belongs to the certificate, and the certificate is valid now. Throws `Invalid` naming
 * the problem.
 */
export function checkCertificate(certificatePem: string, privateKeyPem: string, now = Date.now()): void {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch {
    throw new Invalid('The certificate is not a PEM certificate (-----BEGIN CERTIFICATE-----)');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch {
    throw new Invalid(
      'The private key is not a PEM private key (-----BEGIN PRIVATE KEY-----), or it is encrypted',
    );
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new Invalid('Microsoft Entra ID signs client assertions with RSA keys: use an RSA certificate');
  if (!certificate.checkPrivateKey(key))
    throw new Invalid('The private key does not belong to the certificate');
  if (Date.parse(certificate.validTo) <= now)
    throw new Invalid(
      `The certificate expired on ${new Date(certificate.validTo).toISOString().slice(0, 10)}: create a new one`,
    );
  if (Date.parse(certificate.validFrom) > now)
    throw new Invalid(
      `The certificate is not valid before ${new Date(certificate.validFrom).toISOString().slice(0, 10)}`,
    );
}

/**
 * The signed JWT a confidential client sends instead of a secret (Microsoft identity platform "certificate
 * credentials"): RS256, the certificate named in the header by `x5t`, the base64url SHA-1 thumbprint of its
 * DER, which Entra has long accepted in every cloud; `aud` is the token URL it is sent to, `iss` and `sub` the
 * client ID, and a fresh `jti` each time (Entra refuses a replayed one).
 */
export async function clientAssertion(request: {
  clientId: string;
  tokenUrl: string;
  certificatePem: string;
  privateKeyPem: string;
}): Promise<string> {
  const der = new X509Certificate(request.certificatePem).raw;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({
      alg: 'RS256',
      typ: 'JWT',
      x5t: createHash('sha1').update(der).digest('base64url'),
    })
    .setAudience(request.tokenUrl)
    .setIssuer(request.clientId)
    .setSubject(request.clientId)
    .setJti(randomUUID())
    .setNotBefore(now)
    .setIssuedAt(now)
    .setExpirationTime(now + ASSERTION_LIFETIME_SECONDS)
    .sign(createPrivateKey(request.privateKeyPem));
}

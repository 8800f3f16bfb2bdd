import { decodeJwt, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** How the next ID token is spoiled, to prove the relying party refuses each kind. */
export type IdTokenFault = 'wrong_audience' | 'expired' | 'bad_signature' | 'replayed_nonce';
export const ID_TOKEN_FAULTS: readonly IdTokenFault[] = [
  'wrong_audience',
  'expired',
  'bad_signature',
  'replayed_nonce',
];

export interface SigningKey {
  /** The private JWK the provider signs with (its public half is what the JWKS publishes). */
  jwk: JWK & { kid: string };
  privateKey: CryptoKey;
}

export async function newSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  return { jwk, privateKey };
}

/** The ID token rewritten with the fault, re-signed (with an unrelated key for a bad signature). */
export async function spoilIdToken(idToken: string, fault: IdTokenFault, key: SigningKey): Promise<string> {
  const claims = decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  if (fault === 'wrong_audience') claims.aud = 'a-different-client';
  if (fault === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  if (fault === 'replayed_nonce') claims.nonce = 'a-nonce-from-an-earlier-sign-in';
  const signer = fault === 'bad_signature' ? (await newSigningKey(key.jwk.kid)).privateKey : key.privateKey;
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.jwk.kid, typ: 'JWT' }).sign(signer);
}

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { Invalid } from '../../errors.ts';
import { decryptSecret, encryptSecret } from '../../secrets/envelope.ts';
import type { Keyring } from '../../secrets/keyring.ts';
import { burnOauthState, consumeOauthState, insertOauthState } from './queries.ts';

/** OA-1: 256-bit state and PKCE verifier, stored server-side for 10 minutes, bound to session, district and provider. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

function hashState(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}

export function challengeFor(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export async function createOauthState(
  db: Kysely<DB>,
  keyring: Keyring,
  owner: { districtId: string; userId: string; sessionId: string; provider: string },
): Promise<{ state: string; codeChallenge: string }> {
  const id = randomUUID();
  const state = randomBytes(32).toString('base64url');
  const verifier = randomBytes(48).toString('base64url');
  await insertOauthState(db, {
    id,
    ...owner,
    stateHash: hashState(state),
    codeVerifier: encryptSecret(keyring, verifier, {
      table: 'oauth_states',
      rowId: id,
      districtId: owner.districtId,
      field: 'code_verifier',
    }),
    expiresAt: new Date(Date.now() + OAUTH_STATE_TTL_MS),
  });
  return { state, codeChallenge: challengeFor(verifier) };
}

/** Returns the PKCE verifier for a valid state, consuming it; anything else is refused and the state burnt. */
export async function consumeOauthStateOrThrow(
  db: Kysely<DB>,
  keyring: Keyring,
  presented: { state: string | undefined; districtId: string; sessionId: string; provider: string },
): Promise<string> {
  if (!presented.state)
    throw new Invalid('The authorization response has no state; start the authorization again', {
      reason: 'state_invalid',
    });
  const stateHash = hashState(presented.state);
  const row = await consumeOauthState(db, { ...presented, stateHash });
  if (!row) {
    await burnOauthState(db, stateHash);
    throw new Invalid(
      'This authorization response is invalid, expired, already used, or was started in another session; start the authorization again',
      { reason: 'state_invalid' },
    );
  }
  return decryptSecret(keyring, row.code_verifier, {
    table: 'oauth_states',
    rowId: row.id,
    districtId: row.district_id,
    field: 'code_verifier',
  });
}

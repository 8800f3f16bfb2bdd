import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { decryptSecret, encryptSecret, SecretUnreadable } from '../../secrets/envelope.ts';
import type { Keyring } from '../../secrets/keyring.ts';
import type { ProviderDeps, ProviderSettings, SyncCapability } from '../provider.ts';
import { storeAccessCache } from './connection-state.ts';

/**
 * Authorizes with the access token the connection last obtained, in whatever process (still good, it saves
 * asking the provider for one), and keeps the provider's new one, encrypted like the secret.
 */
export async function authorizeWithAccessCache(
  deps: { db: Kysely<DB>; keyring: Keyring },
  sync: SyncCapability,
  providerDeps: ProviderDeps,
  run: {
    /** As stored: `secret` encrypted. */
    connection: { id: string; secret: string; access_cache: string | null };
    districtId: string;
    /** The connection's secret in plain text. */
    secret: string;
    settings: ProviderSettings;
    signal: AbortSignal;
  },
): Promise<void> {
  if (!sync.authorize) return;
  const { connection, districtId, secret, signal } = run;
  const place = { table: 'mdm_connections', rowId: connection.id, districtId, field: 'access_cache' };
  let cached: string | null = null;
  try {
    cached = connection.access_cache ? decryptSecret(deps.keyring, connection.access_cache, place) : null;
  } catch (error) {
    // Written under a key since retired: as if there were none.
    if (!(error instanceof SecretUnreadable)) throw error;
  }
  const access = await sync.authorize(providerDeps, secret, run.settings, signal, cached);
  if (access && access !== cached)
    await storeAccessCache(deps.db, connection, encryptSecret(deps.keyring, access, place));
}

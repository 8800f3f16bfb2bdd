import { type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { DB, MdmConnectionsTable } from '../../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export function listConnections(db: Executor, districtId: string) {
  return db.selectFrom('mdm_connections').selectAll().where('district_id', '=', districtId).execute();
}

export function findConnection(db: Executor, districtId: string, provider: string) {
  return db
    .selectFrom('mdm_connections')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('provider', '=', provider)
    .executeTakeFirst();
}

export function lockConnection(db: Transaction<DB>, districtId: string, provider: string) {
  return db
    .selectFrom('mdm_connections')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('provider', '=', provider)
    .forUpdate()
    .executeTakeFirst();
}

export function insertConnection(
  db: Executor,
  connection: {
    id: string;
    districtId: string;
    provider: string;
    state: MdmConnectionsTable['state'];
    settings: Record<string, unknown>;
  },
) {
  return db
    .insertInto('mdm_connections')
    .values({
      id: connection.id,
      district_id: connection.districtId,
      provider: connection.provider,
      state: connection.state,
      settings: JSON.stringify(connection.settings),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function markDataRemoved(db: Executor, districtId: string, provider: string): Promise<void> {
  await db
    .updateTable('mdm_connections')
    .set({ data_removed_at: sql<Date>`now()` })
    .where('district_id', '=', districtId)
    .where('provider', '=', provider)
    .execute();
}

export function updateConnection(
  db: Executor,
  connectionId: string,
  changes: Updateable<MdmConnectionsTable>,
) {
  return db
    .updateTable('mdm_connections')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', connectionId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Compare-and-set, so a rotation never overwrites a secret written meanwhile. */
export async function replaceSecret(
  db: Executor,
  connectionId: string,
  from: string,
  to: string,
  keyId: string,
) {
  const result = await db
    .updateTable('mdm_connections')
    .set({ secret: to, secret_key_id: keyId })
    .where('id', '=', connectionId)
    .where('secret', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function connectionsWithSecrets(db: Executor) {
  return db
    .selectFrom('mdm_connections')
    .select(['id', 'district_id', 'secret'])
    .where('secret', 'is not', null)
    .execute();
}

export async function insertOauthState(
  db: Executor,
  state: {
    id: string;
    stateHash: string;
    districtId: string;
    userId: string;
    sessionId: string;
    provider: string;
    codeVerifier: string;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('oauth_states')
    .values({
      id: state.id,
      state_hash: state.stateHash,
      district_id: state.districtId,
      user_id: state.userId,
      session_id: state.sessionId,
      provider: state.provider,
      code_verifier: state.codeVerifier,
      expires_at: state.expiresAt,
    })
    .execute();
}

/** Single use: the first matching, unexpired, unconsumed state is consumed and returned; every other call gets nothing. */
export function consumeOauthState(
  db: Executor,
  match: { stateHash: string; districtId: string; sessionId: string; provider: string },
) {
  return db
    .updateTable('oauth_states')
    .set({ consumed_at: new Date() })
    .where('state_hash', '=', match.stateHash)
    .where('district_id', '=', match.districtId)
    .where('session_id', '=', match.sessionId)
    .where('provider', '=', match.provider)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning(['id', 'code_verifier', 'district_id'])
    .executeTakeFirst();
}

/** A state that was presented but does not match is burnt too, so it cannot be retried from elsewhere. */
export async function burnOauthState(db: Executor, stateHash: string): Promise<void> {
  await db
    .updateTable('oauth_states')
    .set({ consumed_at: new Date() })
    .where('state_hash', '=', stateHash)
    .where('consumed_at', 'is', null)
    .execute();
}

/** The org units the provider has reported for the district's devices, A to Z (no call to the provider). */
export async function seenOrgUnits(db: Executor, districtId: string, provider: string): Promise<string[]> {
  const rows = await db
    .selectFrom('mdm_device_records')
    .select(sql<string>`fields->>'orgUnit'`.as('org_unit'))
    .distinct()
    .where('district_id', '=', districtId)
    .where('provider', '=', provider)
    .where(sql<boolean>`fields->>'orgUnit' is not null`)
    .orderBy('org_unit')
    .limit(1000)
    .execute();
  return rows.map((row) => row.org_unit);
}

import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { DeviceStatus } from '../../../common/inventory.ts';
import { type ProviderKey, SYNCING_STATES } from '../../../common/mdm.ts';
import type { Config } from '../../config.ts';
import { type RequestContext, systemContext } from '../../context.ts';
import type { DB, SyncRunRow } from '../../db/schema.ts';
import { ProviderError } from '../../errors.ts';
import { decryptSecret, SecretUnreadable } from '../../secrets/envelope.ts';
import type { Keyring } from '../../secrets/keyring.ts';
import type { ProviderDefinition, ProviderSettings, SyncCapability } from '../provider.ts';
import { providerByKey } from '../registry.ts';
import { connectionState } from './connection-state.ts';
import { cancelRun, failRun } from './finish.ts';
import { countersOf, findRun } from './runs.ts';

export interface SyncDeps {
  db: Kysely<DB>;
  keyring: Keyring;
  config: Config;
  log: FastifyBaseLogger;
  /** Whether a smaller district's run is under way somewhere: this one then pauses between its pages. */
  smallerRunning?: () => Promise<boolean>;
}

/** A run that may go ahead: its row, its provider, and the connection's settings and secret, read once. */
export interface OpenedRun {
  ctx: RequestContext;
  run: SyncRunRow;
  provider: ProviderDefinition;
  sync: SyncCapability;
  settings: ProviderSettings;
  statuses: readonly DeviceStatus[];
  /** The connection as stored: its secret still encrypted (it names the authorization the run works under). */
  connection: { id: string; secret: string; access_cache: string | null };
  /** The connection's secret in plain text. */
  secret: string;
}

/**
 * Reads the run and its connection before working on it. A run already over, or whose connection is no longer active, does nothing
 * (it is cancelled); one whose secret cannot be read fails, asking for a new authorization.
 */
export async function takeUpRun(
  deps: SyncDeps,
  runId: string,
  districtId: string,
): Promise<OpenedRun | null> {
  const ctx = systemContext(districtId, deps.log.child({ runId }), 'sync');
  const run = await findRun(deps.db, districtId, runId);
  if (!run || (run.state !== 'queued' && run.state !== 'running')) return null;
  const provider = providerByKey(run.provider as ProviderKey);
  const connection = await connectionState(deps.db, districtId, run.provider);
  if (!connection || !SYNCING_STATES.includes(connection.state) || !connection.secret) {
    await cancelRun(deps.db, run.id, countersOf(run), 'The provider is not active');
    return null;
  }
  let secret: string;
  try {
    secret = decryptSecret(deps.keyring, connection.secret, {
      table: 'mdm_connections',
      rowId: connection.id,
      districtId,
      field: 'secret',
    });
  } catch (error) {
    if (!(error instanceof SecretUnreadable)) throw error;
    const failure = new ProviderError('auth_revoked', error.message);
    await failRun(ctx, deps, { provider: provider.key, runId: run.id, counters: countersOf(run) }, failure);
    return null;
  }
  const settings = provider.settings.parse(connection.settings);
  return {
    ctx,
    run,
    provider,
    sync: provider.sync,
    settings,
    statuses: settings.syncedStatuses,
    connection: { id: connection.id, secret: connection.secret, access_cache: connection.access_cache },
    secret,
  };
}

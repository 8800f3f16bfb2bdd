import type { Kysely } from 'kysely';
import { CommonSettings, type ProviderKey, type RequestScopeEstimates } from '../../../common/mdm.ts';
import type { RequestContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { countTrackableDevices } from '../../inventory/index.ts';
import { providerByKey } from '../registry.ts';
import { connectionState } from './connection-state.ts';
import { scopeEstimates } from './planner.ts';
import { lastChangedCount, planHistory } from './runs.ts';

/**
 * The planner's estimate of API calls per sync for this district under each request scope, so an administrator
 * sees the trade-off before choosing: from the tracked devices now, the provider's fleet as last counted, and
 * what recent incremental runs found changed.
 */
export async function requestScopeEstimates(
  ctx: RequestContext,
  db: Kysely<DB>,
  key: ProviderKey,
): Promise<RequestScopeEstimates> {
  const provider = providerByKey(key);
  const connection = await connectionState(db, ctx.districtId, key);
  const settings = CommonSettings.parse(pickCommon(connection?.settings ?? {}));
  const trackedCount = await countTrackableDevices(ctx, db, settings.syncedStatuses);
  const history = connection ? await planHistory(db, connection.id) : null;
  const fleetSize = history?.lastFleetSize ?? null;
  const changedCount = connection ? await lastChangedCount(db, connection.id) : null;
  return {
    trackedCount,
    fleetSize,
    scopes: scopeEstimates(provider.sync, { trackedCount, fleetSize, changedCount }),
    lookupNote: provider.sync.lookupNote,
  };
}

/** The shared settings out of a provider's stored ones. */
function pickCommon(settings: Record<string, unknown>): Record<string, unknown> {
  const shared = Object.keys(CommonSettings.shape);
  return Object.fromEntries(Object.entries(settings).filter(([field]) => shared.includes(field)));
}

import type { Kysely } from 'kysely';
import { conflictsOf } from '../../../common/conflicts.ts';
import { type DeviceMdmRecord, type ProviderKey, SYNCING_STATES } from '../../../common/mdm.ts';
import { sourceConditionOf } from '../../../common/mdm-source.ts';
import type { RequestContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import type { ProviderDefinition } from '../provider.ts';
import { providers } from '../registry.ts';

/** The device's page in the provider's console, where the provider has one and its settings can say where. */
function consoleUrlOf(
  provider: ProviderDefinition,
  row: {
    provider_device_id: string | null;
    extras: Record<string, unknown>;
    settings: Record<string, unknown> | null;
  },
): string | null {
  if (!row.provider_device_id || !provider.consoleUrl) return null;
  const settings = provider.settings.safeParse(row.settings ?? {});
  if (!settings.success) return null;
  return provider.consoleUrl({ providerDeviceId: row.provider_device_id, extras: row.extras }, settings.data);
}

/** A string extra, or null. */
function textOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The device as the inventory has it, to compare each provider's record with. */
export interface InventoryDevice {
  id: string;
  model: string | null;
  assetTag: string | null;
  holder: { name: string; email: string | null; externalId: string | null } | null;
}

/**
 * Every provider's data for one device of the caller's district, labelled with provider, state and "as of"
 * time, with where it disagrees with the inventory.
 */
export async function mdmDataForDevice(
  ctx: RequestContext,
  db: Kysely<DB>,
  device: InventoryDevice,
): Promise<Record<string, DeviceMdmRecord>> {
  const deviceId = device.id;
  const rows = await db
    .selectFrom('mdm_device_records as r')
    .leftJoin('mdm_connections as c', (join) =>
      join.onRef('c.district_id', '=', 'r.district_id').onRef('c.provider', '=', 'r.provider'),
    )
    .select([
      'r.provider',
      'r.match_state',
      'r.provider_device_id',
      'r.fields',
      'r.extras',
      'r.fetched_at',
      'c.state',
      'c.settings',
    ])
    .where('r.district_id', '=', ctx.districtId)
    .where('r.device_id', '=', deviceId)
    .execute();
  const result: Record<string, DeviceMdmRecord> = {};
  for (const row of rows) {
    const provider = providers.find((candidate) => candidate.key === row.provider);
    if (!provider) continue;
    const assetTag = provider.identity.assetTag ? textOf(row.extras[provider.identity.assetTag]) : null;
    const conflicts =
      row.match_state === 'matched'
        ? conflictsOf(device, device.holder, {
            model: textOf(row.fields.model),
            assetTag,
            user: textOf(row.fields.primaryUser),
          })
        : [];
    result[row.provider] = {
      provider: row.provider as ProviderKey,
      providerName: provider.name,
      providerActive: row.state !== null && SYNCING_STATES.includes(row.state),
      matchState: row.match_state,
      providerDeviceId: row.provider_device_id,
      fields: row.fields,
      extras: row.extras,
      fetchedAt: row.fetched_at.toISOString(),
      consoleUrl: consoleUrlOf(provider, row),
      condition: sourceConditionOf(row.state),
      assetTag,
      conflicts,
    };
  }
  return result;
}

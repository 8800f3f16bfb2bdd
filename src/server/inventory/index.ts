import type { Kysely } from 'kysely';
import type { DeviceStatus } from '../../common/inventory.ts';
import type { RequestContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { trackableDevices } from './device-queries.ts';
import { devicesBySerialKeys } from './import-queries.ts';

/**
 * What other modules may ask of the inventory. Its tables stay private to it: nothing else reads or writes
 * devices, people, schools or assignments directly, and nothing else can create a device.
 */
export interface TrackedDevice {
  id: string;
  serialKey: string;
}

/** The district's devices with one of these statuses, by serial key: the only devices an MDM may be asked about. */
export async function listTrackableDevices(
  ctx: RequestContext,
  db: Kysely<DB>,
  statuses: readonly DeviceStatus[],
): Promise<TrackedDevice[]> {
  if (statuses.length === 0) return [];
  const rows = await trackableDevices(db, ctx.districtId, statuses);
  return rows.map((row) => ({ id: row.id, serialKey: row.serial_key }));
}

export async function findDevicesBySerialKeys(
  ctx: RequestContext,
  db: Kysely<DB>,
  serialKeys: readonly string[],
): Promise<TrackedDevice[]> {
  if (serialKeys.length === 0) return [];
  const rows = await devicesBySerialKeys(db, ctx.districtId, serialKeys);
  return rows.map((row) => ({ id: row.id, serialKey: row.serial_key }));
}

export { serialKey } from '../../common/inventory.ts';

import type { Kysely } from 'kysely';
import { DEVICE_STATUSES, type DeviceFilter, type DeviceStatus } from '../../common/inventory.ts';
import type { RequestContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import * as deviceQueries from './device-queries.ts';
import { listSchools } from './school-queries.ts';

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
  const { ids, serialKeys } = await loadTrackableDevices(ctx, db, statuses);
  return ids.map((id, index) => ({ id, serialKey: serialKeys[index] as string }));
}

/**
 * The same devices as two lists that line up, ids and serial keys, in serial key order: how a sync over every
 * tracked device holds a large inventory (no object per device).
 */
export async function loadTrackableDevices(
  ctx: RequestContext,
  db: Kysely<DB>,
  statuses: readonly DeviceStatus[],
): Promise<{ ids: string[]; serialKeys: string[] }> {
  if (statuses.length === 0) return { ids: [], serialKeys: [] };
  return deviceQueries.trackableDevices(db, ctx.districtId, statuses);
}

/** How many devices the district has in its inventory, whatever their status. */
export async function inventorySize(db: Kysely<DB>, districtId: string): Promise<number> {
  return deviceQueries.countTrackableDevices(db, districtId, DEVICE_STATUSES);
}

/** How many of the district's devices have one of these statuses: what a sync considers. */
export async function countTrackableDevices(
  ctx: RequestContext,
  db: Kysely<DB>,
  statuses: readonly DeviceStatus[],
): Promise<number> {
  if (statuses.length === 0) return 0;
  return deviceQueries.countTrackableDevices(db, ctx.districtId, statuses);
}

/**
 * Of these serial keys, the district's devices with one of these statuses: how a sync that lists only part of
 * the provider's fleet matches a page without loading every tracked device.
 */
export async function findTrackableDevices(
  ctx: RequestContext,
  db: Kysely<DB>,
  statuses: readonly DeviceStatus[],
  serialKeys: readonly string[],
): Promise<TrackedDevice[]> {
  if (serialKeys.length === 0 || statuses.length === 0) return [];
  const rows = await deviceQueries.trackableDevicesBySerialKeys(db, ctx.districtId, statuses, serialKeys);
  return rows.map((row) => ({ id: row.id, serialKey: row.serial_key }));
}

/**
 * The district's devices matching a device-list filter (`GET /api/v1/devices` parameters), as a query on
 * `devices as d` to select or group from: the same set the list, the export and a link with that filter show.
 */
export function filteredDevices(ctx: RequestContext, db: Kysely<DB>, filter: DeviceFilter, now = new Date()) {
  return deviceQueries.filteredDevices(db, ctx.districtId, filter, now);
}

/** Adds a device-list filter to a query on `devices as d` (e.g. one that already joins other tables' data). */
export function applyDeviceFilter<O>(
  ctx: RequestContext,
  query: Parameters<typeof deviceQueries.applyDeviceFilter<O>>[0],
  filter: DeviceFilter,
  now = new Date(),
) {
  return deviceQueries.applyDeviceFilter(query, ctx.districtId, filter, now);
}

/** How many devices the list shows for this filter. */
export function countDevices(
  ctx: RequestContext,
  db: Kysely<DB>,
  filter: DeviceFilter,
  now = new Date(),
): Promise<number> {
  return deviceQueries.countDevices(db, ctx.districtId, filter, now);
}

/** The district's device totals by status, as the database keeps them (no count over the inventory). */
export function deviceTotalsByStatus(ctx: RequestContext, db: Kysely<DB>): Promise<Map<string, number>> {
  return deviceQueries.keptTotalsByStatus(db, ctx.districtId);
}

/** Each school of the district with how many devices it has. */
export async function schoolDeviceCounts(
  ctx: RequestContext,
  db: Kysely<DB>,
): Promise<{ id: string; name: string; devices: number }[]> {
  const schools = await listSchools(db, ctx.districtId);
  return schools.map((school) => ({
    id: school.id,
    name: school.name,
    devices: Number(school.device_count ?? 0),
  }));
}

export type { DeviceFilter } from '../../common/inventory.ts';
export { serialKey } from '../../common/inventory.ts';
export { compactDeviceTotals } from './jobs.ts';
export { deviceListQuery, districtCoverage, figureOf } from './reports/mdm-report.ts';

/**
 * Which devices `GET /api/devices` answers: the query parameters Jamf School's device list takes, read the
 * way its PHP server reads them (the last of repeated parameters wins, an empty value is no filter, flags are
 * true only for "1" or "true"), then the page of them the fake's paging settings allow.
 */
import type { DeviceStore } from './store.ts';
import type { FakeJamfSchoolDevice, PagingMode } from './types.ts';

export interface DeviceQuery {
  serial?: string;
  assetTag?: string;
  owner?: number;
  groups?: number[];
  location?: number;
  managed?: boolean;
  supervised?: boolean;
  enrollType?: string;
  /** Trashed devices are left out unless asked for, and then only they come back. */
  inTrash: boolean;
  /** The key alone turns it on, whatever its value. */
  includeApps: boolean;
}

export interface PageSettings {
  paging: PagingMode;
  pageSize: number;
  maxDevicesPerResponse: number | undefined;
}

/** Most devices one `page-param` page holds, whatever `limit` asks. */
export const MAX_PAGE_LIMIT = 1000;

function last(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  const value = values[values.length - 1];
  return value === undefined || value === '' ? undefined : value;
}

function flag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return value === '1' || value.toLowerCase() === 'true';
}

/** PHP's intval: leading digits, else 0. */
function integer(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return Number.parseInt(value, 10) || 0;
}

export function parseDeviceQuery(params: URLSearchParams): DeviceQuery {
  const query: DeviceQuery = {
    inTrash: flag(last(params, 'inTrash')) ?? false,
    includeApps: params.has('includeApps'),
  };
  const serial = last(params, 'serialnumber');
  if (serial !== undefined) query.serial = serial;
  const assetTag = last(params, 'assettag');
  if (assetTag !== undefined) query.assetTag = assetTag;
  const owner = integer(last(params, 'owner'));
  if (owner !== undefined) query.owner = owner;
  const groups = last(params, 'groups');
  if (groups !== undefined) query.groups = groups.split(',').map((g) => integer(g.trim()) ?? 0);
  const location = integer(last(params, 'location'));
  if (location !== undefined) query.location = location;
  const managed = flag(last(params, 'managed'));
  if (managed !== undefined) query.managed = managed;
  const supervised = flag(last(params, 'supervised'));
  if (supervised !== undefined) query.supervised = supervised;
  const enrollType = last(params, 'enrollType');
  if (enrollType !== undefined) query.enrollType = enrollType;
  return query;
}

function matches(device: FakeJamfSchoolDevice, query: DeviceQuery, caseSensitive: boolean): boolean {
  if (device.inTrash !== query.inTrash) return false;
  if (query.assetTag !== undefined) {
    const tag = caseSensitive ? device.assetTag : device.assetTag.toLowerCase();
    if (tag !== (caseSensitive ? query.assetTag : query.assetTag.toLowerCase())) return false;
  }
  if (query.owner !== undefined && device.owner.id !== query.owner) return false;
  if (query.groups && !query.groups.some((id) => device.groupIds.includes(id))) return false;
  if (query.location !== undefined && device.locationId !== query.location) return false;
  if (query.managed !== undefined && device.isManaged !== query.managed) return false;
  if (query.supervised !== undefined && device.isSupervised !== query.supervised) return false;
  if (query.enrollType !== undefined && device.enrollType !== query.enrollType) return false;
  return true;
}

/** Every device the query matches, in store order; a serial is looked up in the index, not scanned for. */
export function selectDevices(
  store: DeviceStore,
  query: DeviceQuery,
  caseSensitive: boolean,
): FakeJamfSchoolDevice[] {
  const { includeApps: _, ...filters } = query;
  return store.cachedSelection(JSON.stringify([caseSensitive, filters]), () => {
    const candidates =
      query.serial === undefined ? store.devices : store.withSerial(query.serial, caseSensitive);
    return candidates.filter((device) => matches(device, query, caseSensitive));
  });
}

/**
 * The devices one answer holds. `previousPage` serves the page before the one asked (a server that repeats
 * itself), for fault injection.
 */
export function pageOf(
  selection: FakeJamfSchoolDevice[],
  params: URLSearchParams,
  settings: PageSettings,
  previousPage = false,
): FakeJamfSchoolDevice[] {
  let devices = selection;
  if (settings.paging === 'page-param') {
    const asked = Math.max(1, integer(last(params, 'page')) ?? 1);
    const page = previousPage ? Math.max(1, asked - 1) : asked;
    const limit = Math.min(MAX_PAGE_LIMIT, Math.max(1, integer(last(params, 'limit')) || settings.pageSize));
    devices = selection.slice((page - 1) * limit, page * limit);
  }
  const cap = settings.maxDevicesPerResponse;
  return cap !== undefined && devices.length > cap ? devices.slice(0, cap) : devices;
}

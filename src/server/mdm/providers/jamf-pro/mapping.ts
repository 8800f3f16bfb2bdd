import { serialKey as serialKeyOf } from '../../../../common/inventory.ts';
import type { NormalizedFields } from '../../../../common/mdm.ts';
import type { ProviderDevice } from '../../provider.ts';
import type { DeviceKind } from './kinds.ts';

/**
 * Jamf Pro inventory records (`GET /api/v2/computers-inventory` and `/api/v2/mobile-devices/detail` results,
 * with the sections kinds.ts asks for) as Satchel stores them. Records are read field by field: Jamf leaves
 * out or nulls what it does not know, and versions add fields.
 */
type JsonObject = Record<string, unknown>;

function asObject(value: unknown): JsonObject {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
}

function objectAt(record: JsonObject, key: string): JsonObject {
  return asObject(record[key]);
}

function listAt(record: JsonObject, key: string): JsonObject[] {
  const value = record[key];
  return Array.isArray(value) ? value.map(asObject) : [];
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function flag(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

function id(value: unknown): string | null {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return text(value);
}

/** Jamf's timestamps as ISO 8601 in UTC with milliseconds, so that every stored time compares as text. */
function instant(value: unknown): string | null {
  const raw = text(value);
  if (!raw) return null;
  const millis = Date.parse(raw);
  return Number.isNaN(millis) ? null : new Date(millis).toISOString();
}

/** Jamf reports sizes in megabytes of a million bytes, as macOS and iPadOS show them. */
function bytesOf(megabytes: number | null): number | null {
  return megabytes === null ? null : megabytes * 1_000_000;
}

function managedStatus(managed: boolean | null): string | null {
  if (managed === null) return null;
  return managed ? 'managed' : 'unmanaged';
}

/** `computer:12`: computer and mobile device IDs are separate sequences in Jamf Pro, so the kind says which. */
export function providerDeviceIdOf(kind: DeviceKind, jamfId: string): string {
  return `${kind}:${jamfId}`;
}

/** The kind and Jamf ID a stored provider device ID names, or null for one of another shape. */
export function jamfIdOf(providerDeviceId: string): { kind: DeviceKind; jamfId: string } | null {
  const match = /^(computer|mobileDevice):(\d+)$/.exec(providerDeviceId);
  return match ? { kind: match[1] as DeviceKind, jamfId: match[2] as string } : null;
}

/** The Mac's boot volume: its partition when Jamf lists one, else what Jamf says is free on the boot drive. */
function bootStorage(storage: JsonObject): { free: number | null; total: number | null } {
  for (const disk of listAt(storage, 'disks')) {
    const boot = listAt(disk, 'partitions').find((partition) => partition.partitionType === 'BOOT');
    if (boot)
      return {
        free: bytesOf(integer(boot.availableMegabytes)),
        total: bytesOf(integer(boot.sizeMegabytes)),
      };
  }
  return { free: bytesOf(integer(storage.bootDriveAvailableSpaceMegabytes)), total: null };
}

/** A computer record; null without an ID or a serial number (Jamf keeps records of both kinds without one). */
export function computerDevice(record: JsonObject): ProviderDevice | null {
  const jamfId = id(record.id);
  const hardware = objectAt(record, 'hardware');
  const serial = text(hardware.serialNumber);
  if (!jamfId || !serial) return null;
  const general = objectAt(record, 'general');
  const os = objectAt(record, 'operatingSystem');
  const user = objectAt(record, 'userAndLocation');
  const storage = bootStorage(objectAt(record, 'storage'));
  const battery = integer(hardware.batteryCapacityPercent);
  const fields: NormalizedFields = {
    mdmStatus: managedStatus(flag(objectAt(general, 'remoteManagement').managed)),
    lastCheckInAt: instant(general.lastContactTime),
    osName: text(os.name) ?? 'macOS',
    osVersion: text(os.version),
    model: text(hardware.model),
    orgUnit: null,
    primaryUser: text(user.email) ?? text(user.username),
    recentUsers: [],
    ipAddress: text(general.lastIpAddress) ?? text(general.lastReportedIp),
    macAddresses: [text(hardware.macAddress), text(hardware.altMacAddress)].filter(
      (mac): mac is string => mac !== null,
    ),
    enrolledAt: instant(general.lastEnrolledDate),
    autoUpdateExpiration: null,
    storageFreeBytes: storage.free,
    storageTotalBytes: storage.total,
    // Jamf reports a Mac battery's health as its capacity left, in percent of what it was designed to hold.
    batteryHealth: battery === null ? null : `${battery}%`,
    lostMode: null,
    supervised: flag(general.supervised),
  };
  return {
    serialKey: serialKeyOf(serial),
    providerDeviceId: providerDeviceIdOf('computer', jamfId),
    fields,
    extras: {
      deviceKind: 'computer',
      name: text(general.name),
      assetTag: text(general.assetTag),
      udid: text(record.udid),
      managementId: text(general.managementId),
      modelIdentifier: text(hardware.modelIdentifier),
      osBuild: text(os.build),
      username: text(user.username),
      reportedIpAddress: text(general.lastReportedIp),
    },
  };
}

/** iPads and iPhones run iPadOS or iOS; Jamf calls both `iOS`, and Apple TVs `tvOS`. */
function mobileOsName(deviceType: string | null, model: string | null): string {
  if (deviceType === 'tvOS') return 'tvOS';
  return model?.startsWith('iPad') ? 'iPadOS' : 'iOS';
}

/** A mobile device record; null without an ID or a serial number. */
export function mobileDevice(record: JsonObject): ProviderDevice | null {
  const jamfId = id(record.mobileDeviceId);
  const hardware = objectAt(record, 'hardware');
  const serial = text(hardware.serialNumber);
  if (!jamfId || !serial) return null;
  const general = objectAt(record, 'general');
  const user = objectAt(record, 'userAndLocation');
  const security = objectAt(record, 'security');
  const model = text(hardware.model);
  const fields: NormalizedFields = {
    mdmStatus: managedStatus(flag(general.managed)),
    lastCheckInAt: instant(general.lastInventoryUpdateDate),
    osName: mobileOsName(text(record.deviceType), model),
    osVersion: text(general.osVersion),
    model,
    orgUnit: null,
    primaryUser: text(user.emailAddress) ?? text(user.username),
    recentUsers: [],
    ipAddress: text(general.ipAddress),
    macAddresses: [text(hardware.wifiMacAddress)].filter((mac): mac is string => mac !== null),
    enrolledAt: instant(general.lastEnrolledDate),
    autoUpdateExpiration: null,
    storageFreeBytes: bytesOf(integer(hardware.availableSpaceMb)),
    storageTotalBytes: bytesOf(integer(hardware.capacityMb)),
    // Jamf reports a mobile device's charge, not its battery's health: that is kept as an extra.
    batteryHealth: null,
    lostMode: flag(security.lostModeEnabled),
    supervised: flag(general.supervised),
  };
  return {
    serialKey: serialKeyOf(serial),
    providerDeviceId: providerDeviceIdOf('mobileDevice', jamfId),
    fields,
    extras: {
      deviceKind: 'mobileDevice',
      name: text(general.displayName),
      assetTag: text(general.assetTag),
      udid: text(general.udid),
      modelIdentifier: text(hardware.modelIdentifier),
      osBuild: text(general.osBuild),
      username: text(user.username),
      batteryLevel: integer(hardware.batteryLevel),
      building: text(user.building),
      activationLock: flag(security.activationLockEnabled),
    },
  };
}

export const DEVICE_OF: Record<DeviceKind, (record: JsonObject) => ProviderDevice | null> = {
  computer: computerDevice,
  mobileDevice: mobileDevice,
};

import { serialKey as serialKeyOf } from '../../../../common/inventory.ts';
import type { NormalizedFields } from '../../../../common/mdm.ts';
import type { ProviderDevice } from '../../provider.ts';
import { isObject } from './answers.ts';

/**
 * The only `managedDevice` properties Satchel asks Graph for (`$select`). Every one is a v1.0 property: Graph
 * answers 400 to a property it does not know, and `managementState`, say, exists only in beta.
 */
export const DEVICE_PROPERTIES = [
  'id',
  'serialNumber',
  'deviceName',
  'operatingSystem',
  'osVersion',
  'complianceState',
  'lastSyncDateTime',
  'enrolledDateTime',
  'userPrincipalName',
  'emailAddress',
  'model',
  'manufacturer',
  'wiFiMacAddress',
  'ethernetMacAddress',
  'totalStorageSpaceInBytes',
  'freeStorageSpaceInBytes',
  'managedDeviceOwnerType',
  'managementAgent',
  'deviceEnrollmentType',
  'deviceRegistrationState',
  'deviceCategoryDisplayName',
  'isEncrypted',
  'isSupervised',
  'jailBroken',
  'azureADDeviceId',
] as const;

export const DEVICE_SELECT = DEVICE_PROPERTIES.join(',');

const APPLE_SYSTEMS = new Set(['ios', 'ipados', 'macos']);

/** Intune's text, or null for what it leaves empty (shared iPads have '' for a user). */
function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** An ISO 8601 UTC time that compares as text, or null for Intune's "no date" (0001-01-01). */
export function isoTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  if (Number.isNaN(time) || new Date(time).getUTCFullYear() <= 1) return null;
  return new Date(time).toISOString();
}

function bytes(value: unknown): number | null {
  const parsed = typeof value === 'string' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) && parsed > 0 ? parsed : null;
}

function flag(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/** A managed device as Satchel stores it, or null for a record without an ID or a serial. */
export function toProviderDevice(device: unknown): ProviderDevice | null {
  if (!isObject(device)) throw new SyntaxError('A managed device is not an object');
  const id = text(device.id);
  const serial = text(device.serialNumber);
  if (!id || !serial) return null;
  const operatingSystem = text(device.operatingSystem);
  const total = bytes(device.totalStorageSpaceInBytes);
  const fields: NormalizedFields = {
    mdmStatus: text(device.deviceRegistrationState),
    lastCheckInAt: isoTime(device.lastSyncDateTime),
    osName: operatingSystem,
    osVersion: text(device.osVersion),
    model: text(device.model),
    orgUnit: null,
    primaryUser: text(device.userPrincipalName) ?? text(device.emailAddress),
    recentUsers: [],
    // Graph v1.0 reports no IP address for a managed device.
    ipAddress: null,
    macAddresses: [text(device.wiFiMacAddress), text(device.ethernetMacAddress)].filter(
      (mac): mac is string => mac !== null,
    ),
    enrolledAt: isoTime(device.enrolledDateTime),
    autoUpdateExpiration: null,
    // Intune reports 0 bytes where it does not know the storage.
    storageFreeBytes: total === null ? null : (bytes(device.freeStorageSpaceInBytes) ?? 0),
    storageTotalBytes: total,
    batteryHealth: null,
    compliance: text(device.complianceState),
    // Supervision is an Apple notion; Intune says false for every other device.
    supervised: APPLE_SYSTEMS.has((operatingSystem ?? '').toLowerCase()) ? flag(device.isSupervised) : null,
  };
  return {
    serialKey: serialKeyOf(serial),
    providerDeviceId: id,
    fields,
    extras: {
      deviceName: text(device.deviceName),
      manufacturer: text(device.manufacturer),
      ownership: text(device.managedDeviceOwnerType),
      managementAgent: text(device.managementAgent),
      enrollmentType: text(device.deviceEnrollmentType),
      category: text(device.deviceCategoryDisplayName),
      encrypted: flag(device.isEncrypted),
      jailBroken: text(device.jailBroken),
      azureADDeviceId: text(device.azureADDeviceId),
    },
  };
}

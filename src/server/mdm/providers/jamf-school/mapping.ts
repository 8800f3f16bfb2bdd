import { serialKey as serialKeyOf } from '../../../../common/inventory.ts';
import type { NormalizedFields } from '../../../../common/mdm.ts';
import type { ProviderDevice } from '../../provider.ts';
import type { JamfSchoolDevice } from './answer.ts';
import { jamfTimeToIso } from './time.ts';

/** Jamf School gives storage in gigabytes, as Apple's devices report it: decimal ones (10⁹ bytes). */
const BYTES_PER_GB = 1e9;
/** Privacy and size: a device's group names kept for the device screen. */
const MAX_GROUPS = 20;
/** The OS a device class runs, for a device whose answer has no `os.prefix`. */
const OS_BY_CLASS: Record<string, string> = {
  ipad: 'iPadOS',
  iphone: 'iOS',
  mac: 'macOS',
  appletv: 'tvOS',
};

function text(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const trimmed = String(value).trim();
  return trimmed === '' ? null : trimmed;
}

function number(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

/** Jamf School writes flags as booleans, 0/1 numbers or "0"/"1" strings depending on the answer. */
function flag(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  return null;
}

function bytesOf(gigabytes: unknown): number | null {
  const value = number(gigabytes);
  return value === null || value < 0 ? null : Math.round(value * BYTES_PER_GB);
}

/** The Wi-Fi and Ethernet MAC addresses, from the list's `networkInformation` or the single device's top level. */
function macAddresses(device: JamfSchoolDevice): string[] {
  const network = device.networkInformation ?? {};
  const ethernet = (text(network.EthernetMACs) ?? '').split(/[\s,]+/);
  const macs = [text(network.WiFiMAC) ?? text(device.WiFiMAC), ...ethernet];
  return [...new Set(macs.filter((mac): mac is string => Boolean(mac)))];
}

function ownerOf(device: JamfSchoolDevice): { email: string | null; username: string | null } {
  const owner = device.owner ?? {};
  // An unowned device has owner id 0 in the list and `{}` in the single-device answer.
  if (!number(owner.id)) return { email: null, username: null };
  return { email: text(owner.email), username: text(owner.username) };
}

function osNameOf(device: JamfSchoolDevice, deviceClass: string | null): string | null {
  return text(device.os?.prefix) ?? (deviceClass ? (OS_BY_CLASS[deviceClass] ?? null) : null);
}

/**
 * `enrollment_pending` for an enrolment Jamf School still waits for (`depPending`, `ac2Pending`), else
 * `managed` or `unmanaged` as Jamf School says.
 */
function statusOf(device: JamfSchoolDevice, enrollType: string | null): string | null {
  if (enrollType?.endsWith('Pending')) return 'enrollment_pending';
  const managed = flag(device.isManaged);
  return managed === null ? null : managed ? 'managed' : 'unmanaged';
}

function groupsOf(device: JamfSchoolDevice): string[] {
  if (!Array.isArray(device.groups)) return [];
  return device.groups
    .map(text)
    .filter((group): group is string => group !== null)
    .slice(0, MAX_GROUPS);
}

/** The charge left as a percentage (Jamf School sends a fraction from 0 to 1). */
function batteryPercent(value: unknown): number | null {
  const level = number(value);
  return level === null || level < 0 || level > 1 ? null : Math.round(level * 100);
}

/**
 * One Jamf School device as Satchel stores it, or null for one it cannot match or should not: no UDID or no
 * serial, or in Jamf School's trash. A trashed device was removed from management; it is not one of the
 * district's live devices, so an inventory device that only has a trashed record is reported not found, and an
 * older trashed record of a re-enrolled serial does not count as a second enrolment.
 */
export function toProviderDevice(device: JamfSchoolDevice, timeZone: string): ProviderDevice | null {
  const udid = text(device.UDID);
  const serial = typeof device.serialNumber === 'string' ? serialKeyOf(device.serialNumber) : '';
  if (!udid || serial === '' || flag(device.inTrash) === true) return null;
  const deviceClass = text(device.class)?.toLowerCase() ?? null;
  const enrollType = text(device.enrollType) ?? text(device.deviceEnrollType);
  const owner = ownerOf(device);
  const fields: NormalizedFields = {
    mdmStatus: statusOf(device, enrollType),
    lastCheckInAt: jamfTimeToIso(device.lastCheckin, timeZone),
    osName: osNameOf(device, deviceClass),
    osVersion: text(device.os?.version),
    model: text(device.model?.name),
    orgUnit: null,
    primaryUser: owner.email ?? owner.username,
    recentUsers: [],
    ipAddress: text(device.networkInformation?.IPAddress) ?? text(device.IPAddress),
    macAddresses: macAddresses(device),
    enrolledAt: null,
    autoUpdateExpiration: null,
    storageFreeBytes: bytesOf(device.availableCapacity),
    storageTotalBytes: bytesOf(device.totalCapacity),
    // `batteryLevel` is the charge left when the device last checked in, not the battery's health.
    batteryHealth: null,
    supervised: flag(device.isSupervised),
  };
  return {
    serialKey: serial,
    providerDeviceId: udid,
    fields,
    extras: {
      name: text(device.name),
      assetTag: text(device.assetTag),
      udid,
      deviceClass,
      modelIdentifier: text(device.model?.identifier),
      enrollType,
      depProfile: text(device.depProfile) ?? text(device.deviceDepProfile),
      locationId: number(device.locationId),
      groups: groupsOf(device),
      ownerUsername: owner.username,
      batteryPercent: batteryPercent(device.batteryLevel),
    },
  };
}

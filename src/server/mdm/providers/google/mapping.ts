import type { admin_directory_v1 } from '@googleapis/admin';
import { serialKey as serialKeyOf } from '../../../../common/inventory.ts';
import type { NormalizedFields } from '../../../../common/mdm.ts';
import type { ProviderDevice } from '../../provider.ts';

/** PV-1: the only ChromeOS fields Satchel asks for and stores (partial response keeps the rest at Google). */
export const DEVICE_FIELDS = [
  'deviceId',
  'serialNumber',
  'status',
  'lastSync',
  'osVersion',
  'platformVersion',
  'firmwareVersion',
  'bootMode',
  'model',
  'orgUnitPath',
  'annotatedUser',
  'annotatedAssetId',
  'annotatedLocation',
  'recentUsers',
  'lastKnownNetwork',
  'macAddress',
  'ethernetMacAddress',
  'lastEnrollmentTime',
  'autoUpdateThrough',
  'autoUpdateExpiration',
  'diskVolumeReports',
  'systemRamTotal',
  'chromeOsType',
] as const;

export const LIST_FIELDS = `nextPageToken,chromeosdevices(${DEVICE_FIELDS.join(',')})`;

/** Privacy: at most this many recent users are kept (a district can lower it). */
export const MAX_RECENT_USERS = 10;

function number(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

function autoUpdateExpiration(device: admin_directory_v1.Schema$ChromeOsDevice): string | null {
  if (device.autoUpdateThrough) return device.autoUpdateThrough;
  const millis = number(device.autoUpdateExpiration);
  return millis ? new Date(millis).toISOString() : null;
}

export function toProviderDevice(
  device: admin_directory_v1.Schema$ChromeOsDevice,
  recentUsersKept = MAX_RECENT_USERS,
): ProviderDevice | null {
  if (!device.deviceId || !device.serialNumber) return null;
  const recentUsers = (device.recentUsers ?? [])
    .map((user) => user.email)
    .filter((email): email is string => Boolean(email))
    .slice(0, Math.min(recentUsersKept, MAX_RECENT_USERS));
  const volumes = (device.diskVolumeReports ?? []).flatMap((report) => report.volumeInfo ?? []);
  const storageTotal = volumes.reduce((sum, volume) => sum + (number(volume.storageTotal) ?? 0), 0);
  const storageFree = volumes.reduce((sum, volume) => sum + (number(volume.storageFree) ?? 0), 0);
  const fields: NormalizedFields = {
    mdmStatus: device.status ?? null,
    lastCheckInAt: device.lastSync ?? null,
    osName: device.chromeOsType === 'chromeOsFlex' ? 'ChromeOS Flex' : 'ChromeOS',
    osVersion: device.osVersion ?? null,
    model: device.model ?? null,
    orgUnit: device.orgUnitPath ?? null,
    primaryUser: device.annotatedUser || recentUsers[0] || null,
    recentUsers,
    ipAddress: device.lastKnownNetwork?.[0]?.ipAddress ?? null,
    macAddresses: [device.macAddress, device.ethernetMacAddress].filter((mac): mac is string => Boolean(mac)),
    enrolledAt: device.lastEnrollmentTime ?? null,
    autoUpdateExpiration: autoUpdateExpiration(device),
    storageFreeBytes: volumes.length ? storageFree : null,
    storageTotalBytes: volumes.length ? storageTotal : null,
    batteryHealth: null,
  };
  return {
    serialKey: serialKeyOf(device.serialNumber),
    providerDeviceId: device.deviceId,
    fields,
    extras: {
      annotatedAssetId: device.annotatedAssetId ?? null,
      annotatedUser: device.annotatedUser ?? null,
      annotatedLocation: device.annotatedLocation ?? null,
      bootMode: device.bootMode ?? null,
      firmwareVersion: device.firmwareVersion ?? null,
      platformVersion: device.platformVersion ?? null,
      lastKnownNetwork: device.lastKnownNetwork?.[0] ?? null,
      systemRamTotal: number(device.systemRamTotal),
    },
  };
}

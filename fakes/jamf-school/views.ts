/**
 * How a stored device goes on the wire. The list (`GET /api/devices`) and the single device
 * (`GET /api/devices/{UDID}`) answer different shapes for the same device: the single one has `model.type` as
 * `{value}`, `deviceEnrollType`/`deviceDepProfile` for `enrollType`/`depProfile`, `lastCheckin` as a PHP
 * DateTime object, the MAC and IP addresses at the top level, 0/1 numbers for some flags, group IDs, and `{}`
 * as the owner of an unowned device.
 */
import { phpDateTime } from './time.ts';
import type { FakeJamfSchoolDevice } from './types.ts';

/** The device as the list shows it: everything but `groupIds`, and `apps` only when asked for. */
export function listView(device: FakeJamfSchoolDevice, includeApps: boolean): Record<string, unknown> {
  const { groupIds: _, apps, ...view } = device;
  return includeApps ? { ...view, apps: apps ?? [] } : view;
}

export function listJson(device: FakeJamfSchoolDevice): string {
  return JSON.stringify(listView(device, false));
}

export function detailView(
  device: FakeJamfSchoolDevice,
  includeApps: boolean,
  timeZone: string,
): Record<string, unknown> {
  const network = device.networkInformation;
  const view: Record<string, unknown> = {
    UDID: device.UDID,
    locationId: device.locationId,
    serialNumber: device.serialNumber,
    assetTag: device.assetTag,
    inTrash: device.inTrash,
    class: device.class,
    model: {
      name: device.model.name,
      identifier: device.model.identifier,
      type: { value: device.model.type },
    },
    os: device.os,
    name: device.name,
    owner: device.owner.id ? ownerDetail(device) : {},
    isManaged: device.isManaged,
    isSupervised: device.isSupervised,
    ...(device.isBootstrapStored !== undefined ? { isBootstrapStored: device.isBootstrapStored } : {}),
    deviceEnrollType: device.enrollType,
    deviceDepProfile: device.depProfile || null,
    batteryLevel: device.batteryLevel,
    totalCapacity: device.totalCapacity,
    availableCapacity: device.availableCapacity,
    hasPasscode: device.class !== 'appletv',
    passcodeCompliant: device.class !== 'appletv' ? 1 : 0,
    hardwareEncryptionEnabled: device.class === 'ipad' || device.class === 'iphone' ? 1 : 0,
    iTunesStoreLoggedIn: Number(device.iTunesStoreLoggedIn),
    iCloudBackupEnabled: Number(device.iCloudBackupEnabled),
    iCloudBackupLatest: 0,
    groupIds: device.groupIds,
    groups: device.groups,
    WiFiMAC: network.WiFiMAC,
    bluetoothMAC: network.BluetoothMAC,
    IPAddress: network.IPAddress,
    region: { string: device.region.string, coordinates: device.region.coordinates || null },
    notes: device.notes,
    lastCheckin: phpDateTime(device.lastCheckin, timeZone),
    modified: device.modified,
  };
  if (includeApps) view.apps = device.apps ?? [];
  return view;
}

function ownerDetail(device: FakeJamfSchoolDevice): Record<string, unknown> {
  const { vpp, ...owner } = device.owner;
  return {
    ...owner,
    inTrash: false,
    deviceCount: 1,
    groupIds: [],
    groups: [],
    teacherGroups: [],
    children: [],
    vpp,
  };
}

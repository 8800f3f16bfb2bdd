/**
 * `deviceManagement/managedDeviceOverview`: the tenant's device counts (v1.0 `managedDeviceOverview`,
 * `deviceOperatingSystemSummary`, `deviceExchangeAccessStateSummary`). Counted once per fleet change.
 */
import type { DeviceStore } from './device-store.ts';
import type { FakeManagedDevice } from './types.ts';

export interface ManagedDeviceOverview {
  id: string;
  enrolledDeviceCount: number;
  mdmEnrolledCount: number;
  dualEnrolledDeviceCount: number;
  deviceOperatingSystemSummary: Record<string, number>;
  deviceExchangeAccessStateSummary: Record<string, number>;
}

const counted = new WeakMap<DeviceStore, { version: number; overview: ManagedDeviceOverview }>();

export function overviewOf(store: DeviceStore, tenantId: string): ManagedDeviceOverview {
  const known = counted.get(store);
  if (known && known.version === store.version) return known.overview;
  const overview = count(store.devices, tenantId);
  counted.set(store, { version: store.version, overview });
  return overview;
}

function count(devices: readonly FakeManagedDevice[], tenantId: string): ManagedDeviceOverview {
  const os = {
    androidCount: 0,
    iosCount: 0,
    macOSCount: 0,
    windowsMobileCount: 0,
    windowsCount: 0,
    unknownCount: 0,
    androidDedicatedCount: 0,
    androidDeviceAdminCount: 0,
    androidFullyManagedCount: 0,
    androidWorkProfileCount: 0,
    androidCorporateWorkProfileCount: 0,
    configMgrDeviceCount: 0,
  };
  const exchange = {
    allowedDeviceCount: 0,
    blockedDeviceCount: 0,
    quarantinedDeviceCount: 0,
    unknownDeviceCount: 0,
    unavailableDeviceCount: 0,
  };
  let mdm = 0;
  let dual = 0;
  for (const device of devices) {
    os[operatingSystemCounter(device.operatingSystem)]++;
    const agent = device.managementAgent.toLowerCase();
    if (agent.includes('mdm')) mdm++;
    if (agent.includes('eas') && agent.includes('mdm')) dual++;
    if (agent.startsWith('configurationmanagerclient')) os.configMgrDeviceCount++;
    exchange[exchangeCounter(device.exchangeAccessState)]++;
  }
  return {
    id: `${tenantId}_overview`,
    enrolledDeviceCount: devices.length,
    mdmEnrolledCount: mdm,
    dualEnrolledDeviceCount: dual,
    deviceOperatingSystemSummary: os,
    deviceExchangeAccessStateSummary: exchange,
  };
}

function operatingSystemCounter(
  operatingSystem: string | null,
): 'androidCount' | 'iosCount' | 'macOSCount' | 'windowsMobileCount' | 'windowsCount' | 'unknownCount' {
  const name = (operatingSystem ?? '').toLowerCase();
  if (name.startsWith('android')) return 'androidCount';
  if (name === 'ios' || name === 'ipados') return 'iosCount';
  if (name === 'macos') return 'macOSCount';
  if (name === 'windows mobile') return 'windowsMobileCount';
  if (name.startsWith('windows')) return 'windowsCount';
  return 'unknownCount';
}

function exchangeCounter(
  state: string,
):
  | 'allowedDeviceCount'
  | 'blockedDeviceCount'
  | 'quarantinedDeviceCount'
  | 'unknownDeviceCount'
  | 'unavailableDeviceCount' {
  switch (state) {
    case 'allowed':
      return 'allowedDeviceCount';
    case 'blocked':
      return 'blockedDeviceCount';
    case 'quarantined':
      return 'quarantinedDeviceCount';
    case 'unknown':
      return 'unknownDeviceCount';
    default:
      return 'unavailableDeviceCount';
  }
}
